//! `Idempotency-Key`: a retry replays the first response; another body under the same
//! key is refused; sixteen retries at once make one declaration.

use diesel::prelude::*;
use relais::db::schema::{api_idempotency, declarations, sell_in};
use serde_json::json;

use super::support::*;
use crate::common::spawn_app;

fn declarations_count(app: &crate::common::TestApp) -> i64 {
    declarations::table
        .count()
        .get_result(&mut app.conn())
        .unwrap()
}

#[actix_web::test]
async fn a_retry_replays_the_first_response_and_another_body_is_refused() {
    let app = spawn_app().await;
    let b = brand(&app, "acme");
    let body = declaration("lea@acme.example", "F-1").to_string();
    let path = "/api/v1/sell-out/declarations";
    let first = send(
        &b.client,
        "POST",
        path,
        Some(&b.key),
        Some(body.clone()),
        Some("order-1"),
    )
    .await;
    assert_eq!(first.status, 201);
    // The same JSON, spaced and ordered differently, is the same request.
    let respaced =
        serde_json::to_string_pretty(&serde_json::from_str::<serde_json::Value>(&body).unwrap())
            .unwrap();
    let again = send(
        &b.client,
        "POST",
        path,
        Some(&b.key),
        Some(respaced),
        Some("order-1"),
    )
    .await;
    assert_eq!(again.status, 201);
    assert_eq!(again.body, first.body);
    assert_eq!(again.headers["idempotent-replayed"], "true");
    assert_eq!(declarations_count(&app), 1);

    let other = declaration("lea@acme.example", "F-2").to_string();
    let reused = send(
        &b.client,
        "POST",
        path,
        Some(&b.key),
        Some(other.clone()),
        Some("order-1"),
    )
    .await;
    assert_eq!(reused.status, 422);
    assert_eq!(reused.code(), "idempotency_key_reused");
    assert_eq!(reused.fields(), vec!["Idempotency-Key".to_string()]);
    assert_eq!(declarations_count(&app), 1);

    // Keys are per API key: another key may use the same value.
    let second_key = key(&app, &b.tenant, &["sell-out"]);
    let a = send(
        &b.client,
        "POST",
        path,
        Some(&second_key),
        Some(other),
        Some("order-1"),
    )
    .await;
    assert_eq!(a.status, 201);
    assert_eq!(declarations_count(&app), 2);

    // A refused request keeps nothing: corrected, it may be sent under the same key.
    let mut bad = declaration("lea@acme.example", "F-3");
    bad["lines"][0]["sku"] = json!("NOPE");
    let a = send(
        &b.client,
        "POST",
        path,
        Some(&b.key),
        Some(bad.to_string()),
        Some("order-3"),
    )
    .await;
    assert_eq!(a.status, 422);
    let good = declaration("lea@acme.example", "F-3").to_string();
    let a = send(
        &b.client,
        "POST",
        path,
        Some(&b.key),
        Some(good),
        Some("order-3"),
    )
    .await;
    assert_eq!(a.status, 201);
    assert_eq!(declarations_count(&app), 3);

    let bad_key = send(
        &b.client,
        "POST",
        path,
        Some(&b.key),
        Some(body),
        Some(&"x".repeat(300)),
    )
    .await;
    assert_eq!(
        (bad_key.status, bad_key.fields()),
        (400, vec!["Idempotency-Key".to_string()])
    );

    // Kept at least 24 hours: the daily job forgets them after 48.
    let kept: i64 = api_idempotency::table
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(kept, 3);
    let now = chrono::Utc::now();
    relais::services::points::run_daily(
        &mut app.conn(),
        b.tenant.tenant_id(),
        now + chrono::Duration::hours(25),
    )
    .unwrap();
    let kept: i64 = api_idempotency::table
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(kept, 3, "still there after 25 hours");
    relais::services::points::run_daily(
        &mut app.conn(),
        b.tenant.tenant_id(),
        now + chrono::Duration::hours(49),
    )
    .unwrap();
    let kept: i64 = api_idempotency::table
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(kept, 0);
}

#[actix_web::test]
async fn sixteen_concurrent_retries_make_one_declaration_and_one_sell_in_batch() {
    let app = spawn_app().await;
    let b = brand(&app, "acme");
    let body = declaration("lea@acme.example", "F-9").to_string();
    let path = "/api/v1/sell-out/declarations";
    let answers = at_once(&b.client, 16, path, &b.key, body, "burst-1").await;
    assert!(
        answers.iter().all(|a| a.status == 201),
        "{:?}",
        answers
            .iter()
            .map(|a| (a.status, a.body.clone()))
            .collect::<Vec<_>>()
    );
    let ids: std::collections::BTreeSet<i64> = answers
        .iter()
        .map(|a| a.body["declaration"]["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids.len(), 1, "one declaration: {ids:?}");
    assert_eq!(declarations_count(&app), 1);

    let lines: Vec<_> = (0..50).map(sell_in_line).collect();
    let batch = json!({ "lines": lines }).to_string();
    let answers = at_once(&b.client, 16, "/api/v1/sell-in", &b.key, batch, "batch-1").await;
    assert!(
        answers
            .iter()
            .all(|a| a.status == 200 && a.body["created"] == 50),
        "every answer is the first one's"
    );
    let n: i64 = sell_in::table.count().get_result(&mut app.conn()).unwrap();
    assert_eq!(n, 50);
}
