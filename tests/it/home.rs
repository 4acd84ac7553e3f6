//! The participant's home: balance, running challenges, missions to do, rewards within
//! reach and the latest declarations — each read by its area's service, of this
//! tenant only.

use chrono::Utc;
use relais::db::tenants::Tenant;
use relais::db::users::User;
use relais::domain::ledger::{Cause, CauseType, Points};
use relais::domain::Role;
use relais::services::audit::Actor;
use relais::services::demo;
use relais::services::ledger::{self, Meta};
use relais::services::rewards::catalog::{self, RewardInput};

use crate::common::{spawn_app, TestApp, PASSWORD};

fn earn(app: &TestApp, tenant: &Tenant, user: &User, amount: i64) {
    let key = format!("home-earn-{}", user.id);
    let meta = Meta::new(&key, Utc::now()).cause(Cause {
        kind: CauseType::Declaration,
        id: Some(1),
    });
    ledger::earn(
        &mut app.conn(),
        tenant.tenant_id(),
        user.id,
        Points(amount),
        &meta,
    )
    .unwrap();
}

fn reward(app: &TestApp, tenant: &Tenant, code: &str, points: i64, stock: &str) {
    let input = RewardInput {
        code: code.into(),
        name: format!("Reward {code}"),
        description: "A fine reward.".into(),
        category: "Tech".into(),
        kind: "physical".into(),
        points: points.to_string(),
        stock: stock.into(),
        ..RewardInput::default()
    };
    catalog::create(
        &mut app.conn(),
        tenant.tenant_id(),
        &Actor::system("test"),
        &input,
    )
    .unwrap();
}

#[actix_web::test]
async fn the_home_offers_the_dearest_affordable_rewards_and_the_next_goal_of_its_own_tenant() {
    let app = spawn_app().await;
    let (tenant, _) = app.create_tenant("homea", "Home A");
    let (other, _) = app.create_tenant("homeb", "Home B");
    let partner = app.create_partner(&tenant, "P-1");
    let lea = app.create_user(&tenant, Role::Participant, "lea@homea.example", "Léa");
    let lea = app.join_partner(tenant.tenant_id(), lea.id, partner.id);
    earn(&app, &tenant, &lea, 250);
    reward(&app, &tenant, "R100", 100, "");
    reward(&app, &tenant, "R150", 150, "0"); // out of stock: never offered
    reward(&app, &tenant, "R200", 200, "5");
    reward(&app, &tenant, "R300", 300, "");
    reward(&app, &tenant, "R900", 900, "");
    reward(&app, &other, "B250", 250, ""); // another tenant's

    let client = app.client(&app.host(&tenant));
    assert_eq!(client.login(&lea.email, PASSWORD).await.status, 303);
    let home = client.get("/").await;
    assert_eq!(home.status, 200, "{}", home.body);
    assert_eq!(home.texts("[data-testid=balance] strong"), vec!["250"]);
    assert_eq!(
        home.texts("[data-testid=home-rewards] .home-item-title"),
        vec!["Reward R200", "Reward R100", "Reward R300"],
        "the dearest affordable first, then the cheapest one to aim for"
    );
    assert_eq!(
        home.texts("[data-testid=reward-missing]"),
        vec!["50 points missing"]
    );
    assert!(!home.body.contains("B250"), "nothing of another tenant");
    // Quick actions: declare a sale (Léa belongs to a partner) and the catalog.
    assert!(home.body.contains("href=\"/declarations/new\""));
    assert!(home.body.contains("data-testid=\"catalog-action\""));
    assert_eq!(
        home.texts("[data-testid=home-declarations] .hint"),
        vec!["No declaration yet: declare your first sale to earn points."]
    );

    // A participant without a partner has nothing to declare.
    let solo = app.create_user(&tenant, Role::Participant, "solo@homea.example", "Solo");
    let client = app.client(&app.host(&tenant));
    assert_eq!(client.login(&solo.email, PASSWORD).await.status, 303);
    let home = client.get("/").await;
    assert_eq!(home.status, 200);
    assert!(!home.body.contains("href=\"/declarations/new\""));
    assert!(!home.body.contains("data-testid=\"home-declarations\""));
    assert_eq!(home.texts("[data-testid=balance] strong"), vec!["0"]);
    assert_eq!(
        home.texts("[data-testid=home-rewards] .home-item-title"),
        vec!["Reward R100"],
        "nothing affordable: only the next goal"
    );
}

#[actix_web::test]
async fn a_demo_participant_sees_a_challenge_bar_a_mission_a_reward_and_her_declarations() {
    let app = spawn_app().await;
    demo::seed(&mut app.conn(), &app.storage()).expect("seed demo");
    let lea = &demo::DEMO_USERS[2];
    let client = app.client("respire.localhost");
    assert_eq!(
        client.login(lea.email, demo::DEMO_PASSWORD).await.status,
        303
    );
    let home = client.get("/").await;
    assert_eq!(home.status, 200, "{}", home.body);
    assert!(
        !home.texts("[data-testid=challenge-bar]").is_empty(),
        "a running challenge's bar"
    );
    assert!(
        !home.texts("[data-testid=challenge-rank]").is_empty(),
        "and her rank"
    );
    assert!(!home
        .texts("[data-testid=home-missions] .home-item-title")
        .is_empty());
    assert!(!home
        .texts("[data-testid=home-rewards] .home-item-title")
        .is_empty());
    assert_eq!(
        home.texts("[data-testid=home-declarations] .home-item-title")
            .len(),
        3
    );
    let tiers = client.get("/tiers").await;
    assert!(
        !home.texts("[data-testid=tier-progress]").is_empty(),
        "progress to the next status: {:?}",
        tiers.texts("[data-testid=earned]")
    );
    assert!(
        !home.texts("[data-testid=home-badges] li").is_empty(),
        "her badges"
    );
    assert!(
        !home
            .texts("[data-testid=home-news] .home-item-title")
            .is_empty(),
        "the news"
    );
    assert!(
        !home.texts("[data-testid=monthly-rank]").is_empty(),
        "her rank of the month"
    );

    // The back office's people land on their own home.
    let admin = app.client("respire.localhost");
    assert_eq!(
        admin
            .login(demo::DEMO_USERS[0].email, demo::DEMO_PASSWORD)
            .await
            .status,
        303
    );
    let page = admin.get("/").await;
    assert_eq!(page.status, 303);
}

/// The bottom of the lowest element matching each selector, in CSS pixels from the top
/// of the page (the window is scrolled to the top).
async fn bottoms(d: &thirtyfour::WebDriver, selectors: &[&str]) -> Vec<(String, f64)> {
    let ret = d
        .execute(
            r#"window.scrollTo(0, 0);
return arguments[0].map(s => { const e = document.querySelector(s); return [s, e ? e.getBoundingClientRect().bottom : -1]; });"#,
            vec![serde_json::json!(selectors)],
        )
        .await
        .expect("measure");
    serde_json::from_value(ret.json().clone()).expect("bottoms")
}

/// The issue's acceptance journey: on a phone, a participant sees her balance, her
/// status tier's progress, a running challenge's bar, a mission to do and a reward
/// within reach without scrolling; then the monthly summary arrives over SMTP and its
/// unsubscribe link turns that e-mail off.
#[actix_web::test]
async fn on_a_phone_a_participant_sees_her_programme_at_a_glance_then_unsubscribes_from_the_summary(
) {
    use crate::common::browser::{submit_login, Browser};
    use crate::common::smtp::SmtpSink;
    use chrono::{Datelike, Duration, NaiveDate};
    use thirtyfour::prelude::*;

    let app = spawn_app().await;
    let report = demo::seed(&mut app.conn(), &app.storage()).expect("seed demo");
    let lea = &demo::DEMO_USERS[2];
    let browser = Browser::start(390, 844).await;
    let d = &browser.driver;
    d.goto(app.url("respire.localhost", "/")).await.unwrap();
    submit_login(d, lea.email, demo::DEMO_PASSWORD).await;
    d.find(By::Css("[data-testid=logout]")).await.unwrap();
    d.find(By::Css("[data-testid=balance]")).await.unwrap();
    let height: f64 = serde_json::from_value(
        d.execute("return window.innerHeight;", vec![])
            .await
            .unwrap()
            .json()
            .clone(),
    )
    .unwrap();
    let wanted = [
        "[data-testid=balance]",
        "[data-testid=tier-progress]",
        "[data-testid=challenge-bar]",
        "[data-testid=home-missions] .home-item",
        "[data-testid=home-rewards] .home-reward",
    ];
    if let Ok(dir) = std::env::var("RELAIS_SCREENSHOTS") {
        let png = d.screenshot_as_png().await.unwrap();
        std::fs::write(format!("{dir}/home-phone.png"), png).unwrap();
    }
    for (selector, bottom) in bottoms(d, &wanted).await {
        assert!(
            bottom > 0.0 && bottom <= height,
            "{selector} ends at {bottom}px, beyond the {height}px screen"
        );
    }
    let mut problems = browser.overflow().await;
    problems.extend(browser.axe_violations().await);

    // The 1st of next month: the daily job queues last month's summary; the worker
    // sends it over SMTP.
    let tenant = report.tenant;
    let zone = tenant.zone();
    let today = zone.today(Utc::now());
    let first =
        NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap() + chrono::Months::new(1);
    let at = zone.day_start(first) + Duration::hours(6);
    relais::services::points::run_daily(&mut app.conn(), tenant.tenant_id(), at).unwrap();
    let sink = SmtpSink::start().await;
    app.worker(sink.port).run_due(at).await.unwrap();
    let mails = sink.messages();
    let summary = mails
        .iter()
        .find(|m| {
            m.to == vec![lea.email.to_string()]
                && m.header("List-Unsubscribe").contains("monthly_summary")
        })
        .expect("Léa's monthly summary");
    let link = summary
        .header("List-Unsubscribe")
        .trim_matches(['<', '>'])
        .to_string();

    d.goto(&link).await.unwrap();
    problems.extend(browser.axe_violations().await);
    d.find(By::Css("[data-testid=unsubscribe]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    d.find(By::Css("[data-testid=unsubscribed]")).await.unwrap();
    let user = relais::db::users::find_by_email(&mut app.conn(), tenant.tenant_id(), lea.email)
        .unwrap()
        .unwrap();
    assert!(relais::db::opt_outs::is_opted_out(
        &mut app.conn(),
        tenant.tenant_id(),
        user.id,
        "monthly_summary"
    )
    .unwrap());
    browser.quit().await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
