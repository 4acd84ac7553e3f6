//! Outside judges over every page each role can reach in the demo: axe-core (serious and
//! critical violations) at a desktop and a phone size, and nothing wider than a phone.
//!
//! The pages are found by following the links of the pages themselves, so a page that a
//! later feature adds is judged as soon as something links to it. The HTML of every page
//! the HTTP tests render is checked by the Nu HTML checker in `scripts/test`.

use std::collections::{BTreeSet, VecDeque};

use crate::common;

use common::browser::Browser;
use common::spawn_app;
use relais::domain::Role;
use relais::services::demo;
use thirtyfour::prelude::*;

const DESKTOP: (u32, u32) = (1280, 900);
const PHONE: (u32, u32) = (390, 844);
/// More than any role reaches today; a crawl that hits it says so.
const MAX_PAGES: usize = 80;

/// Path with its numbers folded, so that one page of each kind is visited.
fn kind_of(href: &str) -> String {
    let path = href.split(['?', '#']).next().unwrap_or(href);
    let mut out = String::new();
    let mut in_digits = false;
    for c in path.chars() {
        if c.is_ascii_digit() {
            if !in_digits {
                out.push('N');
            }
            in_digits = true;
        } else {
            out.push(c);
            in_digits = false;
        }
    }
    out
}

fn worth_visiting(href: &str) -> bool {
    href.starts_with('/')
        && !href.starts_with("//")
        // `/api/`: JSON, and the docs page is the vendored Swagger UI (upstream's markup).
        && !["/logout", "/dev/", "/assets/", "/favicon", "/api/"]
            .iter()
            .any(|p| href.starts_with(p))
        && ![".csv", "export", "download", "/file", "/proofs/"]
            .iter()
            .any(|p| href.contains(p))
}

/// Logs in as `role`'s first demo user (or stays anonymous), then visits every page kind
/// reachable by links and judges each one. Returns the pages visited.
async fn judge_every_page(role: Option<Role>, (width, height): (u32, u32)) -> Vec<String> {
    let app = spawn_app().await;
    demo::seed(&mut app.conn(), &app.storage()).expect("seed demo");
    let browser = Browser::start(width, height).await;
    let d = &browser.driver;
    let start = match role {
        Some(role) => {
            let user = demo::DEMO_USERS
                .iter()
                .find(|u| u.role == role)
                .expect("a demo user of the role");
            d.goto(app.url("respire.localhost", "/login"))
                .await
                .unwrap();
            common::browser::submit_login(d, user.email, demo::DEMO_PASSWORD).await;
            d.find(By::Css("[data-testid=logout]")).await.unwrap();
            "/"
        }
        None => "/login",
    };

    let mut seen = BTreeSet::from([kind_of(start)]);
    let mut queue = VecDeque::from([start.to_string()]);
    let mut visited = Vec::new();
    let mut failures = Vec::new();
    while let Some(href) = queue.pop_front() {
        assert!(
            visited.len() < MAX_PAGES,
            "more than {MAX_PAGES} kinds of page: {visited:?}"
        );
        d.goto(app.url("respire.localhost", &href)).await.unwrap();
        let is_html = d
            .execute("return document.contentType;", vec![])
            .await
            .unwrap()
            .json()
            .as_str()
            == Some("text/html");
        if !is_html {
            continue;
        }
        visited.push(href.clone());
        for v in browser.axe_violations().await {
            failures.push(format!("{href}: {v}"));
        }
        if width <= PHONE.0 {
            let inner = d
                .execute("return window.innerWidth;", vec![])
                .await
                .unwrap()
                .json()
                .as_u64();
            if inner != Some(u64::from(width)) {
                failures.push(format!(
                    "{href}: the page does not fit a {width} px phone (the browser zoomed out to {inner:?} px)"
                ));
            }
            for o in browser.overflow().await {
                failures.push(format!("{href}: {o}"));
            }
            let header = d
                .execute(
                    "return document.querySelector('header').offsetHeight;",
                    vec![],
                )
                .await
                .unwrap()
                .json()
                .as_u64()
                .unwrap_or(0);
            if header > 72 {
                failures.push(format!(
                    "{href}: the header takes {header} of {height} px on a phone"
                ));
            }
        }
        let links = d
            .execute(
                "return [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'));",
                vec![],
            )
            .await
            .unwrap();
        let links: Vec<String> = serde_json::from_value(links.json().clone()).unwrap();
        for link in links {
            if worth_visiting(&link) && seen.insert(kind_of(&link)) {
                queue.push_back(link);
            }
        }
    }
    browser.quit().await;
    assert!(
        failures.is_empty(),
        "{} problems on {} pages ({width}×{height}, {role:?}):\n{}",
        failures.len(),
        visited.len(),
        failures.join("\n")
    );
    visited
}

#[actix_web::test]
async fn every_page_of_an_admin_passes_axe_on_a_desktop() {
    let pages = judge_every_page(Some(Role::Admin), DESKTOP).await;
    assert!(
        pages.iter().any(|p| p.starts_with("/admin/declarations/")),
        "the crawl reached a declaration's review page: {pages:?}"
    );
}

#[actix_web::test]
async fn every_page_of_an_admin_passes_axe_and_fits_on_a_phone() {
    judge_every_page(Some(Role::Admin), PHONE).await;
}

#[actix_web::test]
async fn every_page_of_a_marketer_passes_axe_on_a_desktop() {
    let pages = judge_every_page(Some(Role::Marketer), DESKTOP).await;
    assert!(
        pages.iter().any(|p| p.starts_with("/studio/partners/")),
        "the crawl reached a partner's page: {pages:?}"
    );
}

#[actix_web::test]
async fn every_page_of_a_marketer_passes_axe_and_fits_on_a_phone() {
    judge_every_page(Some(Role::Marketer), PHONE).await;
}

#[actix_web::test]
async fn every_page_of_a_participant_passes_axe_on_a_desktop() {
    let pages = judge_every_page(Some(Role::Participant), DESKTOP).await;
    assert!(
        pages.iter().any(|p| p.starts_with("/declarations/")),
        "the crawl reached a declaration: {pages:?}"
    );
}

#[actix_web::test]
async fn every_page_of_a_participant_passes_axe_and_fits_on_a_phone() {
    judge_every_page(Some(Role::Participant), PHONE).await;
}

#[actix_web::test]
async fn every_anonymous_page_passes_axe_on_a_desktop_and_a_phone() {
    let pages = judge_every_page(None, DESKTOP).await;
    assert!(pages.iter().any(|p| p.starts_with("/account/forgot")));
    judge_every_page(None, PHONE).await;
}

/// Every kind of e-mail, in every language, opened in Chromium at 320 px: nothing wider
/// than the screen, no serious accessibility violation, a title and the tenant's logo.
#[actix_web::test]
async fn every_email_reads_on_a_320_px_screen() {
    use relais::domain::Locale;
    use relais::services::email::{EmailMessage, TEMPLATES};

    let app = spawn_app().await;
    let report = demo::seed(&mut app.conn(), &app.storage()).expect("seed demo");
    relais::db::tenants::set_logo(
        &mut app.conn(),
        report.tenant.tenant_id(),
        common::PNG_1X1,
        "image/png",
        chrono::Utc::now(),
    )
    .unwrap();
    let tenant = relais::db::tenants::find(&mut app.conn(), report.tenant.tenant_id()).unwrap();
    let templates = relais::templates::load(&app.settings).unwrap();
    let dir = std::env::temp_dir().join(format!("relais-emails-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();

    let browser = Browser::start(320, 640).await;
    let d = &browser.driver;
    let mut problems = Vec::new();
    for template in TEMPLATES {
        for locale in &Locale::ALL {
            let message = EmailMessage {
                to: "participant@pharmacie-du-port.example".into(),
                to_name: "Marie-Amélie Delacroix-Fontaine".into(),
                locale: *locale,
                template: template.to_string(),
                link_path: Some(
                    "/account/link?token=Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFy".into(),
                ),
                args: serde_json::json!({
                    "hours": 72, "points": 12500, "reversed": 0, "date": "2026-12-31",
                    "rank": 3, "percent": 104, "result": 52, "target": 50,
                    "invoice_ref": "FACTURE-2026-11-000123456", "sale_date": "2026-11-20",
                    "reason_key": null,
                    "reason_text": "La photo de la facture est illisible : merci de la reprendre en entier.",
                    "title": "Photo : votre rayon Respire, présentoir de fin d'année en tête de gondole",
                    "reason": "Le rayon n'est pas visible en entier : merci de reprendre la photo de face.",
                }),
            };
            let email = relais::email::render::render(&templates, &app.settings, &tenant, &message)
                .unwrap_or_else(|e| panic!("{template} {locale:?}: {e}"));
            assert!(
                !email.html.contains("<title></title>") && email.html.contains("<title>"),
                "a title"
            );
            assert!(
                email.html.contains("branding&#x2F;logo"),
                "the tenant's logo"
            );
            assert!(
                email.html.contains(&format!("lang={}", locale.as_str())),
                "the link opens the pages in the e-mail's language"
            );
            let file = dir.join(format!("{template}-{}.html", locale.as_str()));
            std::fs::write(&file, &email.html).unwrap();
            d.goto(format!("file://{}", file.display())).await.unwrap();
            let inner = d
                .execute("return window.innerWidth;", vec![])
                .await
                .unwrap();
            assert_eq!(inner.json().as_u64(), Some(320), "a 320 px window");
            for o in browser.overflow().await {
                problems.push(format!("{template} ({locale:?}): {o}"));
            }
            let cut = d
                .execute(
                    "return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 320.5).map(e => e.tagName + ': ' + (e.textContent || '').slice(0, 40));",
                    vec![],
                )
                .await
                .unwrap();
            let cut: Vec<String> = serde_json::from_value(cut.json().clone()).unwrap();
            for c in cut {
                problems.push(format!("{template} ({locale:?}): cut at 320 px: {c}"));
            }
            for v in browser.axe_violations().await {
                problems.push(format!("{template} ({locale:?}): {v}"));
            }
        }
    }
    browser.quit().await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
