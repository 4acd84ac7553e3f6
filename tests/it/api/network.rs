//! Partners, products and participants: upsert in batches, read by key, page with a
//! cursor, deactivate.

use serde_json::json;

use super::support::*;
use crate::common::spawn_app;

#[actix_web::test]
async fn partners_products_and_participants_are_upserted_paged_and_deactivated() {
    let app = spawn_app().await;
    let b = brand(&app, "acme");
    let c = &b.client;
    let items: Vec<_> = (0..120)
        .map(|n| {
            json!({
                "external_code": format!("RT-{n:04}"), "name": format!("Retailer {n}"),
                "kind": "reseller", "brand_mode": "multi", "region": "Bretagne",
                "country": "FR", "potential": 1 + n % 5, "tier": "Silver"
            })
        })
        .collect();
    let a = post(c, "/api/v1/partners", &b.key, &json!({ "items": items })).await;
    assert_eq!(
        (a.status, a.body["created"].as_i64()),
        (200, Some(120)),
        "{:?}",
        a.body
    );
    let mut renamed = items.clone();
    renamed[5]["name"] = json!("Retailer five");
    let a = post(c, "/api/v1/partners", &b.key, &json!({ "items": renamed })).await;
    assert_eq!(
        (a.body["updated"].as_i64(), a.body["unchanged"].as_i64()),
        (Some(1), Some(119))
    );

    // 121 partners in pages of 50: 50, 50, 21, each once.
    let mut seen = vec![];
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/partners?limit=50&cursor={c}"),
            None => "/api/v1/partners?limit=50".to_string(),
        };
        let page = get(c, &path, &b.key).await;
        assert_eq!(page.status, 200);
        for p in page.body["items"].as_array().unwrap() {
            seen.push(p["external_code"].as_str().unwrap().to_string());
        }
        match page.body["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 121);
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 121);

    let one = get(c, "/api/v1/partners/rt-0005", &b.key).await;
    assert_eq!(one.body["name"], "Retailer five");
    let gone = post(c, "/api/v1/partners/RT-0005/deactivate", &b.key, &json!({})).await;
    assert_eq!(
        (gone.status, gone.body["active"].as_bool()),
        (200, Some(false))
    );
    assert_eq!(get(c, "/api/v1/partners/NOPE", &b.key).await.status, 404);

    let a = post(c, "/api/v1/products", &b.key, &json!({ "items": [
        {"sku": "DEO-200", "name": "Spray 200 ml", "category": "Sprays", "unit_price": "7.50", "points_per_unit": 5},
        {"sku": "STK-50", "name": "Stick Fraîcheur 50 g", "category": "Sticks", "unit_price": "13.50", "points_per_unit": 10}
    ]})).await;
    assert_eq!(
        (a.body["created"].as_i64(), a.body["updated"].as_i64()),
        (Some(1), Some(1)),
        "{:?}",
        a.body
    );
    let stick = get(c, "/api/v1/products/STK-50", &b.key).await;
    assert_eq!(stick.body["unit_price_minor"], 1350);
    let a = post(c, "/api/v1/products", &b.key, &json!({ "items": [
        {"sku": "DEO-200", "name": "", "category": "Sprays", "unit_price": "-1", "points_per_unit": 5}
    ]})).await;
    assert_eq!(a.status, 422);
    assert!(
        a.fields().contains(&"items[0].name".to_string()),
        "{:?}",
        a.fields()
    );
    let off = post(c, "/api/v1/products/DEO-200/deactivate", &b.key, &json!({})).await;
    assert_eq!(off.body["active"], false);

    let a = post(
        c,
        "/api/v1/participants",
        &b.key,
        &json!({ "items": [
            {"email": "max@acme.example", "name": "Max", "partner_code": "RT-0001", "locale": "fr"}
        ]}),
    )
    .await;
    assert_eq!(
        (a.status, a.body["created"].as_i64()),
        (200, Some(1)),
        "{:?}",
        a.body
    );
    let max = get(c, "/api/v1/participants/max@acme.example", &b.key).await;
    assert_eq!(
        (
            max.body["partner_code"].as_str(),
            max.body["active"].as_bool()
        ),
        (Some("RT-0001"), Some(true))
    );
    let list = get(c, "/api/v1/participants", &b.key).await;
    assert_eq!(list.body["items"].as_array().unwrap().len(), 2);
    let off = post(
        c,
        "/api/v1/participants/max@acme.example/deactivate",
        &b.key,
        &json!({}),
    )
    .await;
    assert_eq!(off.body["active"], false);
    let a = post(
        c,
        "/api/v1/participants",
        &b.key,
        &json!({ "items": [
            {"email": "not-an-email", "name": "X", "partner_code": "NOPE"}
        ]}),
    )
    .await;
    assert_eq!(a.status, 422);
    assert!(
        a.fields().contains(&"items[0].email".to_string()),
        "{:?}",
        a.fields()
    );
    // The admin's own account is not a participant of the API.
    assert_eq!(
        get(c, "/api/v1/participants/admin@acme.example", &b.key)
            .await
            .status,
        404
    );
}

#[actix_web::test]
async fn the_openapi_document_describes_every_route_and_the_docs_page_is_served() {
    let app = spawn_app().await;
    let b = brand(&app, "acme");
    let doc = b
        .client
        .http
        .get(format!("{}/api/v1/openapi.json", b.client.base))
        .send()
        .await
        .unwrap();
    assert_eq!(doc.status(), 200);
    let doc: serde_json::Value = doc.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    for p in [
        "/api/v1/sell-in",
        "/api/v1/sell-out/declarations",
        "/api/v1/sell-out/declarations/{id}",
        "/api/v1/partners",
        "/api/v1/partners/{code}",
        "/api/v1/partners/{code}/deactivate",
        "/api/v1/products",
        "/api/v1/products/{sku}",
        "/api/v1/participants",
        "/api/v1/participants/{email}",
    ] {
        assert!(doc["paths"][p].is_object(), "{p} documented");
    }
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
    let page = b.client.get("/api/docs").await;
    assert_eq!(page.status, 200);
    assert!(page
        .body
        .contains("/assets/vendor/swagger-ui-5.35.0/swagger-ui-bundle.js"));
    for asset in [
        "swagger-ui-bundle.js",
        "swagger-ui.css",
        "relais-init.js",
        "LICENSE",
    ] {
        let r = b
            .client
            .http
            .get(format!(
                "{}/assets/vendor/swagger-ui-5.35.0/{asset}",
                b.client.base
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{asset} vendored");
    }
}
