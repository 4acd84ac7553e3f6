//! Sell-in batches (as the CSV import: once by import key, errors per line) and sell-out
//! declarations (as the form: checks, flags, auto-approval), listed and read.

use diesel::prelude::*;
use relais::db::schema::{declarations, ledger_balances, sell_in};
use relais::domain::declarations::Rules;
use serde_json::json;

use super::support::*;
use crate::common::spawn_app;
use crate::declarations::support::set_rules;

fn sell_in_count(app: &crate::common::TestApp) -> i64 {
    sell_in::table.count().get_result(&mut app.conn()).unwrap()
}

#[actix_web::test]
async fn a_sell_in_batch_is_written_once_and_a_bad_line_refuses_it_whole() {
    let app = spawn_app().await;
    let b = brand(&app, "acme");
    let lines: Vec<_> = (0..500).map(sell_in_line).collect();
    let a = post(
        &b.client,
        "/api/v1/sell-in",
        &b.key,
        &json!({ "lines": lines }),
    )
    .await;
    assert_eq!(a.status, 200, "{:?}", a.body);
    assert_eq!(
        (a.body["created"].as_i64(), a.body["unchanged"].as_i64()),
        (Some(500), Some(0))
    );
    assert_eq!(sell_in_count(&app), 500);
    // The same lines again (another request, no idempotency key): the import key holds.
    let a = post(
        &b.client,
        "/api/v1/sell-in",
        &b.key,
        &json!({ "lines": lines }),
    )
    .await;
    assert_eq!(
        (a.body["created"].as_i64(), a.body["unchanged"].as_i64()),
        (Some(0), Some(500))
    );
    assert_eq!(sell_in_count(&app), 500);

    let mut bad: Vec<_> = (500..510).map(sell_in_line).collect();
    bad[3]["sku"] = json!("NOPE-1");
    bad[7]["date"] = json!("2999-01-01");
    bad[8]["amount"] = json!("twelve");
    let a = post(
        &b.client,
        "/api/v1/sell-in",
        &b.key,
        &json!({ "lines": bad }),
    )
    .await;
    assert_eq!(a.status, 422);
    assert_eq!(a.code(), "invalid");
    let fields = a.fields();
    for f in ["lines[3].sku", "lines[7].date", "lines[8].amount"] {
        assert!(fields.contains(&f.to_string()), "{f} in {fields:?}");
    }
    assert!(
        a.body["error"]["fields"][0]["message"]
            .as_str()
            .unwrap()
            .len()
            > 5
    );
    assert_eq!(sell_in_count(&app), 500, "nothing written");
}

#[actix_web::test]
async fn a_declaration_goes_through_the_forms_checks_and_auto_approval() {
    let app = spawn_app().await;
    let b = brand(&app, "acme");
    let email = "lea@acme.example";
    let a = post(
        &b.client,
        "/api/v1/sell-out/declarations",
        &b.key,
        &declaration(email, "F-1"),
    )
    .await;
    assert_eq!(a.status, 201, "{:?}", a.body);
    let d = &a.body["declaration"];
    assert_eq!(d["status"], "submitted");
    assert_eq!(d["source"], "api");
    // 3 × 10 + 2 × 8 points; 3 × 12.90 + 2 × 9.50.
    assert_eq!(d["points"], 46);
    assert_eq!(d["amount_minor"], 5770);
    assert_eq!(d["lines"][1]["sku"], "ROL-50");
    assert_eq!(a.body["auto_approved"], false);

    // The same invoice again is flagged, as in the portal.
    let a = post(
        &b.client,
        "/api/v1/sell-out/declarations",
        &b.key,
        &declaration(email, "F-1"),
    )
    .await;
    assert_eq!(a.status, 201);
    assert!(
        a.body["declaration"]["flags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f == "duplicate_invoice"),
        "{:?}",
        a.body
    );

    set_rules(
        &app,
        &b.tenant,
        Rules {
            auto_approve: true,
            ..Rules::default()
        },
    );
    let a = post(
        &b.client,
        "/api/v1/sell-out/declarations",
        &b.key,
        &declaration(email, "F-2"),
    )
    .await;
    assert_eq!(a.body["auto_approved"], true, "{:?}", a.body);
    assert_eq!(a.body["declaration"]["status"], "approved");
    let earned: i64 = ledger_balances::table
        .filter(ledger_balances::tenant_id.eq(b.tenant.tenant_id()))
        .select(ledger_balances::available)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(earned, 46, "points credited through the ledger");
    let statement = get(
        &b.client,
        "/api/v1/participants/lea@acme.example/statement",
        &b.key,
    )
    .await;
    assert_eq!(
        statement.body["balance"]["available"], 46,
        "{:?}",
        statement.body
    );
    let moves = statement.body["movements"].as_array().unwrap();
    assert_eq!(moves.len(), 1);
    assert_eq!(
        (moves[0]["kind"].as_str(), moves[0]["cause_type"].as_str()),
        (Some("earn"), Some("declaration"))
    );
    let later = get(
        &b.client,
        "/api/v1/participants/lea@acme.example/statement?from=2099-01-01",
        &b.key,
    )
    .await;
    assert_eq!(later.body["movements"].as_array().unwrap().len(), 0);
    let other_tenant = brand(&app, "initech");
    let hidden = get(
        &other_tenant.client,
        "/api/v1/participants/lea@acme.example/statement",
        &other_tenant.key,
    )
    .await;
    assert_eq!(hidden.status, 404);
    let id = a.body["declaration"]["id"].as_i64().unwrap();

    // The form's messages, on the API's field names.
    let mut bad = declaration(email, "F-3");
    bad["sale_date"] = json!("2001-01-01");
    bad["lines"][0]["sku"] = json!("NOPE");
    bad["lines"][1]["quantity"] = json!(0);
    let a = post(&b.client, "/api/v1/sell-out/declarations", &b.key, &bad).await;
    assert_eq!(a.status, 422, "{:?}", a.body);
    let fields = a.fields();
    for f in ["sale_date", "lines[0].sku", "lines[1].quantity"] {
        assert!(fields.contains(&f.to_string()), "{f} in {fields:?}");
    }
    let a = post(
        &b.client,
        "/api/v1/sell-out/declarations",
        &b.key,
        &declaration("nobody@acme.example", "F-4"),
    )
    .await;
    assert_eq!(
        (a.status, a.fields()),
        (422, vec!["participant_email".to_string()])
    );

    // Listed by status and date, read one by one.
    let all = get(&b.client, "/api/v1/sell-out/declarations", &b.key).await;
    assert_eq!(all.body["items"].as_array().unwrap().len(), 3);
    let approved = get(
        &b.client,
        "/api/v1/sell-out/declarations?status=approved",
        &b.key,
    )
    .await;
    assert_eq!(approved.body["items"].as_array().unwrap().len(), 1);
    let old = get(
        &b.client,
        "/api/v1/sell-out/declarations?to=2020-01-01",
        &b.key,
    )
    .await;
    assert_eq!(old.body["items"].as_array().unwrap().len(), 0);
    let one = get(
        &b.client,
        &format!("/api/v1/sell-out/declarations/{id}"),
        &b.key,
    )
    .await;
    assert_eq!(one.body["invoice_ref"], "F-2");
    let bad_status = get(
        &b.client,
        "/api/v1/sell-out/declarations?status=lost",
        &b.key,
    )
    .await;
    assert_eq!(
        (bad_status.status, bad_status.fields()),
        (400, vec!["status".to_string()])
    );
    // Another tenant's declaration is not found.
    let other = brand(&app, "globex");
    let a = get(
        &other.client,
        &format!("/api/v1/sell-out/declarations/{id}"),
        &other.key,
    )
    .await;
    assert_eq!(a.status, 404);
    let n: i64 = declarations::table
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(n, 3);
}
