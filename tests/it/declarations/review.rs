//! The reviewer's side: approval earns the points once, rejection and reversal, the
//! checks that flag a declaration, auto-approval, bulk approval, the queue's filters,
//! and two admins approving at the same moment.

use std::sync::{Arc, Barrier};

use chrono::Utc;
use diesel::prelude::*;
use relais::db::schema::{audit_events, declarations, jobs, ledger_transactions};
use relais::domain::declarations::{Rules, Status};
use relais::services::audit::Actor;
use relais::services::declarations::{
    self as service, DeclarationError, DeclarationInput, LineInput,
};

use super::support::*;
use crate::common::smtp::SmtpSink;
use crate::common::spawn_app;
use relais::domain::DeclarationId;

fn input(invoice: &str, lines: &[(&str, &str)]) -> DeclarationInput {
    DeclarationInput {
        sale_date: today(),
        channel: "online".into(),
        invoice_ref: invoice.into(),
        lines: lines
            .iter()
            .map(|(p, q)| LineInput {
                product: p.to_string(),
                quantity: q.to_string(),
                unit_price: String::new(),
            })
            .collect(),
        ..DeclarationInput::default()
    }
}

fn audit_actions(app: &crate::common::TestApp) -> Vec<String> {
    audit_events::table
        .filter(audit_events::action.like("declaration.%"))
        .order(audit_events::id)
        .select(audit_events::action)
        .load(&mut app.conn())
        .unwrap()
}

#[actix_web::test]
async fn an_admin_approves_and_the_points_and_the_email_follow_once() {
    let app = spawn_app().await;
    let shop = shop(&app, "acme").await;
    let id =
        id_of(&post_declaration(&shop.client, &good_fields("F-1"), vec![("r.png", png())]).await);
    let admin = admin(&app, &shop.tenant).await;

    let queue = admin.get("/admin/declarations").await;
    assert_eq!(queue.texts("[data-testid=queue] tbody tr").len(), 1);
    let detail = admin.get(&format!("/admin/declarations/{id}")).await;
    assert_eq!(detail.status, 200);
    assert!(detail
        .body
        .contains(&format!("/declarations/{id}/proofs/1?thumb=true")));
    assert_eq!(detail.texts("[data-testid=history] tbody tr").len(), 1);

    let done = admin
        .post_form(
            &format!("/admin/declarations/{id}/approve"),
            &[("seen", "submitted")],
        )
        .await;
    assert_eq!(done.status, 303);
    assert_eq!(balance(&app, &shop.tenant, &shop.participant), 46);
    let key: String = ledger_transactions::table
        .select(ledger_transactions::idempotency_key)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(key, format!("declaration:{id}"));
    let again = admin
        .post_form(
            &format!("/admin/declarations/{id}/approve"),
            &[("seen", "submitted")],
        )
        .await;
    assert_eq!(again.status, 303);
    assert!(admin
        .get(&format!("/admin/declarations/{id}"))
        .await
        .body
        .contains("Someone else decided on this declaration"));
    assert_eq!(
        balance(&app, &shop.tenant, &shop.participant),
        46,
        "points once"
    );
    assert_eq!(audit_actions(&app), vec!["declaration.approved"]);

    let sink = SmtpSink::start().await;
    app.worker(sink.port).run_due(Utc::now()).await.unwrap();
    // The first approval also earns a badge, with its own e-mail.
    let mails: Vec<_> = (sink.messages().into_iter())
        .filter(|m| !m.subject().ends_with("you earned a badge"))
        .collect();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].subject(), "acme brand: your sale is approved");
    assert!(
        mails[0].text().contains("46 points credited"),
        "{}",
        mails[0].text()
    );
    assert!(mails[0]
        .link(&format!("/declarations/{id}"))
        .ends_with(&format!("/declarations/{id}?lang=en")));

    let mine = shop.client.get(&format!("/declarations/{id}")).await;
    assert_eq!(mine.texts("[data-testid=status]"), vec!["Approved"]);
}

#[actix_web::test]
async fn a_rejection_carries_its_reason_and_rejecting_an_approved_sale_takes_the_points_back() {
    let app = spawn_app().await;
    let shop = shop(&app, "acme").await;
    let admin = admin(&app, &shop.tenant).await;
    let first = id_of(&post_declaration(&shop.client, &good_fields("F-1"), vec![]).await);
    let second = id_of(&post_declaration(&shop.client, &good_fields("F-2"), vec![]).await);

    let refused = admin
        .post_form(
            &format!("/admin/declarations/{first}/reject"),
            &[("seen", "submitted"), ("reason", ""), ("reason_text", " ")],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert_eq!(
        field_error(&refused, "reason"),
        "Choose a reason or write one."
    );
    admin
        .post_form(
            &format!("/admin/declarations/{first}/reject"),
            &[
                ("seen", "submitted"),
                ("reason", "no_proof"),
                ("reason_text", ""),
            ],
        )
        .await;
    let page = shop.client.get(&format!("/declarations/{first}")).await;
    assert_eq!(page.texts("[data-testid=status]"), vec!["Rejected"]);
    assert_eq!(
        page.texts("[data-testid=reason]"),
        vec!["No proof of the sale."]
    );

    admin
        .post_form(
            &format!("/admin/declarations/{second}/approve"),
            &[("seen", "submitted")],
        )
        .await;
    assert_eq!(balance(&app, &shop.tenant, &shop.participant), 46);
    admin
        .post_form(
            &format!("/admin/declarations/{second}/reject"),
            &[
                ("seen", "approved"),
                ("reason", ""),
                ("reason_text", "Invoice of another shop"),
            ],
        )
        .await;
    assert_eq!(
        balance(&app, &shop.tenant, &shop.participant),
        0,
        "reversed"
    );
    let kinds: Vec<String> = ledger_transactions::table
        .order(ledger_transactions::id)
        .select(ledger_transactions::kind)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(kinds, vec!["earn", "reversal"]);
    let page = shop.client.get(&format!("/declarations/{second}")).await;
    assert_eq!(
        page.texts("[data-testid=reason]"),
        vec!["Invoice of another shop"]
    );
    assert_eq!(
        audit_actions(&app),
        vec![
            "declaration.rejected",
            "declaration.approved",
            "declaration.reversed"
        ]
    );

    let sink = SmtpSink::start().await;
    app.worker(sink.port).run_due(Utc::now()).await.unwrap();
    let subjects: Vec<String> = (sink.messages().iter().map(|m| m.subject()))
        .filter(|s| !s.ends_with("you earned a badge"))
        .collect();
    assert_eq!(subjects.len(), 3);
    let reversal = sink
        .messages()
        .into_iter()
        .find(|m| m.text().contains("taken back"))
        .expect("reversal mail");
    assert!(reversal.text().contains("Invoice of another shop"));
}

#[actix_web::test]
async fn each_check_flags_the_declaration_for_review_instead_of_auto_approval() {
    let app = spawn_app().await;
    let shop = shop(&app, "acme").await;
    let tid = shop.tenant.tenant_id();
    set_rules(
        &app,
        &shop.tenant,
        Rules {
            auto_approve: true,
            auto_approve_max_points: 200,
            max_declarations_per_day: 5,
            ..Rules::default()
        },
    );
    let declare = |invoice: &str, lines: &[(&str, &str)]| {
        service::declare(
            &mut app.conn(),
            tid,
            &shop.participant,
            &input(invoice, lines),
            vec![],
            Utc::now(),
        )
        .unwrap()
    };
    let flags = |d: &service::Declared| -> Vec<String> {
        d.declaration
            .flag_codes()
            .iter()
            .map(|s| s.to_string())
            .collect()
    };

    let clean = declare("A-1", &[("STK-50", "2")]);
    assert!(clean.auto_approved);
    assert_eq!(clean.declaration.status, "approved");
    assert_eq!(balance(&app, &shop.tenant, &shop.participant), 20);

    let again = declare(" a-1 ", &[("ROL-50", "1")]);
    assert_eq!(
        (again.declaration.status.as_str(), flags(&again)),
        ("submitted", vec!["duplicate_invoice".to_string()])
    );

    let big = declare("A-2", &[("STK-50", "21")]);
    assert_eq!(flags(&big), vec!["over_threshold"]);

    // Known supply: 5 sticks sold in; 2 approved already; 4 more would be 6 > 5.
    relais::db::stock::insert_sell_in(
        &mut app.conn(),
        &[relais::db::stock::NewSellIn {
            tenant_id: tid,
            partner_id: shop.partner_id,
            product_id: shop.stick.id,
            sold_on: Utc::now().date_naive(),
            quantity: 5,
            amount_minor: 5000,
            import_key: "test-1",
        }],
    )
    .unwrap();
    relais::db::stock::insert_sell_in(
        &mut app.conn(),
        &[relais::db::stock::NewSellIn {
            tenant_id: tid,
            partner_id: shop.partner_id,
            product_id: shop.roll_on.id,
            sold_on: Utc::now().date_naive(),
            quantity: 10,
            amount_minor: 5000,
            import_key: "test-2",
        }],
    )
    .unwrap();
    let beyond = declare("A-3", &[("STK-50", "4")]);
    assert_eq!(flags(&beyond), vec!["exceeds_stock"]);
    let within = declare("A-4", &[("STK-50", "3")]);
    assert!(
        within.auto_approved,
        "2 + 3 ≤ 5, and the 5th of the day is within the limit"
    );
    let sixth = declare("A-5", &[("ROL-50", "1")]);
    assert_eq!(flags(&sixth), vec!["daily_limit"]);
    assert_eq!(balance(&app, &shop.tenant, &shop.participant), 50);
}

#[actix_web::test]
async fn bulk_approval_approves_the_unflagged_and_skips_the_rest() {
    let app = spawn_app().await;
    let shop = shop(&app, "acme").await;
    let admin = admin(&app, &shop.tenant).await;
    let a = id_of(&post_declaration(&shop.client, &good_fields("B-1"), vec![]).await);
    let b = id_of(&post_declaration(&shop.client, &good_fields("B-2"), vec![]).await);
    let flagged = id_of(&post_declaration(&shop.client, &good_fields("b-2"), vec![]).await);
    let queue = admin.get("/admin/declarations").await;
    assert_eq!(
        queue
            .texts("[data-testid=queue] input[type=checkbox]")
            .len(),
        2,
        "flagged ones cannot be ticked"
    );
    let token = admin.csrf().await;
    let (a, b, flagged) = (a.to_string(), b.to_string(), flagged.to_string());
    let done = admin
        .post_form_raw(
            "/admin/declarations/approve",
            &[
                ("csrf_token", &token),
                ("id", &a),
                ("id", &b),
                ("id", &flagged),
                ("back", "/admin/declarations"),
            ],
        )
        .await;
    assert_eq!(done.status, 303);
    let page = admin.get("/admin/declarations").await;
    assert_eq!(
        page.texts("[data-testid=bulk-outcome]"),
        vec!["2 approved, 1 skipped (already decided, flagged or your own)."]
    );
    assert_eq!(balance(&app, &shop.tenant, &shop.participant), 92);
    let statuses: Vec<String> = declarations::table
        .order(declarations::id)
        .select(declarations::status)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(statuses, vec!["approved", "approved", "submitted"]);
}

#[actix_web::test]
async fn an_admin_who_sells_for_a_partner_cannot_approve_their_own_declaration() {
    let app = spawn_app().await;
    let shop = shop(&app, "acme").await;
    let tid = shop.tenant.tenant_id();
    let me = relais::db::users::find_by_email(&mut app.conn(), tid, "admin@acme.example")
        .unwrap()
        .unwrap();
    let me = app.join_partner(tid, me.user_id(), shop.partner_id);
    let declared = service::declare(
        &mut app.conn(),
        tid,
        &me,
        &input("OWN-1", &[("STK-50", "2")]),
        vec![],
        Utc::now(),
    )
    .unwrap();
    let mine = declared.declaration.id;
    let theirs = id_of(&post_declaration(&shop.client, &good_fields("B-1"), vec![]).await);
    let admin = admin(&app, &shop.tenant).await;

    let refused = admin
        .post_form(
            &format!("/admin/declarations/{mine}/approve"),
            &[("seen", "submitted")],
        )
        .await;
    assert_eq!(refused.status, 303);
    let page = admin.get(&format!("/admin/declarations/{mine}")).await;
    assert!(
        page.body.contains(
            "You cannot approve your own declaration: another administrator must review it."
        ),
        "{}",
        page.body
    );
    assert!(matches!(
        service::approve(
            &mut app.conn(),
            tid,
            &Actor::user(&me),
            mine,
            Status::Submitted,
            Utc::now()
        ),
        Err(DeclarationError::OwnDeclaration)
    ));

    let token = admin.csrf().await;
    let (mine_s, theirs_s) = (mine.to_string(), theirs.to_string());
    let done = admin
        .post_form_raw(
            "/admin/declarations/approve",
            &[("csrf_token", &token), ("id", &mine_s), ("id", &theirs_s)],
        )
        .await;
    assert_eq!(done.status, 303);
    let page = admin.get("/admin/declarations").await;
    assert_eq!(
        page.texts("[data-testid=bulk-outcome]"),
        vec!["1 approved, 1 skipped (already decided, flagged or your own)."]
    );
    assert_eq!(balance(&app, &shop.tenant, &me), 0, "no points to oneself");
    let status = |id: DeclarationId| -> String {
        declarations::table
            .find((tid, id))
            .select(declarations::status)
            .first(&mut app.conn())
            .unwrap()
    };
    assert_eq!(
        (status(mine), status(theirs)),
        ("submitted".into(), "approved".into())
    );
}

#[actix_web::test]
async fn far_off_page_numbers_and_dates_are_kept_within_bounds() {
    let app = spawn_app().await;
    let shop = shop(&app, "acme").await;
    id_of(&post_declaration(&shop.client, &good_fields("P-1"), vec![]).await);
    let admin = admin(&app, &shop.tenant).await;
    for path in [
        "/admin/declarations?page=9223372036854775807",
        "/admin/declarations?page=-9223372036854775808",
        "/admin/declarations?from=-262000-01-01&until=+262000-01-01",
    ] {
        assert_eq!(admin.get(path).await.status, 200, "{path}");
    }
    let all = admin
        .get("/admin/declarations?from=1000-01-01&until=9999-12-31")
        .await;
    assert_eq!(
        all.texts("[data-testid=queue] tbody tr").len(),
        1,
        "out-of-range dates filter nothing"
    );
    let mine = shop
        .client
        .get("/declarations?page=9223372036854775807")
        .await;
    assert_eq!(mine.status, 200);
    let listing = service::list_own(
        &mut app.conn(),
        shop.tenant.tenant_id(),
        &shop.participant,
        i64::MAX,
        20,
    )
    .unwrap();
    assert!(listing.rows.is_empty());
}

#[actix_web::test]
async fn the_queue_filters_by_status_flag_partner_region_and_date() {
    let app = spawn_app().await;
    let shop = shop(&app, "acme").await;
    let lyon = add_partner(&app, &shop.tenant, "PH-69-0001", "Auvergne-Rhône-Alpes");
    let karim = add_participant(&app, &shop.tenant, lyon, "karim@acme.example", "Karim");
    let tid = shop.tenant.tenant_id();
    for (who, invoice) in [
        (&shop.participant, "Q-1"),
        (&shop.participant, "q-1"),
        (&karim, "Q-2"),
    ] {
        service::declare(
            &mut app.conn(),
            tid,
            who,
            &input(invoice, &[("STK-50", "1")]),
            vec![],
            Utc::now(),
        )
        .unwrap();
    }
    let admin = admin(&app, &shop.tenant).await;
    let rows = |q: &str| {
        let q = q.to_string();
        let admin = &admin;
        async move {
            admin
                .get(&format!("/admin/declarations?{q}"))
                .await
                .texts("[data-testid=queue] tbody tr")
                .len()
        }
    };
    assert_eq!(rows("").await, 3);
    assert_eq!(rows("flag=duplicate_invoice").await, 1);
    assert_eq!(rows("flag=none").await, 2);
    assert_eq!(rows("partner=ph-69-0001").await, 1);
    assert_eq!(rows("region=%C3%8Ele-de-France").await, 2);
    assert_eq!(rows("status=approved").await, 0);
    assert_eq!(rows("status=all").await, 3);
    assert_eq!(rows(&format!("until={}", days_ago(1))).await, 0);
    assert_eq!(rows(&format!("from={}", today())).await, 3);
}

#[test]
fn two_admins_approving_at_once_earn_the_points_once() {
    let sys = actix_web::rt::System::new();
    let (app, shop) = sys.block_on(async {
        let app = spawn_app().await;
        let shop = shop(&app, "acme").await;
        (app, shop)
    });
    let tid = shop.tenant.tenant_id();
    for round in 0..5 {
        let declared = service::declare(
            &mut app.conn(),
            tid,
            &shop.participant,
            &input(&format!("C-{round}"), &[("STK-50", "2")]),
            vec![],
            Utc::now(),
        )
        .unwrap();
        let id = declared.declaration.id;
        let barrier = Arc::new(Barrier::new(2));
        let handles: Vec<_> = (0..2)
            .map(|i| {
                let (url, barrier) = (app.database_url.clone(), barrier.clone());
                let participant = shop.participant.clone();
                std::thread::spawn(move || {
                    let mut conn = PgConnection::establish(&url).unwrap();
                    barrier.wait();
                    let actor = Actor::system(&format!("admin {i}"));
                    if round % 2 == 0 {
                        service::approve(&mut conn, tid, &actor, id, Status::Submitted, Utc::now())
                            .map(|_| ())
                    } else {
                        // An approval racing the participant's withdrawal: one wins.
                        if i == 0 {
                            service::approve(
                                &mut conn,
                                tid,
                                &actor,
                                id,
                                Status::Submitted,
                                Utc::now(),
                            )
                            .map(|_| ())
                        } else {
                            service::withdraw(&mut conn, tid, &participant, id, Utc::now())
                                .map(|_| ())
                        }
                    }
                })
            })
            .collect();
        let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        let won = results.iter().filter(|r| r.is_ok()).count();
        let lost = results
            .iter()
            .filter(|r| {
                matches!(
                    r,
                    Err(DeclarationError::AlreadyDecided | DeclarationError::Changed)
                )
            })
            .count();
        assert_eq!((won, lost), (1, 1), "round {round}: {results:?}");
    }
    let earns: i64 = ledger_transactions::table
        .filter(ledger_transactions::kind.eq("earn"))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    let approved: i64 = declarations::table
        .filter(declarations::status.eq("approved"))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(earns, approved, "one earn per approved declaration");
    assert_eq!(
        balance(&app, &shop.tenant, &shop.participant),
        approved * 20
    );
    // Not counting the badge the first approval earns (its e-mail is its own).
    let queued = (jobs::table.select(jobs::payload))
        .load::<serde_json::Value>(&mut app.conn())
        .unwrap()
        .into_iter()
        .filter(|p| p["template"] != "badge_earned")
        .count() as i64;
    assert_eq!(
        queued, approved,
        "one e-mail per approval, none for a withdrawal"
    );
    drop(shop);
    sys.block_on(async move { drop(app) });
}

#[actix_web::test]
async fn an_admin_sets_the_rules_and_auto_approval_credits_points_at_once() {
    let app = spawn_app().await;
    let shop = shop(&app, "acme").await;
    let admin = admin(&app, &shop.tenant).await;
    assert_eq!(admin.get("/admin/declarations/rules").await.status, 200);
    let fields = |stock_out: &'static str| {
        vec![
            ("window_days", "30"),
            ("max_quantity_per_line", "10"),
            ("auto_approve", "on"),
            ("auto_approve_max_points", "100"),
            ("max_declarations_per_day", "5"),
            ("stock_out_weeks", stock_out),
            ("overstock_weeks", "8"),
        ]
    };
    let refused = admin
        .post_form("/admin/declarations/rules", &fields("8"))
        .await;
    assert_eq!(refused.status, 422);
    assert_eq!(
        field_error(&refused, "overstock_weeks"),
        "The overstock threshold must be above the stock-out threshold."
    );
    let saved = admin
        .post_form("/admin/declarations/rules", &fields("3"))
        .await;
    assert_eq!(saved.status, 303);
    assert_eq!(audit_actions(&app), vec!["declaration.rules_updated"]);

    let mut too_many = good_fields("R-1");
    set(&mut too_many, "line_quantity", 0, "11");
    let page = post_declaration(&shop.client, &too_many, vec![]).await;
    assert_eq!(
        field_error(&page, "line-1-quantity"),
        "At most 10 units per line."
    );
    let page = post_declaration(&shop.client, &good_fields("R-1"), vec![]).await;
    let id = id_of(&page);
    let shown = shop.client.get(&format!("/declarations/{id}")).await;
    assert_eq!(shown.texts("[data-testid=status]"), vec!["Approved"]);
    assert!(shown
        .body
        .contains("Declaration approved: your points are credited."));
    assert_eq!(balance(&app, &shop.tenant, &shop.participant), 46);
    let detail = admin.get(&format!("/admin/declarations/{id}")).await;
    assert!(detail.body.contains("automatic approval"));
}
