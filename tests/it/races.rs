//! What happens when the same thing is sent twice at once: one invoice declared by
//! several requests, one form posted twice, two reviewers deciding the same declaration,
//! many wrong passwords fired together. Real connections, real concurrency.

use std::sync::{Arc, Barrier};

use chrono::Utc;
use diesel::prelude::*;
use futures_util::future::join_all;
use relais::db::schema::{declarations, jobs, ledger_transactions, login_attempts};
use relais::domain::declarations::{Reason, Rules, Status};
use relais::services::audit::Actor;
use relais::services::declarations::{self as service, DeclarationError};

use super::declarations::support::*;
use crate::common::{self, spawn_app, TestClient};

fn multipart(token: &str, fields: &[(&'static str, String)]) -> reqwest::multipart::Form {
    let mut form = reqwest::multipart::Form::new().text("csrf_token", token.to_string());
    for (k, v) in fields {
        form = form.text(*k, v.clone());
    }
    form
}

async fn send(client: &TestClient, form: reqwest::multipart::Form) -> common::Page {
    client.post_multipart("/declarations", form).await
}

fn statuses(app: &common::TestApp) -> Vec<(String, Vec<Option<String>>)> {
    declarations::table
        .order(declarations::id)
        .select((declarations::status, declarations::flags))
        .load(&mut app.conn())
        .unwrap()
}

#[actix_web::test]
async fn one_invoice_sent_ten_times_at_once_earns_once_and_the_copies_are_flagged() {
    let app = spawn_app().await;
    let shop = shop(&app, "acme").await;
    set_rules(
        &app,
        &shop.tenant,
        Rules {
            auto_approve: true,
            auto_approve_max_points: 10_000,
            max_declarations_per_day: 100,
            ..Rules::default()
        },
    );
    let token = shop.client.csrf().await;
    // Ten different forms (each its own one-time token), one invoice.
    let sends = (0..10).map(|_| {
        let mut fields = good_fields("RACE-001");
        fields.push(("form_token", relais::services::once::new_token()));
        send(&shop.client, multipart(&token, &fields))
    });
    let pages = join_all(sends).await;
    assert!(
        pages.iter().all(|p| p.status == 303),
        "every copy is stored"
    );

    let rows = statuses(&app);
    assert_eq!(rows.len(), 10);
    let approved = rows.iter().filter(|(s, _)| s == "approved").count();
    assert_eq!(approved, 1, "{rows:?}");
    let flagged = rows
        .iter()
        .filter(|(_, f)| f.iter().flatten().any(|f| f == "duplicate_invoice"))
        .count();
    assert_eq!(flagged, 9, "every copy but the first is flagged: {rows:?}");
    assert_eq!(balance(&app, &shop.tenant, &shop.participant), 46);
}

#[actix_web::test]
async fn one_form_posted_five_times_at_once_makes_one_declaration() {
    let app = spawn_app().await;
    let shop = shop(&app, "acme").await;
    let form_page = shop.client.get("/declarations/new").await;
    let form_token = form_page.input_value("form_token").unwrap_or_default();
    assert_eq!(form_token.len(), 32, "the form carries a one-time token");
    let token = form_page.csrf_token().unwrap();

    let mut fields = good_fields("TWICE-1");
    fields.push(("form_token", form_token));
    let pages = join_all((0..5).map(|_| send(&shop.client, multipart(&token, &fields)))).await;
    assert_eq!(count_declarations(&app), 1);
    let first = pages[0].location.clone().unwrap();
    assert!(
        pages.iter().all(|p| p.location.as_ref() == Some(&first)),
        "every copy lands on the one declaration"
    );
}

#[test]
fn approve_and_reject_racing_never_reverse_each_other() {
    let sys = actix_web::rt::System::new();
    let (app, shop) = sys.block_on(async {
        let app = spawn_app().await;
        let shop = shop(&app, "acme").await;
        (app, shop)
    });
    let tid = shop.tenant.tenant_id();
    for round in 0..10 {
        let page = sys.block_on(post_declaration(
            &shop.client,
            &good_fields(&format!("R-{round}")),
            vec![],
        ));
        let id = id_of(&page);
        let barrier = Arc::new(Barrier::new(2));
        let handles: Vec<_> = (0..2)
            .map(|i| {
                let (url, barrier) = (app.database_url.clone(), barrier.clone());
                std::thread::spawn(move || {
                    let mut conn = PgConnection::establish(&url).unwrap();
                    let actor = Actor::system(&format!("reviewer {i}"));
                    barrier.wait();
                    let seen = Status::Submitted;
                    if i == 0 {
                        service::approve(&mut conn, tid, &actor, id, seen, Utc::now()).map(|_| ())
                    } else {
                        let reason = Reason::parse("no_proof", "").unwrap();
                        service::reject(&mut conn, tid, &actor, id, seen, &reason, Utc::now())
                            .map(|_| ())
                    }
                })
            })
            .collect();
        let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        let won = results.iter().filter(|r| r.is_ok()).count();
        let changed = results
            .iter()
            .filter(|r| matches!(r, Err(DeclarationError::Changed)))
            .count();
        assert_eq!((won, changed), (1, 1), "round {round}: {results:?}");
    }
    let reversals: i64 = ledger_transactions::table
        .filter(ledger_transactions::kind.eq("reversal"))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(reversals, 0, "a rejection never undid an approval");
    // Decision e-mails only: the first approval also earns a badge, with its own e-mail.
    let mails = jobs::table
        .filter(jobs::kind.eq("email"))
        .select(jobs::payload)
        .load::<serde_json::Value>(&mut app.conn())
        .unwrap()
        .into_iter()
        .filter(|p| p["template"] != "badge_earned")
        .count();
    assert_eq!(mails, 10, "one decision e-mail per declaration");
}

#[actix_web::test]
async fn forty_wrong_passwords_at_once_are_checked_only_up_to_the_limit() {
    let app = spawn_app().await;
    let (tenant, admin) = app.create_tenant("acme", "Acme");
    let limit = app.settings.security.login_max_failures_per_account;
    let clients: Vec<_> = (0..40).map(|_| app.client(&app.host(&tenant))).collect();
    let mut tokens = vec![];
    for c in &clients {
        tokens.push(c.csrf().await);
    }
    let attempts = clients.iter().zip(&tokens).map(|(c, token)| {
        let email = admin.email.clone();
        let token = token.clone();
        async move {
            c.post_form_raw(
                "/login",
                &[
                    ("email", email.as_str()),
                    ("password", "wrong-password"),
                    ("csrf_token", token.as_str()),
                ],
            )
            .await
        }
    });
    let pages = join_all(attempts).await;
    let checked: i64 = login_attempts::table
        .filter(login_attempts::email.eq(&admin.email))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(checked, limit, "only {limit} passwords were checked");
    let refused = pages.iter().filter(|p| p.status == 429).count();
    assert_eq!(refused as i64, 40 - limit);
}

#[actix_web::test]
async fn an_invitation_form_sent_three_times_at_once_invites_once() {
    let app = spawn_app().await;
    let (tenant, admin) = app.create_tenant("acme", "Acme");
    let boss = app.client(&app.host(&tenant));
    boss.login(&admin.email, crate::common::PASSWORD).await;
    let form = boss.get("/admin/users/new").await;
    let form_token = form.input_value("form_token").unwrap();
    let csrf = form.csrf_token().unwrap();
    let fields = [
        ("email", "new@acme.example"),
        ("display_name", "New"),
        ("role", "marketer"),
        ("form_token", form_token.as_str()),
        ("csrf_token", csrf.as_str()),
    ];
    let pages = join_all((0..3).map(|_| boss.post_form_raw("/admin/users/new", &fields))).await;
    assert!(
        pages.iter().all(|p| p.status == 303),
        "every copy lands on the new user, none says the e-mail is taken"
    );
    let invitations: i64 = jobs::table
        .filter(jobs::kind.eq("email"))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(invitations, 1);
}

#[actix_web::test]
async fn a_new_partner_form_sent_four_times_at_once_makes_one_partner() {
    use relais::db::schema::partners;
    let app = spawn_app().await;
    let (tenant, admin) = app.create_tenant("acme", "Acme");
    let boss = app.client(&app.host(&tenant));
    boss.login(&admin.email, crate::common::PASSWORD).await;
    let form = boss.get("/studio/partners/new").await;
    let form_token = form.input_value("form_token").unwrap();
    let csrf = form.csrf_token().unwrap();
    let fields = [
        ("external_code", "PH-75-0012"),
        ("name", "Pharmacie du Marais"),
        ("kind", "reseller"),
        ("brand_mode", "multi"),
        ("region", "Île-de-France"),
        ("country", "fr"),
        ("tier", ""),
        ("potential", "3"),
        ("form_token", form_token.as_str()),
        ("csrf_token", csrf.as_str()),
    ];
    let pages = join_all((0..4).map(|_| boss.post_form_raw("/studio/partners", &fields))).await;
    assert!(
        pages.iter().all(|p| p.status == 303),
        "every copy lands on the new partner, none says the code is taken: {:?}",
        pages.iter().map(|p| p.status).collect::<Vec<_>>()
    );
    let locations: std::collections::BTreeSet<_> =
        pages.iter().map(|p| p.location.clone()).collect();
    assert_eq!(locations.len(), 1, "{locations:?}");
    let count: i64 = partners::table.count().get_result(&mut app.conn()).unwrap();
    assert_eq!(count, 1);

    // A refused form keeps its token; corrected, it creates the row once.
    let form = boss.get("/studio/products/new").await;
    let token = form.input_value("form_token").unwrap();
    let bad = boss
        .post_form(
            "/studio/products",
            &[("sku", ""), ("name", "Gel"), ("form_token", token.as_str())],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(
        bad.input_value("form_token").as_deref(),
        Some(token.as_str())
    );
}

#[actix_web::test]
async fn a_new_segment_form_sent_three_times_at_once_makes_one_segment() {
    use relais::db::schema::segments;
    let app = spawn_app().await;
    let (tenant, admin) = app.create_tenant("acme", "Acme");
    let boss = app.client(&app.host(&tenant));
    boss.login(&admin.email, crate::common::PASSWORD).await;
    let form = boss.get("/studio/segments/new").await;
    let form_token = form.input_value("form_token").unwrap();
    let csrf = form.csrf_token().unwrap();
    let fields = [
        ("name", "Resellers"),
        ("kinds", "reseller"),
        ("form_token", form_token.as_str()),
        ("csrf_token", csrf.as_str()),
    ];
    let pages = join_all((0..3).map(|_| boss.post_form_raw("/studio/segments", &fields))).await;
    assert!(
        pages.iter().all(|p| p.status == 303),
        "none says the name is taken: {:?}",
        pages.iter().map(|p| p.status).collect::<Vec<_>>()
    );
    let count: i64 = segments::table.count().get_result(&mut app.conn()).unwrap();
    assert_eq!(count, 1);
}
