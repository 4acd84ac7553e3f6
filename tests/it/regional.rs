//! Time zone and currency per tenant: days counted in the tenant's zone (declarations,
//! statement periods), dates shown in it, money shown in its currency, and the settings
//! page that changes them (validated, audited, one tenant's only).

use chrono::{DateTime, Utc};

use crate::common::{self, spawn_app, TestApp, PASSWORD};
use crate::declarations::support;
use relais::db::tenants::Tenant;
use relais::db::users::User;
use relais::domain::declarations::Rules;
use relais::domain::ledger::{Cause, CauseType, Points};
use relais::domain::Role;
use relais::services::declarations::{self as service, DeclarationInput, LineInput};
use relais::services::ledger::{self, Meta};

/// The value of the form field `name` (decoded, as a browser reads it).
fn value_of(page: &common::Page, name: &str) -> String {
    let doc = scraper::Html::parse_document(&page.body);
    let sel = scraper::Selector::parse(&format!("[name=\"{name}\"]")).unwrap();
    let field = doc.select(&sel).next().expect("the field");
    match field.value().name() {
        "select" => {
            let selected = scraper::Selector::parse("option[selected]").unwrap();
            field
                .select(&selected)
                .next()
                .and_then(|o| o.value().attr("value"))
                .unwrap_or_default()
                .to_string()
        }
        _ => field.value().attr("value").unwrap_or_default().to_string(),
    }
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// An Indonesian brand: Jakarta time (UTC+7), rupiah, one partner, one product at
/// Rp 12.900 and one participant.
fn jakarta_shop(app: &TestApp) -> (Tenant, User, relais::db::products::Product) {
    let (tenant, _) = app.create_tenant_in("sinar", "Sinar", "Asia/Jakarta", "IDR");
    let partner = support::add_partner(app, &tenant, "JKT-001", "DKI Jakarta");
    let product = support::add_product(app, &tenant, "SBN-1", "Sabun", "12.900", "10");
    let dewi = support::add_participant(app, &tenant, partner, "dewi@sinar.example", "Dewi");
    (tenant, dewi, product)
}

fn declare(
    app: &TestApp,
    tenant: &Tenant,
    who: &User,
    sale_date: &str,
    invoice: &str,
    now: DateTime<Utc>,
) -> Result<service::Declared, service::DeclarationError> {
    let input = DeclarationInput {
        sale_date: sale_date.into(),
        channel: "in_store".into(),
        invoice_ref: invoice.into(),
        lines: vec![LineInput {
            product: "SBN-1".into(),
            quantity: "2".into(),
            unit_price: String::new(),
        }],
        ..DeclarationInput::default()
    };
    service::declare(
        &mut app.conn(),
        tenant.tenant_id(),
        who,
        &input,
        vec![],
        now,
    )
}

fn flags(d: &service::Declared) -> Vec<String> {
    d.declaration.flags.iter().flatten().cloned().collect()
}

#[actix_web::test]
async fn a_declaration_at_half_past_eleven_in_jakarta_counts_on_that_jakarta_day() {
    let app = spawn_app().await;
    let (tenant, dewi, product) = jakarta_shop(&app);
    assert_eq!(
        product.unit_price_minor, 12_900,
        "12.900 rupiah, no decimals"
    );
    support::set_rules(
        &app,
        &tenant,
        Rules {
            max_declarations_per_day: 1,
            ..Rules::default()
        },
    );

    // 23:30 on 1 December in Jakarta (16:30 UTC): a sale of that day.
    let late = declare(
        &app,
        &tenant,
        &dewi,
        "2026-12-01",
        "INV-1",
        at("2026-12-01T16:30:00Z"),
    )
    .expect("declared");
    assert!(flags(&late).is_empty(), "{:?}", flags(&late));
    assert_eq!(late.declaration.amount_minor, 25_800);

    // 00:30 on 2 December in Jakarta is still 1 December in UTC: a new local day, so
    // neither a sale "in the future" nor a second declaration of the day.
    let after_midnight = declare(
        &app,
        &tenant,
        &dewi,
        "2026-12-02",
        "INV-2",
        at("2026-12-01T17:30:00Z"),
    )
    .expect("2 December has begun in Jakarta");
    assert!(
        flags(&after_midnight).is_empty(),
        "{:?}",
        flags(&after_midnight)
    );

    // A second one on 2 December (Jakarta) is over the daily limit.
    let second = declare(
        &app,
        &tenant,
        &dewi,
        "2026-12-02",
        "INV-3",
        at("2026-12-01T18:00:00Z"),
    )
    .unwrap();
    assert_eq!(flags(&second), vec!["daily_limit"]);

    // At 23:30 on 1 December in Jakarta, 2 December is still in the future.
    let early = declare(
        &app,
        &tenant,
        &dewi,
        "2026-12-02",
        "INV-4",
        at("2026-12-01T16:45:00Z"),
    );
    match early {
        Err(service::DeclarationError::Invalid(errors)) => {
            assert_eq!(
                errors.fields.get("sale_date"),
                Some(&"error-sale-date-future")
            );
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn earn(app: &TestApp, tenant: &Tenant, user: &User, points: i64, key: &str, when: DateTime<Utc>) {
    let meta = Meta::new(key, when)
        .cause(Cause {
            kind: CauseType::Manual,
            id: None,
        })
        .reason("Bonus");
    ledger::earn(
        &mut app.conn(),
        tenant.tenant_id(),
        user.user_id(),
        Points(points),
        &meta,
    )
    .unwrap();
}

#[actix_web::test]
async fn the_statement_shows_and_filters_dates_in_the_tenant_zone() {
    let app = spawn_app().await;
    let (tenant, dewi, _) = jakarta_shop(&app);
    earn(
        &app,
        &tenant,
        &dewi,
        100,
        "late",
        at("2026-12-01T16:30:00Z"),
    );
    earn(
        &app,
        &tenant,
        &dewi,
        50,
        "next-day",
        at("2026-12-01T17:30:00Z"),
    );
    let client = app.client(&app.host(&tenant));
    assert_eq!(client.login(&dewi.email, PASSWORD).await.status, 303);

    let page = client.get("/points").await;
    assert_eq!(
        page.texts("[data-testid=statement] tbody td:nth-child(1)"),
        vec!["01 Dec 2026, 23:30", "02 Dec 2026, 00:30"],
        "Jakarta time, not UTC"
    );
    // 1 December in Jakarta holds the first movement only, though both are on 1 December
    // in UTC.
    let first_day = client.get("/points?from=2026-12-01&until=2026-12-01").await;
    assert_eq!(
        first_day.texts("[data-testid=statement] tbody td:nth-child(3)"),
        vec!["+100"]
    );
    let second_day = client.get("/points?from=2026-12-02&until=2026-12-02").await;
    assert_eq!(
        second_day.texts("[data-testid=statement] tbody td:nth-child(3)"),
        vec!["", "+50"],
        "the opening balance, then the movement"
    );
    let csv = client
        .http
        .get(format!("{}/points.csv", client.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(csv.contains("2026-12-01T23:30:00+07:00"), "{csv}");
}

#[actix_web::test]
async fn money_is_shown_in_rupiah_without_decimals_in_the_reader_language() {
    let app = spawn_app().await;
    let (tenant, dewi, _) = jakarta_shop(&app);
    let admin = support::admin(&app, &tenant).await;
    let products = admin.get("/studio/products").await;
    let cells = products.texts("[data-testid=products] tbody td");
    assert_eq!(cells[3], "IDR\u{a0}12,900", "English writes the code");

    // Prices are typed without decimals in rupiah; a decimal part says why it is refused.
    let refused = admin
        .post_form(
            "/studio/products",
            &[
                ("sku", "SBN-2"),
                ("name", "Sabun cair"),
                ("category", "Sabun"),
                ("unit_price", "12,5"),
                ("points_per_unit", "1"),
            ],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert_eq!(
        support::field_error(&refused, "unit_price"),
        "This currency has no decimals: enter a whole amount, such as 12900."
    );

    // A point is worth Rp 10: 1,500 points outstanding are Rp 15.000.
    let res = admin
        .post_form(
            "/admin/settings",
            &[
                ("time_zone", "Asia/Jakarta"),
                ("currency", "IDR"),
                ("point_value", "10"),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    earn(&app, &tenant, &dewi, 1500, "e", Utc::now());
    let points = admin.get("/admin/points").await;
    assert_eq!(
        points.texts("[data-testid=liability-value]"),
        vec!["IDR\u{a0}15,000"]
    );

    let res = admin
        .post_form("/locale", &[("locale", "id"), ("next", "/admin/points")])
        .await;
    assert_eq!(res.status, 303);
    let points = admin.get("/admin/points").await;
    assert_eq!(
        points.texts("[data-testid=liability-value]"),
        vec!["Rp\u{a0}15.000"]
    );
    let products = admin.get("/studio/products").await;
    let cells = products.texts("[data-testid=products] tbody td");
    assert_eq!(cells[3], "Rp\u{a0}12.900");
}

#[actix_web::test]
async fn the_settings_page_refuses_unknown_zones_and_currencies_next_to_the_field() {
    let app = spawn_app().await;
    let (tenant, _) = app.create_tenant("acme", "Acme");
    let admin = support::admin(&app, &tenant).await;
    let form = admin.get("/admin/settings").await;
    assert_eq!(form.status, 200);
    assert_eq!(value_of(&form, "time_zone"), "UTC", "the current zone");
    assert_eq!(value_of(&form, "currency"), "EUR");
    assert_eq!(value_of(&form, "point_value"), "0.00");
    let zones = form.texts("datalist#time-zones option").len();
    assert!(zones > 300, "zones to pick from: {zones}");

    let post = |zone: &'static str, currency: &'static str, value: &'static str| {
        let admin = &admin;
        async move {
            admin
                .post_form(
                    "/admin/settings",
                    &[
                        ("time_zone", zone),
                        ("currency", currency),
                        ("point_value", value),
                    ],
                )
                .await
        }
    };
    let bad = post("Mars/Olympus", "XYZ", "abc").await;
    assert_eq!(bad.status, 422);
    assert_eq!(
        support::field_error(&bad, "time_zone"),
        "This time zone is unknown: choose one from the list, such as Europe/Paris."
    );
    assert_eq!(
        support::field_error(&bad, "currency"),
        "Choose a currency from the list."
    );
    assert_eq!(
        value_of(&bad, "time_zone"),
        "Mars/Olympus",
        "the input is kept"
    );

    // A NUL byte is refused (before the handler, naming the field), never a 500.
    let nul = post("Asia/Jakarta\0", "IDR\0", "1\0").await;
    assert_eq!(nul.status, 422, "{}", nul.body);
    let nul = post("Asia/Jakarta", "IDR", "1\0").await;
    assert_eq!(nul.status, 422, "{}", nul.body);
    assert!(nul.body.contains("point_value"), "{}", nul.body);

    let decimals = post("Asia/Jakarta", "IDR", "0,5").await;
    assert_eq!(decimals.status, 422);
    assert!(!support::field_error(&decimals, "point_value").is_empty());

    let unchanged = relais::db::tenants::find(&mut app.conn(), tenant.tenant_id()).unwrap();
    assert_eq!(
        (unchanged.time_zone.as_str(), unchanged.currency.as_str()),
        ("UTC", "EUR")
    );

    let good = post("Europe/Paris", "EUR", "0,01").await;
    assert_eq!(good.status, 303, "{}", good.body);
    let saved = admin.get("/admin/settings").await;
    assert_eq!(saved.texts(".flash"), vec!["Regional settings saved."]);
    assert_eq!(value_of(&saved, "point_value"), "0.01");
    assert_eq!(value_of(&saved, "time_zone"), "Europe/Paris");
    let t = relais::db::tenants::find(&mut app.conn(), tenant.tenant_id()).unwrap();
    assert_eq!(
        (
            t.time_zone.as_str(),
            t.currency.as_str(),
            t.point_value_minor
        ),
        ("Europe/Paris", "EUR", 1)
    );
    // The grace period of challenges: 0 to 60 days, said next to the field.
    assert_eq!(value_of(&saved, "challenge_grace_days"), "7", "the default");
    let grace = |days: &'static str| {
        let admin = &admin;
        async move {
            admin
                .post_form(
                    "/admin/settings",
                    &[
                        ("time_zone", "Europe/Paris"),
                        ("currency", "EUR"),
                        ("point_value", "0,01"),
                        ("challenge_grace_days", days),
                    ],
                )
                .await
        }
    };
    let too_long = grace("99").await;
    assert_eq!(too_long.status, 422);
    assert_eq!(
        support::field_error(&too_long, "challenge_grace_days"),
        "Between 0 and 60 days."
    );
    assert_eq!(grace("14").await.status, 303);
    let t = relais::db::tenants::find(&mut app.conn(), tenant.tenant_id()).unwrap();
    assert_eq!(t.challenge_grace_days, 14);
    let audit = admin
        .get("/admin/audit?action=tenant.regional_updated")
        .await;
    assert_eq!(audit.status, 200);
    assert_eq!(
        audit.texts("tbody td:nth-child(3)"),
        vec![format!("Regional settings updated #{}", tenant.id); 2],
        "audited: the zone, then the grace period"
    );
    assert!(
        audit.texts("td").iter().any(|t| t.contains("Europe/Paris")),
        "with the new zone"
    );
}

#[actix_web::test]
async fn only_the_tenant_admins_see_and_change_its_settings() {
    let app = spawn_app().await;
    let (alpha, _) = app.create_tenant_in("alpha", "Alpha", "Europe/Paris", "EUR");
    let (beta, _) = app.create_tenant_in("beta", "Beta", "Asia/Jakarta", "IDR");
    let pat = app.create_user(&alpha, Role::Participant, "pat@alpha.example", "Pat");
    let marketer = app.create_user(&alpha, Role::Marketer, "mo@alpha.example", "Mo");
    for who in [&pat, &marketer] {
        let client = app.client(&app.host(&alpha));
        client.login(&who.email, PASSWORD).await;
        assert_eq!(client.get("/admin/settings").await.status, 403);
        let res = client
            .post_form(
                "/admin/settings",
                &[("time_zone", "UTC"), ("currency", "USD")],
            )
            .await;
        assert_eq!(res.status, 403);
    }
    // Beta's admin changes Beta's settings only, and sees only Beta's.
    let beta_admin = support::admin(&app, &beta).await;
    let page = beta_admin.get("/admin/settings").await;
    assert_eq!(value_of(&page, "time_zone"), "Asia/Jakarta");
    assert_eq!(value_of(&page, "currency"), "IDR");
    let res = beta_admin
        .post_form(
            "/admin/settings",
            &[
                ("time_zone", "Asia/Makassar"),
                ("currency", "IDR"),
                ("point_value", "5"),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    let a = relais::db::tenants::find(&mut app.conn(), alpha.tenant_id()).unwrap();
    assert_eq!(
        (a.time_zone.as_str(), a.currency.as_str()),
        ("Europe/Paris", "EUR")
    );
    let b = relais::db::tenants::find(&mut app.conn(), beta.tenant_id()).unwrap();
    assert_eq!(b.time_zone, "Asia/Makassar");
    // Alpha's admin is anonymous on Beta's host.
    let alpha_admin = support::admin(&app, &alpha).await;
    let cross = app.client(&app.host(&beta));
    assert_eq!(cross.get("/admin/settings").await.status, 303);
    assert_eq!(alpha_admin.get("/admin/settings").await.status, 200);
}

#[actix_web::test]
async fn expiry_warnings_and_the_daily_job_follow_the_tenant_day() {
    use diesel::prelude::*;
    use relais::db::schema::jobs;
    use relais::services::points;

    let app = spawn_app().await;
    let (tenant, dewi, _) = jakarta_shop(&app);
    let (utc_tenant, _) = app.create_tenant("acme", "Acme");
    ledger::set_expiry_policy(&mut app.conn(), tenant.tenant_id(), Some(1)).unwrap();

    // Earned at 23:30 on 1 November in Jakarta: expires when 1 December begins there.
    // The second earn, at 00:30 on 2 November there, takes the one-statement path (the
    // participant's balance exists) and computes the same rule in SQL.
    earn(&app, &tenant, &dewi, 70, "late", at("2026-11-01T16:30:00Z"));
    earn(&app, &tenant, &dewi, 30, "next", at("2026-11-01T17:30:00Z"));
    let lot_expiries: Vec<Option<DateTime<Utc>>> = relais::db::schema::ledger_lots::table
        .order(relais::db::schema::ledger_lots::id)
        .select(relais::db::schema::ledger_lots::expires_at)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(
        lot_expiries,
        vec![
            Some(at("2026-11-30T17:00:00Z")),
            Some(at("2026-12-01T17:00:00Z"))
        ]
    );

    // At 23:45 on 1 November in Jakarta, those points expire in 30 days: warned, and the
    // e-mail names 1 December (in UTC, 1 December starts 7 hours later).
    let run = points::run_daily(
        &mut app.conn(),
        tenant.tenant_id(),
        at("2026-11-01T16:45:00Z"),
    )
    .unwrap();
    assert_eq!(run.warnings_queued, 1);
    // (1 November is also the day of October's summary: the warning is the other e-mail.)
    let payload: serde_json::Value = jobs::table
        .filter(jobs::tenant_id.eq(tenant.id))
        .filter(jobs::kind.eq("email"))
        .filter(
            jobs::payload
                .retrieve_as_text("template")
                .eq("points_expiring"),
        )
        .select(jobs::payload)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(payload["args"]["date"], "2026-12-01", "{payload}");

    // The daily job is queued once per local day: at 00:30 in Jakarta (17:30 UTC), a new
    // day has begun for the Jakarta tenant only.
    let count = |t: &Tenant| -> i64 {
        jobs::table
            .filter(jobs::tenant_id.eq(t.id))
            .filter(jobs::kind.eq(points::DAILY_JOB))
            .count()
            .get_result(&mut app.conn())
            .unwrap()
    };
    assert_eq!(
        points::schedule_daily(&mut app.conn(), at("2026-12-01T16:30:00Z")).unwrap(),
        2
    );
    assert_eq!(
        points::schedule_daily(&mut app.conn(), at("2026-12-01T17:30:00Z")).unwrap(),
        1
    );
    assert_eq!((count(&tenant), count(&utc_tenant)), (2, 1));
}
