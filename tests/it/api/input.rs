//! Bad input gets a 4xx in the one error shape, naming the field; never a 500.

use serde_json::json;

use super::support::*;
use crate::common::spawn_app;

#[actix_web::test]
async fn malformed_json_wrong_types_unknown_fields_and_oversized_batches_name_the_field() {
    let app = spawn_app().await;
    let b = brand(&app, "acme");
    let c = &b.client;
    let path = "/api/v1/sell-out/declarations";
    let k = Some(b.key.as_str());

    let a = send(
        c,
        "POST",
        path,
        k,
        Some("{\"participant_email\": ".into()),
        None,
    )
    .await;
    assert_eq!((a.status, a.code()), (400, "malformed_json"));
    assert_eq!(a.fields(), vec!["body".to_string()]);

    let mut wrong = declaration("lea@acme.example", "F-1");
    wrong["lines"][1]["quantity"] = json!("two");
    let a = send(c, "POST", path, k, Some(wrong.to_string()), None).await;
    assert_eq!(
        (a.status, a.fields()),
        (422, vec!["lines[1].quantity".to_string()])
    );

    let mut unknown = declaration("lea@acme.example", "F-1");
    unknown["lines"][0]["colour"] = json!("blue");
    let a = send(c, "POST", path, k, Some(unknown.to_string()), None).await;
    assert_eq!(
        (a.status, a.fields()),
        (422, vec!["lines[0].colour".to_string()])
    );

    let mut missing = declaration("lea@acme.example", "F-1");
    missing.as_object_mut().unwrap().remove("invoice_ref");
    let a = send(c, "POST", path, k, Some(missing.to_string()), None).await;
    assert_eq!(
        (a.status, a.fields()),
        (422, vec!["invoice_ref".to_string()])
    );

    let a = send(c, "POST", path, k, Some("[1, 2]".into()), None).await;
    assert_eq!(a.status, 422);

    let mut huge = declaration("lea@acme.example", "F-1");
    huge["lines"][0]["quantity"] = json!(1e40);
    let a = send(c, "POST", path, k, Some(huge.to_string()), None).await;
    assert_eq!(
        (a.status, a.fields()),
        (422, vec!["lines[0].quantity".to_string()])
    );

    let too_many: Vec<_> = (0..10_001).map(sell_in_line).collect();
    let a = post(c, "/api/v1/sell-in", &b.key, &json!({ "lines": too_many })).await;
    assert_eq!((a.status, a.fields()), (422, vec!["lines".to_string()]));
    let a = post(c, "/api/v1/sell-in", &b.key, &json!({ "lines": [] })).await;
    assert_eq!((a.status, a.fields()), (422, vec!["lines".to_string()]));

    let body = format!("{{\"lines\": [\"{}\"]}}", "x".repeat(9 * 1024 * 1024));
    let a = send(c, "POST", "/api/v1/sell-in", k, Some(body), None).await;
    assert_eq!((a.status, a.code()), (413, "payload_too_large"));

    let a = send(c, "GET", "/api/v1/products?limit=1000", k, None, None).await;
    assert_eq!((a.status, a.fields()), (400, vec!["limit".to_string()]));
    let a = send(c, "GET", "/api/v1/products?cursor=nonsense", k, None, None).await;
    assert_eq!((a.status, a.fields()), (400, vec!["cursor".to_string()]));
    let a = send(c, "GET", "/api/v1/products?colour=blue", k, None, None).await;
    assert_eq!((a.status, a.fields()), (400, vec!["colour".to_string()]));
    let a = send(c, "GET", "/api/v1/sell-out/declarations/abc", k, None, None).await;
    assert_eq!((a.status, a.fields()), (400, vec!["id".to_string()]));
    let a = send(
        c,
        "GET",
        "/api/v1/sell-out/declarations?from=yesterday",
        k,
        None,
        None,
    )
    .await;
    assert_eq!((a.status, a.fields()), (400, vec!["from".to_string()]));
    // A body refused before the key is checked says nothing to a stranger.
    let a = send(c, "POST", path, None, Some("{".into()), None).await;
    assert_eq!(a.status, 401);
}
