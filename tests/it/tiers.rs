//! Status tiers: thresholds on points earned (exactly at it, one below), the rolling
//! window and the daily job that demotes, the calendar year, the admin's floor (reason
//! required, audited), the multiplier on a declaration, a reward locked below its tier
//! (refused at redeem, nothing written), the tier_changed e-mail queued once, the
//! configuration form's refusals, and another tenant's tiers and participants never.

use chrono::{DateTime, Duration, Months, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use relais::db::tenants::Tenant;
use relais::db::users::User;
use relais::domain::ledger::{Cause, CauseType, Points};
use relais::domain::Role;
use relais::services::audit::Actor;
use relais::services::ledger::{self, Meta};
use relais::services::rewards::catalog::{self, RewardInput};
use relais::services::tiers::{self, TiersInput};

use crate::common::{spawn_app, Page, TestApp, TestClient, PASSWORD};
use crate::declarations::support;

fn actor() -> Actor {
    Actor::system("test")
}

/// Bronze from 0, Silver from 100 (×1.1), Gold from 200 (×1.25), counted over `window`.
fn set_tiers(app: &TestApp, tenant: &Tenant, window: &str) {
    let mut input = TiersInput {
        window: window.into(),
        ..Default::default()
    };
    for (k, v) in [
        ("name_1", "Bronze"),
        ("threshold_1", "0"),
        ("multiplier_1", "1"),
        ("name_2", "Silver"),
        ("threshold_2", "100"),
        ("multiplier_2", "1.1"),
        ("name_3", "Gold"),
        ("threshold_3", "200"),
        ("multiplier_3", "1.25"),
    ] {
        input.fields.insert(k.into(), v.into());
    }
    tiers::save_settings(&mut app.conn(), tenant.tenant_id(), &actor(), &input).unwrap();
}

fn earn_at(app: &TestApp, tenant: &Tenant, user: &User, amount: i64, at: DateTime<Utc>) -> i64 {
    let key = format!("tier-test-{}-{amount}-{}", user.id, at.timestamp_micros());
    let meta = Meta::new(&key, at).cause(Cause {
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
    .unwrap()
    .id()
    .0
}

fn earn(app: &TestApp, tenant: &Tenant, user: &User, amount: i64) -> i64 {
    earn_at(app, tenant, user, amount, Utc::now())
}

/// The stored tier's name ("" without one).
fn tier_of(app: &TestApp, tenant: &Tenant, user: &User) -> String {
    let p = tiers::progress(&mut app.conn(), tenant.tenant_id(), user.id, Utc::now())
        .unwrap()
        .expect("tiers");
    p.current.map(|t| t.name).unwrap_or_default()
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// tier_changed e-mails queued for this address.
fn tier_emails(app: &TestApp, to: &str) -> i64 {
    diesel::sql_query(
        "SELECT count(*) AS n FROM jobs WHERE kind = 'email'
         AND payload->>'template' = 'tier_changed' AND payload->>'to' = $1",
    )
    .bind::<Text, _>(to)
    .get_result::<Count>(&mut app.conn())
    .unwrap()
    .n
}

#[derive(QueryableByName)]
struct AuditRow {
    #[diesel(sql_type = Text)]
    after: String,
}

fn audit(app: &TestApp, tenant: &Tenant, action: &str) -> Vec<String> {
    diesel::sql_query(
        "SELECT coalesce(after::text, '') AS after FROM audit_events
         WHERE tenant_id = $1 AND action = $2 ORDER BY id",
    )
    .bind::<BigInt, _>(tenant.tenant_id())
    .bind::<Text, _>(action)
    .load::<AuditRow>(&mut app.conn())
    .unwrap()
    .into_iter()
    .map(|r| r.after)
    .collect()
}

struct Programme {
    tenant: Tenant,
    lea: User,
    client: TestClient,
    admin: TestClient,
}

async fn programme(app: &TestApp, slug: &str) -> Programme {
    let (tenant, admin) = app.create_tenant(slug, &format!("{slug} brand"));
    let partner = app.create_partner(&tenant, "PH-75-0001");
    let lea = app.create_user(
        &tenant,
        Role::Participant,
        &format!("lea@{slug}.example"),
        "Léa",
    );
    let lea = app.join_partner(tenant.tenant_id(), lea.id, partner.id);
    let client = app.client(&app.host(&tenant));
    assert_eq!(client.login(&lea.email, PASSWORD).await.status, 303);
    let admin_client = app.client(&app.host(&tenant));
    assert_eq!(admin_client.login(&admin.email, PASSWORD).await.status, 303);
    Programme {
        tenant,
        lea,
        client,
        admin: admin_client,
    }
}

#[actix_web::test]
async fn a_tier_is_reached_exactly_at_its_threshold_and_not_one_point_below() {
    let app = spawn_app().await;
    let p = programme(&app, "acme").await;
    set_tiers(&app, &p.tenant, "rolling");
    assert_eq!(tier_of(&app, &p.tenant, &p.lea), "Bronze");
    earn(&app, &p.tenant, &p.lea, 99);
    assert_eq!(tier_of(&app, &p.tenant, &p.lea), "Bronze");
    let page = p.client.get("/tiers").await;
    assert_eq!(page.status, 200);
    assert_eq!(
        page.texts("[data-testid=needed]"),
        vec!["1 more points to reach Silver."]
    );
    earn(&app, &p.tenant, &p.lea, 1);
    assert_eq!(tier_of(&app, &p.tenant, &p.lea), "Silver");
    let page = p.client.get("/tiers").await;
    assert_eq!(
        page.texts("[data-testid=standing] h2"),
        vec!["You are Silver"]
    );
    assert_eq!(
        page.texts("[data-testid=needed]"),
        vec!["100 more points to reach Gold."]
    );
    assert!(page.body.contains("href=\"/tiers\""), "in the navigation");
    // Spending points never lowers the tier: only points earned count.
    let hold = Meta::new("spend-1", Utc::now());
    ledger::hold(
        &mut app.conn(),
        p.tenant.tenant_id(),
        p.lea.id,
        Points(100),
        &hold,
    )
    .unwrap();
    relais::services::tiers::recompute_all(&mut app.conn(), p.tenant.tenant_id(), Utc::now(), true)
        .unwrap();
    assert_eq!(tier_of(&app, &p.tenant, &p.lea), "Silver");
}

#[actix_web::test]
async fn a_rolling_window_forgets_points_after_twelve_months_and_the_daily_job_demotes() {
    let app = spawn_app().await;
    let p = programme(&app, "acme").await;
    set_tiers(&app, &p.tenant, "rolling");
    let now = Utc::now();
    let year_ago = now.checked_sub_months(Months::new(12)).unwrap();
    // Earned 12 months and a day ago: out of the window.
    earn_at(&app, &p.tenant, &p.lea, 500, year_ago - Duration::days(1));
    assert_eq!(tier_of(&app, &p.tenant, &p.lea), "Bronze");
    // Earned 12 months ago to the day: still counted.
    earn_at(&app, &p.tenant, &p.lea, 100, year_ago);
    assert_eq!(tier_of(&app, &p.tenant, &p.lea), "Silver");
    let page = p.client.get("/tiers").await;
    assert!(
        !page.texts("[data-testid=leaving]").is_empty(),
        "{}",
        page.body
    );
    // A reversed earn no longer counts.
    let gold = earn(&app, &p.tenant, &p.lea, 100);
    assert_eq!(tier_of(&app, &p.tenant, &p.lea), "Gold");
    let meta = Meta::new("reverse-gold", Utc::now()).reason("cancelled sale");
    ledger::reverse(
        &mut app.conn(),
        p.tenant.tenant_id(),
        relais::domain::TransactionId(gold),
        &meta,
    )
    .unwrap();
    assert_eq!(tier_of(&app, &p.tenant, &p.lea), "Silver");
    // Two days later, the 100 points of a year ago have left the window: demoted.
    let run = relais::services::points::run_daily(
        &mut app.conn(),
        p.tenant.tenant_id(),
        now + Duration::days(2),
    )
    .unwrap();
    assert_eq!(run.tiers_changed, 1);
    assert_eq!(tier_of(&app, &p.tenant, &p.lea), "Bronze");
}

#[actix_web::test]
async fn a_calendar_year_counts_from_the_first_of_january() {
    let app = spawn_app().await;
    let p = programme(&app, "acme").await;
    set_tiers(&app, &p.tenant, "calendar");
    let now = Utc::now();
    let year = chrono::Datelike::year(&now);
    let new_year = chrono::NaiveDate::from_ymd_opt(year, 1, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc();
    earn_at(
        &app,
        &p.tenant,
        &p.lea,
        300,
        new_year - Duration::seconds(1),
    );
    assert_eq!(tier_of(&app, &p.tenant, &p.lea), "Bronze");
    earn_at(&app, &p.tenant, &p.lea, 100, new_year);
    assert_eq!(tier_of(&app, &p.tenant, &p.lea), "Silver");
    let page = p.client.get("/tiers").await;
    assert!(
        page.body.contains("since 1 January"),
        "the rule in plain words"
    );
    // On the next 1 January the count starts again.
    let next_year = new_year.checked_add_months(Months::new(12)).unwrap();
    relais::services::points::run_daily(&mut app.conn(), p.tenant.tenant_id(), next_year).unwrap();
    assert_eq!(tier_of(&app, &p.tenant, &p.lea), "Bronze");
}

#[actix_web::test]
async fn an_admin_sets_a_floor_with_a_reason_audited_and_never_below_the_computed_tier() {
    let app = spawn_app().await;
    let p = programme(&app, "acme").await;
    set_tiers(&app, &p.tenant, "rolling");
    earn(&app, &p.tenant, &p.lea, 120);
    let path = format!("/admin/points/{}/tier", p.lea.id);
    let page = p.admin.get(&path).await;
    assert_eq!(page.status, 200);
    assert_eq!(page.texts("[data-testid=tier-current]"), vec!["Silver"]);

    let refused = p
        .admin
        .post_form(&path, &[("floor", "3"), ("reason", " ")])
        .await;
    assert_eq!(refused.status, 422);
    assert!(!support::field_error(&refused, "reason").is_empty());
    assert_eq!(tier_of(&app, &p.tenant, &p.lea), "Silver");
    assert!(audit(&app, &p.tenant, "tier.floor_set").is_empty());
    let unknown = p
        .admin
        .post_form(&path, &[("floor", "9"), ("reason", "VIP")])
        .await;
    assert_eq!(unknown.status, 422);
    assert!(!support::field_error(&unknown, "floor").is_empty());

    let emails = tier_emails(&app, &p.lea.email);
    let saved = p
        .admin
        .post_form(
            &path,
            &[("floor", "3"), ("reason", "Key account, signed 2027 plan")],
        )
        .await;
    assert_eq!(saved.status, 303);
    assert_eq!(tier_of(&app, &p.tenant, &p.lea), "Gold");
    assert_eq!(tier_emails(&app, &p.lea.email), emails + 1);
    let logged = audit(&app, &p.tenant, "tier.floor_set");
    assert_eq!(logged.len(), 1);
    assert!(logged[0].contains("Key account, signed 2027 plan"));
    let page = p.client.get("/tiers").await;
    assert!(!page.texts("[data-testid=by-floor]").is_empty());

    // A floor below what was earned changes nothing: it is a floor.
    earn(&app, &p.tenant, &p.lea, 200);
    let low = p
        .admin
        .post_form(&path, &[("floor", "1"), ("reason", "Downgrade asked")])
        .await;
    assert_eq!(low.status, 303);
    assert_eq!(tier_of(&app, &p.tenant, &p.lea), "Gold");
    let page = p.admin.get(&path).await;
    assert!(!page.texts("[data-testid=floor-below]").is_empty());
}

#[actix_web::test]
async fn the_tier_multiplier_applies_to_a_declaration_and_shows_in_the_preview() {
    let app = spawn_app().await;
    let shop = support::shop(&app, "acme").await;
    set_tiers(&app, &shop.tenant, "rolling");
    earn(&app, &shop.tenant, &shop.participant, 200);
    let mut fields = support::good_fields("F-1");
    support::set(&mut fields, "action", 0, "preview");
    let page = support::post_declaration(&shop.client, &fields, vec![]).await;
    assert_eq!(page.status, 200, "{}", page.body);
    // 3 × 10 × 1.25 = 37 (rounded down), 2 × 8 × 1.25 = 20.
    assert_eq!(
        page.texts("[data-line-points]"),
        vec!["37 points", "20 points"]
    );
    assert_eq!(
        page.texts("[data-testid=preview-points]"),
        vec!["You will earn 57 points once approved."]
    );
    assert_eq!(
        page.texts("[data-testid=preview-tier-bonus]"),
        vec!["Includes your Gold status bonus: ×1.25 points."]
    );
    support::set(&mut fields, "action", 0, "submit");
    let sent =
        support::post_declaration(&shop.client, &fields, vec![("f.png", support::png())]).await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let shown = shop.client.get(sent.location.as_deref().unwrap()).await;
    assert_eq!(shown.texts("[data-testid=points]"), vec!["57"]);
}

#[actix_web::test]
async fn a_reward_above_the_participants_tier_is_shown_locked_and_refused_at_redeem() {
    let app = spawn_app().await;
    let p = programme(&app, "acme").await;
    set_tiers(&app, &p.tenant, "rolling");
    earn(&app, &p.tenant, &p.lea, 150);
    let input = RewardInput {
        code: "SPA".into(),
        name: "Spa day".into(),
        description: "Relax.".into(),
        category: "Experiences".into(),
        kind: "experience".into(),
        points: "100".into(),
        ..RewardInput::default()
    };
    let spa = catalog::create(&mut app.conn(), p.tenant.tenant_id(), &actor(), &input).unwrap();
    let set = p
        .admin
        .post_form(
            &format!("/studio/rewards/{}/tier", spa.id),
            &[("min_tier", "3")],
        )
        .await;
    assert_eq!(set.status, 303);
    let bad = p
        .admin
        .post_form(
            &format!("/studio/rewards/{}/tier", spa.id),
            &[("min_tier", "7")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(!support::field_error(&bad, "min_tier").is_empty());

    let catalog_page = p.client.get("/rewards").await;
    assert_eq!(
        catalog_page.texts("[data-testid=tier-locked]"),
        vec!["🔒 Reach Gold to unlock"]
    );
    let page = p.client.get(&format!("/rewards/{}", spa.id)).await;
    assert_eq!(page.status, 200);
    assert!(page.texts("[data-testid=redeem-form]").is_empty());
    // A crafted request is refused, with the reason on its field, and nothing written.
    let token = page
        .input_value("form_token")
        .unwrap_or_else(|| "abcdefghijklmnop1234".into());
    let refused = p
        .client
        .post_form(
            &format!("/rewards/{}/redeem", spa.id),
            &[("quantity", "1"), ("form_token", &token)],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(!support::field_error(&refused, "reward").is_empty());
    let (orders, holds): (i64, i64) = {
        use relais::db::schema::{ledger_holds, reward_orders};
        let mut c = app.conn();
        (
            reward_orders::table.count().get_result(&mut c).unwrap(),
            ledger_holds::table.count().get_result(&mut c).unwrap(),
        )
    };
    assert_eq!((orders, holds), (0, 0));

    // Once Gold, the same reward is redeemable.
    earn(&app, &p.tenant, &p.lea, 50);
    let page = p.client.get(&format!("/rewards/{}", spa.id)).await;
    assert_eq!(page.texts("[data-testid=redeem-form]").len(), 1);
}

#[actix_web::test]
async fn a_change_of_tier_is_emailed_once_however_often_it_is_recomputed() {
    let app = spawn_app().await;
    let p = programme(&app, "acme").await;
    set_tiers(&app, &p.tenant, "rolling");
    earn(&app, &p.tenant, &p.lea, 10);
    assert_eq!(
        tier_emails(&app, &p.lea.email),
        0,
        "the starting tier is no news"
    );
    earn(&app, &p.tenant, &p.lea, 150);
    assert_eq!(tier_emails(&app, &p.lea.email), 1);
    let tid = p.tenant.tenant_id();
    for _ in 0..2 {
        tiers::recompute_all(&mut app.conn(), tid, Utc::now(), true).unwrap();
        relais::services::points::run_daily(&mut app.conn(), tid, Utc::now()).unwrap();
    }
    earn(&app, &p.tenant, &p.lea, 5);
    assert_eq!(tier_emails(&app, &p.lea.email), 1);
    // The e-mail renders in every language with the tenant's branding.
    let templates = relais::templates::load(&app.settings).unwrap();
    for locale in relais::domain::Locale::ALL {
        let message = relais::services::email::EmailMessage {
            to: p.lea.email.clone(),
            to_name: "Léa".into(),
            locale,
            template: "tier_changed".into(),
            link_path: Some("/tiers".into()),
            args: serde_json::json!({ "tier": "Gold", "previous": "Silver", "up": true,
                                       "multiplier": "1.25", "bonus": true }),
        };
        let email =
            relais::email::render::render(&templates, &app.settings, &p.tenant, &message).unwrap();
        assert!(email.text.contains("Gold"), "{locale:?}: {}", email.text);
        assert!(email.html.contains(&p.tenant.primary_color));
    }
}

#[actix_web::test]
async fn another_tenants_tiers_and_participants_are_invisible() {
    let app = spawn_app().await;
    let a = programme(&app, "acme").await;
    let b = programme(&app, "globex").await;
    set_tiers(&app, &a.tenant, "rolling");
    earn(&app, &a.tenant, &a.lea, 150);
    let spa = catalog::create(
        &mut app.conn(),
        a.tenant.tenant_id(),
        &actor(),
        &RewardInput {
            code: "SPA".into(),
            name: "Spa day".into(),
            category: "Experiences".into(),
            kind: "experience".into(),
            points: "100".into(),
            ..RewardInput::default()
        },
    )
    .unwrap();
    let path = format!("/admin/points/{}/tier", a.lea.id);
    assert_eq!(b.admin.get(&path).await.status, 404);
    let post = b
        .admin
        .post_form(&path, &[("floor", "1"), ("reason", "x")])
        .await;
    assert_eq!(post.status, 404);
    let post = b
        .admin
        .post_form(
            &format!("/studio/rewards/{}/tier", spa.id),
            &[("min_tier", "")],
        )
        .await;
    assert_eq!(post.status, 404);
    // B has no tiers: its participant sees none of A's, and its studio form is empty.
    let page = b.client.get("/tiers").await;
    assert_eq!(page.texts("[data-testid=no-tiers]").len(), 1);
    assert!(!page.body.contains("Silver"));
    let form = b.admin.get("/studio/tiers").await;
    assert_eq!(form.status, 200);
    assert_eq!(form.input_value("name_1").unwrap_or_default(), "");
    // A participant's own page never shows another participant.
    assert_eq!(a.client.get(&path).await.status, 403);
}

fn form_fields<'a>(rows: &[(&'a str, &'a str, &'a str)]) -> Vec<(String, &'a str)> {
    let mut out = vec![("window".to_string(), "rolling")];
    for (i, (n, t, m)) in rows.iter().enumerate() {
        out.push((format!("name_{}", i + 1), n));
        out.push((format!("threshold_{}", i + 1), t));
        out.push((format!("multiplier_{}", i + 1), m));
    }
    out
}

async fn post_tiers(client: &TestClient, rows: &[(&str, &str, &str)]) -> Page {
    let fields = form_fields(rows);
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    client.post_form("/studio/tiers", &refs).await
}

#[actix_web::test]
async fn the_tiers_form_refuses_bad_input_field_by_field() {
    let app = spawn_app().await;
    let p = programme(&app, "acme").await;
    let page = post_tiers(
        &p.admin,
        &[
            ("Bronze", "-5", "1"),
            ("bronze", "100", "1.1"),
            ("Gold", "100", "50"),
            ("Platinum", "50", "0.5"),
        ],
    )
    .await;
    assert_eq!(page.status, 422);
    for (field, message) in [
        ("threshold_1", "A threshold cannot be negative."),
        ("name_2", "Another status has this name."),
        ("threshold_3", "Another status has the same threshold."),
        ("multiplier_3", "A multiplier between 1 and 3, like 1.25."),
        (
            "threshold_4",
            "Each status needs more points than the one before.",
        ),
        ("multiplier_4", "A multiplier between 1 and 3, like 1.25."),
    ] {
        assert_eq!(support::field_error(&page, field), message, "{field}");
    }
    assert_eq!(page.input_value("name_4").as_deref(), Some("Platinum"));
    assert!(tiers::settings(&mut app.conn(), p.tenant.tenant_id())
        .unwrap()
        .tiers
        .is_empty());
    assert!(audit(&app, &p.tenant, "tiers.updated").is_empty());

    let saved = post_tiers(
        &p.admin,
        &[
            ("Bronze", "0", "1"),
            ("Silver", "1 000", "1,1"),
            ("Gold", "5000", "1.25"),
        ],
    )
    .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let s = tiers::settings(&mut app.conn(), p.tenant.tenant_id()).unwrap();
    assert_eq!(s.tiers.len(), 3);
    assert_eq!(
        (s.tiers[1].threshold, s.tiers[1].multiplier_permille),
        (1000, 1100)
    );
    assert_eq!(audit(&app, &p.tenant, "tiers.updated").len(), 1);
    let form = p.admin.get("/studio/tiers").await;
    assert_eq!(form.input_value("name_3").as_deref(), Some("Gold"));
    // A participant may not configure tiers.
    assert_eq!(p.client.get("/studio/tiers").await.status, 403);
}

#[actix_web::test]
async fn the_demo_participants_sit_in_different_tiers() {
    let app = spawn_app().await;
    let report = relais::services::demo::seed(&mut app.conn(), &app.storage()).unwrap();
    let tenant = report.tenant;
    let mut seen = std::collections::BTreeMap::new();
    for user in relais::db::users::list(&mut app.conn(), tenant.tenant_id()).unwrap() {
        if user.role() == Role::Participant {
            *seen.entry(tier_of(&app, &tenant, &user)).or_insert(0) += 1;
        }
    }
    eprintln!("demo tiers: {seen:?}");
    assert!(seen.len() >= 3, "{seen:?}");
    let locked = tiers::rewards_by_rank(&mut app.conn(), tenant.tenant_id()).unwrap();
    assert_eq!(locked.len(), 1);
    assert_eq!(locked[0].0, 3, "the spa day for Gold and above");
}
