//! Notifications: every e-mail renders in every language with the tenant's branding and
//! the unsubscribe link exactly where it may be turned off; the one-click unsubscribe over
//! real SMTP and HTTP (RFC 8058); challenge and monthly e-mails queued once; opt-outs
//! honoured when queuing and when sending, never for essential e-mails; links of another
//! user or tenant, or tampered, refused.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use diesel::prelude::*;
use relais::db::schema::{jobs, tenants};
use relais::db::tenants::Tenant;
use relais::db::users::User;
use relais::domain::ledger::Points;
use relais::domain::notifications::{category, Category, Unsubscribe};
use relais::domain::{ChallengeId, Locale, TenantId, UserId, Zone};
use relais::services::audit::Actor;
use relais::services::challenges::close;
use relais::services::challenges::setup::{self, ChallengeInput};
use relais::services::email::{self, EmailMessage, TEMPLATES};
use relais::services::notifications::{self, monthly};

use super::declarations::support::*;
use crate::common::smtp::SmtpSink;
use crate::common::{spawn_app, TestApp};

fn secret(app: &TestApp) -> Vec<u8> {
    app.settings.security.secret_key.as_bytes().to_vec()
}

/// E-mail jobs of a template: (recipient, status).
fn emails(app: &TestApp, template: &str) -> Vec<(String, String)> {
    jobs::table
        .filter(jobs::kind.eq("email"))
        .filter(diesel::dsl::sql::<diesel::sql_types::Bool>(&format!(
            "payload->>'template' = '{template}'"
        )))
        .order(jobs::id)
        .select((jobs::payload, jobs::status))
        .load::<(serde_json::Value, String)>(&mut app.conn())
        .unwrap()
        .into_iter()
        .map(|(p, s)| (p["to"].as_str().unwrap().to_string(), s))
        .collect()
}

fn opt_out(app: &TestApp, user: &User, category: Category) {
    let wanted: Vec<Category> = Category::optional_ones()
        .filter(|c| *c != category)
        .collect();
    notifications::save_preferences(
        &mut app.conn(),
        user.tenant(),
        user.user_id(),
        &wanted,
        Utc::now(),
    )
    .unwrap();
}

fn earn(app: &TestApp, user: &User, points: i64, key: &str, at: DateTime<Utc>) {
    let meta = relais::services::ledger::Meta::new(key, at);
    relais::services::ledger::earn(
        &mut app.conn(),
        user.tenant(),
        user.user_id(),
        Points(points),
        &meta,
    )
    .unwrap();
}

/// 06:00 on the `day` of the month after this one, in the tenant's zone.
fn next_month(zone: Zone, day: u32) -> DateTime<Utc> {
    let today = zone.today(Utc::now());
    let first =
        NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap() + chrono::Months::new(1);
    zone.day_start(first.with_day(day).unwrap()) + Duration::hours(6)
}

#[test]
fn every_template_has_a_category_and_every_category_a_name_in_every_language() {
    for template in TEMPLATES {
        assert!(
            category(template).is_some(),
            "{template} has no category: add it to domain::notifications::category"
        );
    }
    for c in Category::optional_ones() {
        for locale in Locale::ALL {
            for key in [c.label_key(), format!("{}-hint", c.label_key())] {
                let text = relais::i18n::tr(locale, &key);
                assert!(!text.contains("Unknown localization"), "{key} {locale:?}");
            }
        }
    }
}

#[actix_web::test]
async fn every_email_renders_in_every_language_with_the_branding_and_the_right_footer() {
    let app = spawn_app().await;
    let (tenant, admin) = app.create_tenant("acme", "Acme Beauté");
    diesel::update(tenants::table)
        .set(tenants::primary_color.eq("#0b5e7a"))
        .execute(&mut app.conn())
        .unwrap();
    let tenant = relais::db::tenants::find(&mut app.conn(), tenant.tenant_id()).unwrap();
    let templates = relais::templates::load(&app.settings).unwrap();
    let args = serde_json::json!({
        "hours": 72, "points": 12500, "reversed": 0, "date": "2026-12-31",
        "rank": 3, "percent": 104, "result": 52, "target": 50,
        "invoice_ref": "INV-1", "sale_date": "2026-11-20", "reason_key": null,
        "reason_text": "Blurred", "title": "Spring sticks", "reason": "Blurred",
        "order": 42, "lines": [{ "name": "Headphones", "quantity": 2 }],
        "codes": ["GIFT-1"], "reward": "Headphones", "quantity": 2,
        "carrier": "Colissimo", "tracking_number": "6A1",
        "starts_at": "2026-12-01T00:00:00Z", "ends_at": "2026-12-20T00:00:00Z",
        "month": "2026-11-01", "earned": 1200, "spent": 300, "balance": 4500,
        "expiring": 200, "expiring_before": "2027-02-28", "approved": 4,
    });
    for template in TEMPLATES {
        let optional = category(template).unwrap().optional();
        for locale in Locale::ALL {
            let message = EmailMessage {
                to: admin.email.clone(),
                to_name: "Léa".into(),
                locale,
                template: template.to_string(),
                link_path: Some("/points".into()),
                args: args.clone(),
            };
            let what = format!("{template} {locale:?}");
            let email = relais::email::render::render_for(
                &templates,
                &app.settings,
                &tenant,
                &message,
                Some(admin.user_id()),
            )
            .unwrap_or_else(|e| panic!("{what}: {e}"));
            assert!(email.subject.contains("Acme Beauté"), "{what}: subject");
            assert!(email.html.contains("#0b5e7a"), "{what}: the colour");
            for part in [&email.html, &email.text, &email.subject] {
                assert!(!part.contains("Unknown localization"), "{what}: {part}");
                assert!(!part.contains("{$"), "{what}: a missing argument: {part}");
                assert!(!part.contains("notify-"), "{what}: a key shown: {part}");
                assert!(part.contains("Acme Beauté"), "{what}: the tenant's name");
            }
            let link = format!("/unsubscribe/v1.{}.{}.", tenant.id, admin.user_id());
            assert_eq!(email.unsubscribe.is_some(), optional, "{what}: header");
            // Tera escapes the slashes of the HTML part.
            let escaped = link.replace('/', "&#x2F;");
            assert_eq!(
                email.html.contains(&escaped),
                optional,
                "{what}: html footer"
            );
            assert_eq!(email.text.contains(&link), optional, "{what}: text footer");
            if optional {
                assert!(
                    email.text.contains("/account/notifications"),
                    "{what}: the preferences link"
                );
            }
        }
    }
}

#[actix_web::test]
async fn one_click_unsubscribe_over_smtp_stops_the_next_summary_but_not_essential_emails() {
    let app = spawn_app().await;
    let shop = shop(&app, "acme").await;
    let lea = &shop.participant;
    earn(&app, lea, 120, "welcome", Utc::now());
    let zone = shop.tenant.zone();
    let first = next_month(zone, 1);
    let run = relais::services::points::run_daily(&mut app.conn(), shop.tenant.tenant_id(), first)
        .unwrap();
    assert_eq!(run.notices.monthly_summaries, 1);

    let sink = SmtpSink::start().await;
    app.worker(sink.port).run_due(first).await.unwrap();
    let mails = sink.messages();
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert_eq!(mail.to, vec![lea.email.clone()]);
    let header = mail.header("List-Unsubscribe");
    assert!(
        header.starts_with("<http://acme.")
            && header.contains("/unsubscribe/v1.")
            && header.ends_with('>'),
        "{header}"
    );
    assert_eq!(
        mail.header("List-Unsubscribe-Post"),
        "List-Unsubscribe=One-Click"
    );
    assert!(mail.text().contains("120"), "{}", mail.text());
    let link = header.trim_matches(['<', '>']).to_string();
    // The text footer (the sink's `text()` stops at the signature line "-- "; the HTML
    // part escapes its slashes, so a match is the text part's).
    let raw = mail.data.replace("=\r\n", "").replace("=\n", "");
    assert!(raw.contains(&link), "the footer shows the same link {link}");

    // What a mail client does: a POST to the link, no cookie, no CSRF token.
    let path = reqwest::Url::parse(&link).unwrap().path().to_string();
    let client = app.client(&app.host(&shop.tenant));
    let res = client
        .http
        .post(format!("{}{path}", client.base))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let opted =
        relais::db::opt_outs::of_user(&mut app.conn(), shop.tenant.tenant_id(), lea.user_id())
            .unwrap();
    assert_eq!(opted, vec!["monthly_summary".to_string()]);

    // The next month: nothing queued, nothing sent.
    let later = next_month(zone, 1) + Duration::days(31);
    let later = zone.day_start(zone.today(later).with_day(1).unwrap()) + Duration::hours(6);
    let run = relais::services::points::run_daily(&mut app.conn(), shop.tenant.tenant_id(), later)
        .unwrap();
    assert_eq!(run.notices.monthly_summaries, 0);
    // A summary queued before the opt-out is skipped when sending, and said so.
    let queued = EmailMessage {
        to: lea.email.clone(),
        to_name: lea.display_name.clone(),
        locale: Locale::En,
        template: monthly::TEMPLATE.into(),
        link_path: Some("/points".into()),
        args: serde_json::json!({ "month": "2026-11-01" }),
    };
    email::queue(&mut app.conn(), shop.tenant.tenant_id(), &queued).unwrap();
    // An essential e-mail still goes.
    let reset = EmailMessage {
        template: "password_reset".into(),
        link_path: Some("/account/reset/abc".into()),
        args: serde_json::json!({ "hours": 2 }),
        ..queued.clone()
    };
    email::queue(&mut app.conn(), shop.tenant.tenant_id(), &reset).unwrap();
    app.worker(sink.port).run_due(later).await.unwrap();
    let mails = sink.messages();
    assert_eq!(mails.len(), 2, "only the reset e-mail was added");
    assert!(
        mails[1].subject().contains("password"),
        "{}",
        mails[1].subject()
    );
    assert!(
        mails[1].header("List-Unsubscribe").is_empty(),
        "essential: no link"
    );
    let summaries = emails(&app, monthly::TEMPLATE);
    assert_eq!(
        summaries
            .iter()
            .map(|(_, s)| s.as_str())
            .collect::<Vec<_>>(),
        vec!["done", "skipped"]
    );
    // The admin's e-mail list shows it as not sent.
    let admin = admin(&app, &shop.tenant).await;
    let page = admin.get("/admin/emails?status=skipped").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Not sent (turned off)"), "{}", page.body);
}

#[actix_web::test]
async fn the_monthly_summary_goes_once_a_month_with_last_months_figures() {
    let app = spawn_app().await;
    let shop = shop(&app, "acme").await;
    let tid = shop.tenant.tenant_id();
    let lea = &shop.participant;
    earn(&app, lea, 120, "sale-1", Utc::now());
    earn(&app, lea, 30, "sale-2", Utc::now());
    let bob = add_participant(
        &app,
        &shop.tenant,
        shop.partner_id,
        "bob@acme.example",
        "Bob",
    );
    earn(&app, &bob, 10, "bob-1", Utc::now());
    opt_out(&app, &bob, Category::MonthlySummary);
    // Nothing to tell: no e-mail.
    add_participant(
        &app,
        &shop.tenant,
        shop.partner_id,
        "zed@acme.example",
        "Zed",
    );
    let zone = shop.tenant.zone();
    let t = relais::db::tenants::find(&mut app.conn(), tid).unwrap();

    for now in [
        next_month(zone, 1),
        next_month(zone, 1),
        next_month(zone, 2),
    ] {
        monthly::queue_due(&mut app.conn(), &t, now).unwrap();
    }
    assert_eq!(
        monthly::queue_due(&mut app.conn(), &t, next_month(zone, 15)).unwrap(),
        0
    );
    let sent = emails(&app, monthly::TEMPLATE);
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].0, lea.email);
    let payload: serde_json::Value = jobs::table
        .filter(jobs::kind.eq("email"))
        .select(jobs::payload)
        .first(&mut app.conn())
        .unwrap();
    let args = &payload["args"];
    assert_eq!(args["earned"], 150);
    assert_eq!(args["spent"], 0);
    assert_eq!(args["balance"], 150);
    assert_eq!(args["approved"], 0);
    assert_eq!(payload["locale"], "en");
    assert_eq!(payload["template"], "monthly_summary");
}

fn scheduled_challenge(app: &TestApp, tenant: &Tenant, starts: i64, ends: i64) -> ChallengeId {
    let today = tenant.zone().today(Utc::now());
    let mut input = ChallengeInput::blank(today);
    input.title = "Spring sticks".into();
    input.starts_on = (today + Duration::days(starts)).to_string();
    input.ends_on = (today + Duration::days(ends)).to_string();
    let id = setup::save(
        &mut app.conn(),
        tenant.tenant_id(),
        &Actor::system("test"),
        None,
        &input,
        Utc::now(),
    )
    .unwrap()
    .id;
    setup::publish(
        &mut app.conn(),
        tenant.tenant_id(),
        &Actor::system("test"),
        id,
        Utc::now(),
    )
    .unwrap();
    id
}

#[actix_web::test]
async fn challenge_launched_and_ending_emails_are_queued_once_to_those_who_want_them() {
    let app = spawn_app().await;
    let shop = shop(&app, "acme").await;
    let tid = shop.tenant.tenant_id();
    add_participant(
        &app,
        &shop.tenant,
        shop.partner_id,
        "bob@acme.example",
        "Bob",
    );
    let carol = add_participant(
        &app,
        &shop.tenant,
        shop.partner_id,
        "carol@acme.example",
        "Carol",
    );
    opt_out(&app, &carol, Category::Challenges);

    let id = scheduled_challenge(&app, &shop.tenant, 1, 8);
    assert!(
        emails(&app, "challenge_launched").is_empty(),
        "not started yet"
    );
    let c = relais::db::challenges::find(&mut app.conn(), tid, id).unwrap();
    for _ in 0..2 {
        close::advance(&mut app.conn(), tid, id, c.starts_at + Duration::minutes(1)).unwrap();
    }
    let mut launched: Vec<String> = emails(&app, "challenge_launched")
        .into_iter()
        .map(|(to, _)| to)
        .collect();
    launched.sort();
    assert_eq!(launched, vec!["bob@acme.example", "lea@acme.example"]);

    // Five days before the end: nothing; three days before, twice: once each.
    notifications::daily(&mut app.conn(), tid, c.ends_at - Duration::days(5)).unwrap();
    assert!(emails(&app, "challenge_ending").is_empty());
    for _ in 0..2 {
        notifications::daily(&mut app.conn(), tid, c.ends_at - Duration::days(3)).unwrap();
    }
    assert_eq!(emails(&app, "challenge_ending").len(), 2);

    // Published while running: launched at publication, not again at the next tick.
    let running = scheduled_challenge(&app, &shop.tenant, -2, 8);
    close::advance(&mut app.conn(), tid, running, Utc::now()).unwrap();
    assert_eq!(emails(&app, "challenge_launched").len(), 4);

    // The e-mails render for their recipients.
    let sink = SmtpSink::start().await;
    app.worker(sink.port).run_due(Utc::now()).await.unwrap();
    let mail = sink
        .messages()
        .into_iter()
        .find(|m| m.subject().contains("new challenge"))
        .unwrap();
    assert!(mail.text().contains("Spring sticks"), "{}", mail.text());
    assert!(!mail.header("List-Unsubscribe").is_empty());
}

#[actix_web::test]
async fn the_preferences_page_saves_choices_and_tampered_or_foreign_links_are_refused() {
    let app = spawn_app().await;
    let shop = shop(&app, "acme").await;
    let other = super::declarations::support::shop(&app, "globex").await;
    let tid = shop.tenant.tenant_id();
    let lea = &shop.participant;

    let page = shop.client.get("/account/notifications").await;
    assert_eq!(page.status, 200);
    assert_eq!(page.texts("input[type=checkbox][checked]").len(), 6);
    let home = shop.client.get("/").await;
    assert!(
        home.body.contains("href=\"/account/notifications\""),
        "linked from the portal"
    );
    let saved = shop
        .client
        .post_form(
            "/account/notifications",
            &[
                ("declarations", "on"),
                ("challenges", "on"),
                ("bogus", "on"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303);
    let mut off = relais::db::opt_outs::of_user(&mut app.conn(), tid, lea.user_id()).unwrap();
    off.sort();
    assert_eq!(
        off,
        vec!["achievements", "missions", "monthly_summary", "points"]
    );
    let page = shop.client.get("/account/notifications").await;
    assert!(page.body.contains("Your email choices are saved."));
    // Without the CSRF token: refused.
    let forged = shop
        .client
        .post_form_raw("/account/notifications", &[("points", "on")])
        .await;
    assert_eq!(forged.status, 403);

    let token = |tenant: TenantId, user: UserId, category| {
        Unsubscribe {
            tenant,
            user,
            category,
        }
        .token(&secret(&app))
    };
    let anonymous = app.client(&app.host(&shop.tenant));
    let good = token(tid, lea.user_id(), Category::Challenges);
    let confirm = anonymous.get(&format!("/unsubscribe/{good}")).await;
    assert_eq!(confirm.status, 200);
    assert!(confirm.body.contains("data-testid=\"unsubscribe\""));
    assert!(confirm.body.contains("Challenges"));
    // Opening the link changes nothing; its button does.
    assert!(
        !relais::db::opt_outs::is_opted_out(&mut app.conn(), tid, lea.user_id(), "challenges")
            .unwrap()
    );
    let done = anonymous
        .post_form(&format!("/unsubscribe/{good}"), &[])
        .await;
    assert_eq!(done.status, 200);
    assert!(done.body.contains("data-testid=\"unsubscribed\""));
    assert!(
        relais::db::opt_outs::is_opted_out(&mut app.conn(), tid, lea.user_id(), "challenges")
            .unwrap()
    );

    // Tampered: another user's id, or another category, under Léa's signature.
    let mac = good.rsplit_once('.').unwrap().1;
    let bob = add_participant(
        &app,
        &shop.tenant,
        shop.partner_id,
        "bob@acme.example",
        "Bob",
    );
    for forged in [
        format!("v1.{tid}.{}.challenges.{mac}", bob.id),
        format!("v1.{tid}.{}.monthly_summary.{mac}", lea.id),
        format!("v1.{tid}.{}.essential.{mac}", lea.id),
        "not-a-token".to_string(),
        format!("{good}AA"),
    ] {
        for page in [
            anonymous.get(&format!("/unsubscribe/{forged}")).await,
            anonymous
                .post_form_raw(&format!("/unsubscribe/{forged}"), &[])
                .await,
        ] {
            assert_eq!(page.status, 400, "{forged}");
            assert!(page.body.contains("data-testid=\"link-problem\""));
        }
    }
    assert!(
        !relais::db::opt_outs::is_opted_out(&mut app.conn(), tid, bob.user_id(), "challenges")
            .unwrap()
    );
    // Another tenant's valid link, opened on this tenant's site: refused, nothing written.
    let foreign = token(
        other.tenant.tenant_id(),
        other.participant.user_id(),
        Category::Challenges,
    );
    for page in [
        anonymous.get(&format!("/unsubscribe/{foreign}")).await,
        anonymous
            .post_form_raw(&format!("/unsubscribe/{foreign}"), &[])
            .await,
    ] {
        assert_eq!(page.status, 404);
        assert!(page.body.contains("another programme"), "{}", page.body);
    }
    // And a link for a user id of the other tenant, signed for this tenant: unknown here.
    let stray = token(tid, other.participant.user_id(), Category::Challenges);
    let page = anonymous
        .post_form_raw(&format!("/unsubscribe/{stray}"), &[])
        .await;
    assert_eq!(page.status, 404);
    let theirs = relais::db::opt_outs::of_user(
        &mut app.conn(),
        other.tenant.tenant_id(),
        other.participant.user_id(),
    )
    .unwrap();
    assert!(theirs.is_empty());
    // On its own tenant's site, the other link works.
    let there = app.client(&app.host(&other.tenant));
    let page = there
        .post_form_raw(&format!("/unsubscribe/{foreign}"), &[])
        .await;
    assert_eq!(page.status, 200);
}

/// On a phone: the link of the monthly summary opens a confirmation, its button
/// unsubscribes; the preferences page then shows the box unticked. Both pages pass axe
/// and fit the screen.
#[actix_web::test]
async fn on_a_phone_a_participant_unsubscribes_through_the_link_of_the_summary() {
    use crate::common::browser::{submit_login, Browser};
    use thirtyfour::prelude::*;

    let app = spawn_app().await;
    let shop = shop(&app, "acme").await;
    let lea = &shop.participant;
    earn(&app, lea, 120, "welcome", Utc::now());
    let first = next_month(shop.tenant.zone(), 1);
    relais::services::points::run_daily(&mut app.conn(), shop.tenant.tenant_id(), first).unwrap();
    let sink = SmtpSink::start().await;
    app.worker(sink.port).run_due(first).await.unwrap();
    let link = sink.messages()[0]
        .header("List-Unsubscribe")
        .trim_matches(['<', '>'])
        .to_string();

    let browser = Browser::start(390, 844).await;
    let d = &browser.driver;
    let mut problems = vec![];
    d.goto(&link).await.unwrap();
    problems.extend(browser.axe_violations().await);
    problems.extend(browser.overflow().await);
    d.find(By::Css("[data-testid=unsubscribe]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let done = d.find(By::Css("[data-testid=unsubscribed]")).await.unwrap();
    assert!(done.text().await.unwrap().contains("Monthly summary"));
    assert!(relais::db::opt_outs::is_opted_out(
        &mut app.conn(),
        lea.tenant(),
        lea.user_id(),
        "monthly_summary"
    )
    .unwrap());

    d.goto(app.url(
        &app.host(&shop.tenant),
        "/login?next=/account/notifications",
    ))
    .await
    .unwrap();
    submit_login(d, &lea.email, crate::common::PASSWORD).await;
    d.find(By::Css("[data-testid=logout]")).await.unwrap();
    d.goto(app.url(&app.host(&shop.tenant), "/account/notifications"))
        .await
        .unwrap();
    let summary = d.find(By::Id("notify-monthly_summary")).await.unwrap();
    assert!(!summary.is_selected().await.unwrap(), "unticked");
    assert!(d
        .find(By::Id("notify-challenges"))
        .await
        .unwrap()
        .is_selected()
        .await
        .unwrap());
    problems.extend(browser.axe_violations().await);
    problems.extend(browser.overflow().await);
    browser.quit().await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
