//! Points pages: the participant's statement, the back-office balances, adjustments,
//! liability, and the daily expiry run with its warning e-mails.

use crate::common;

use chrono::{Duration, Utc};
use common::smtp::SmtpSink;
use common::{spawn_app, TestApp, PASSWORD};
use diesel::prelude::*;
use relais::db::tenants::Tenant;
use relais::db::users::User;
use relais::domain::ledger::{Cause, CauseType, Points};
use relais::domain::Role;
use relais::services::ledger::{self, Meta};
use relais::services::points;

fn earn(
    app: &TestApp,
    tenant: &Tenant,
    user: &User,
    amount: i64,
    key: &str,
    at: chrono::DateTime<Utc>,
) {
    let meta = Meta::new(key, at)
        .cause(Cause {
            kind: CauseType::Declaration,
            id: Some(7),
        })
        .reason("Sell-out");
    ledger::earn(
        &mut app.conn(),
        tenant.tenant_id(),
        user.user_id(),
        Points(amount),
        &meta,
    )
    .unwrap();
}

fn set_expiry(app: &TestApp, tenant: &Tenant, months: u32) {
    ledger::set_expiry_policy(&mut app.conn(), tenant.tenant_id(), Some(months)).unwrap();
}

#[actix_web::test]
async fn a_participant_sees_movements_with_running_balance_filters_and_exports_them() {
    let app = spawn_app().await;
    let (tenant, _) = app.create_tenant("acme", "Acme");
    let pat = app.create_user(&tenant, Role::Participant, "pat@shop.example", "Pat");
    earn(
        &app,
        &tenant,
        &pat,
        1200,
        "e1",
        Utc::now() - Duration::days(40),
    );
    earn(
        &app,
        &tenant,
        &pat,
        300,
        "e2",
        Utc::now() - Duration::days(2),
    );
    let client = app.client(&app.host(&tenant));
    client.login(&pat.email, PASSWORD).await;

    let page = client.get("/points").await;
    assert_eq!(page.status, 200);
    assert_eq!(page.texts("[data-testid=available]"), vec!["1,500"]);
    assert_eq!(
        page.texts("[data-testid=statement] tbody td:nth-child(4)"),
        vec!["1,200", "1,500"]
    );
    assert_eq!(
        page.texts("[data-testid=statement] tbody td:nth-child(3)"),
        vec!["+1,200", "+300"]
    );
    assert!(
        page.body.contains("href=\"/declarations/7\""),
        "the reason links to its cause"
    );

    let from = (Utc::now() - Duration::days(10))
        .format("%Y-%m-%d")
        .to_string();
    let recent = client.get(&format!("/points?from={from}")).await;
    assert_eq!(
        recent.texts("[data-testid=statement] tbody td:nth-child(4)"),
        vec!["1,200", "1,500"],
        "opening row, then the movement"
    );
    assert_eq!(
        recent.texts("[data-testid=statement] tbody td:nth-child(3)"),
        vec!["", "+300"]
    );

    let csv = client
        .http
        .get(format!("{}/points.csv", client.base))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let body = csv.text().await.unwrap();
    let lines: Vec<&str> = body.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(lines[0].starts_with("date,kind,reason"));
    assert!(lines[2].ends_with(",300,0,1500,0"), "{}", lines[2]);
}

#[actix_web::test]
async fn admins_see_balances_and_liability_and_adjust_with_a_mandatory_reason() {
    let app = spawn_app().await;
    let (tenant, admin) = app.create_tenant("acme", "Acme");
    set_expiry(&app, &tenant, 12);
    let pat = app.create_user(&tenant, Role::Participant, "pat@shop.example", "Pat Rich");
    let lou = app.create_user(&tenant, Role::Participant, "lou@shop.example", "Lou Poor");
    earn(&app, &tenant, &pat, 900, "e1", Utc::now());
    earn(&app, &tenant, &lou, 50, "e2", Utc::now());
    let boss = app.client(&app.host(&tenant));
    boss.login(&admin.email, PASSWORD).await;

    let page = boss.get("/admin/points").await;
    assert_eq!(page.texts("[data-testid=outstanding]"), vec!["950"]);
    assert_eq!(
        page.texts("[data-testid=balances] tbody td:nth-child(3)"),
        vec!["900", "50"]
    );
    assert_eq!(
        page.texts("[data-testid=expiring-by-month] tbody td:nth-child(2)"),
        vec!["950"]
    );
    let asc = boss.get("/admin/points?sort=available_asc").await;
    assert_eq!(
        asc.texts("[data-testid=balances] tbody td:nth-child(3)"),
        vec!["50", "900"]
    );
    assert!(
        page.texts("[data-testid=partner-balances]").is_empty(),
        "no partner yet"
    );
    let found = boss.get("/admin/points?q=rich").await;
    assert_eq!(
        found.texts("[data-testid=balances] tbody td:nth-child(3)"),
        vec!["900"]
    );

    let path = format!("/admin/points/{}/adjust", lou.id);
    let no_reason = boss
        .post_form(&path, &[("amount", "100"), ("reason", " "), ("key", "k1")])
        .await;
    assert_eq!(no_reason.status, 422);
    assert_eq!(
        no_reason.texts("[data-field=reason]"),
        vec!["This field is required."]
    );
    let too_much = boss
        .post_form(
            &path,
            &[("amount", "-51"), ("reason", "Return"), ("key", "k2")],
        )
        .await;
    assert_eq!(
        too_much.texts("[data-field=amount]"),
        vec!["The participant does not have that many points available."]
    );
    let not_number = boss
        .post_form(
            &path,
            &[("amount", "ten"), ("reason", "Gift"), ("key", "k3")],
        )
        .await;
    assert_eq!(
        not_number.texts("[data-field=amount]"),
        vec!["Enter a whole number of points."]
    );

    // Submitted twice (a double click): one adjustment.
    for _ in 0..2 {
        let ok = boss
            .post_form(
                &path,
                &[
                    ("amount", "250"),
                    ("reason", "Trade show bonus"),
                    ("key", "k4"),
                ],
            )
            .await;
        assert_eq!(ok.status, 303);
    }
    // A reason that a spreadsheet would run as a formula is exported as text.
    let formula = boss
        .post_form(
            &path,
            &[
                ("amount", "1"),
                ("reason", "=HYPERLINK(\"http://x\")"),
                ("key", "k5"),
            ],
        )
        .await;
    assert_eq!(formula.status, 303);
    let csv = boss
        .http
        .get(format!(
            "{}/admin/points/{}/statement.csv",
            boss.base, lou.id
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    let statement = boss.get(&format!("/admin/points/{}", lou.id)).await;
    assert_eq!(statement.texts("[data-testid=available]"), vec!["301"]);
    assert!(statement.body.contains("Trade show bonus"));
    let log = boss.get("/admin/audit?action=points.adjusted").await;
    assert_eq!(log.texts("[data-testid=audit] tbody tr").len(), 2);
}

#[actix_web::test]
async fn points_pages_are_tenant_scoped_and_guarded() {
    let app = spawn_app().await;
    let (a, _) = app.create_tenant("alpha", "Alpha");
    let (b, b_admin) = app.create_tenant("beta", "Beta");
    let pat = app.create_user(&a, Role::Participant, "pat@shop.example", "Pat of A");
    earn(&app, &a, &pat, 500, "e1", Utc::now());
    let other = app.client(&app.host(&b));
    other.login(&b_admin.email, PASSWORD).await;
    assert_eq!(
        other.get(&format!("/admin/points/{}", pat.id)).await.status,
        404
    );
    assert_eq!(
        other
            .get(&format!("/admin/points/{}/statement.csv", pat.id))
            .await
            .status,
        404
    );
    let res = other
        .post_form(
            &format!("/admin/points/{}/adjust", pat.id),
            &[("amount", "-500"), ("reason", "x"), ("key", "k")],
        )
        .await;
    assert_eq!(res.status, 404, "refused: not a participant of B");
    assert!(!other.get("/admin/points").await.body.contains("Pat of A"));
    assert_eq!(
        ledger::balance(&mut app.conn(), a.tenant_id(), pat.user_id(), Utc::now())
            .unwrap()
            .available,
        Points(500)
    );

    let p = app.client(&app.host(&a));
    p.login(&pat.email, PASSWORD).await;
    assert_eq!(p.get("/admin/points").await.status, 403);
}

#[actix_web::test]
async fn the_daily_run_expires_due_points_and_warns_30_days_ahead_once() {
    let app = spawn_app().await;
    let (tenant, _) = app.create_tenant("acme", "Acme");
    set_expiry(&app, &tenant, 1);
    let pat = app.create_user(&tenant, Role::Participant, "pat@shop.example", "Pat");
    let now = Utc::now();
    // Expires one month after it was earned: this lot is already due.
    earn(&app, &tenant, &pat, 100, "old", now - Duration::days(40));
    // This one expires in 30 days: the warning is due today.
    let target = (now.date_naive() + Duration::days(30))
        .and_hms_opt(12, 0, 0)
        .unwrap()
        .and_utc();
    let earned = target.checked_sub_months(chrono::Months::new(1)).unwrap();
    earn(&app, &tenant, &pat, 70, "recent", earned);

    assert_eq!(points::schedule_daily(&mut app.conn(), now).unwrap(), 1);
    assert_eq!(
        points::schedule_daily(&mut app.conn(), now).unwrap(),
        0,
        "once per tenant and day"
    );
    let sink = SmtpSink::start().await;
    let worker = app.worker(sink.port);
    worker.run_due(now).await.unwrap();
    worker.run_due(now + Duration::minutes(1)).await.unwrap();

    let balance = ledger::balance(&mut app.conn(), tenant.tenant_id(), pat.user_id(), now).unwrap();
    assert_eq!(balance.available, Points(70));
    // Running the day's work again changes nothing and warns nobody twice.
    let again = points::run_daily(&mut app.conn(), tenant.tenant_id(), now).unwrap();
    assert_eq!((again.expired_points, again.warnings_queued), (0, 0));
    worker.run_due(now + Duration::minutes(2)).await.unwrap();
    let mails = sink.messages();
    assert_eq!(
        mails.len(),
        1,
        "{:?}",
        mails.iter().map(|m| m.subject()).collect::<Vec<_>>()
    );
    assert_eq!(mails[0].subject(), "Your Acme points expire soon");
    assert!(
        mails[0].text().contains("70 of your points expire on"),
        "{}",
        mails[0].text()
    );
    let expired: i64 = relais::db::schema::ledger_transactions::table
        .filter(relais::db::schema::ledger_transactions::kind.eq("expire"))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(expired, 1);
}

#[actix_web::test]
async fn the_demo_has_a_points_history_that_verifies_and_seeding_twice_adds_nothing() {
    let app = spawn_app().await;
    let first = relais::services::demo::seed(&mut app.conn(), &app.storage()).unwrap();
    let count = || -> i64 {
        relais::db::schema::ledger_transactions::table
            .count()
            .get_result(&mut app.conn())
            .unwrap()
    };
    let after_first = count();
    assert!(after_first > 50, "{after_first} transactions");
    relais::services::demo::seed(&mut app.conn(), &app.storage()).unwrap();
    assert_eq!(count(), after_first);
    let check = ledger::verify(&mut app.conn(), None).unwrap();
    assert!(check.violations.is_empty());

    // Statement and liability show it: expired lots, points expiring soon.
    let tenant = first.tenant;
    let lea = relais::db::users::find_by_email(
        &mut app.conn(),
        tenant.tenant_id(),
        "lea.martin@pharmacie-du-port.example",
    )
    .unwrap()
    .unwrap();
    let balance = ledger::balance(
        &mut app.conn(),
        tenant.tenant_id(),
        lea.user_id(),
        Utc::now(),
    )
    .unwrap();
    assert!(
        balance.available.0 > 0 && balance.expiring_soon.0 > 0,
        "{balance:?}"
    );
    let client = app.client("respire.localhost");
    client
        .login(&lea.email, relais::services::demo::DEMO_PASSWORD)
        .await;
    let page = client.get("/points").await;
    assert!(page.body.contains("Expirés"), "an expiry line, in French");
}
