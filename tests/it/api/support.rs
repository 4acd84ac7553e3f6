//! A tenant with a partner, products, a participant and API keys, and a JSON client.

#![allow(dead_code)]

use chrono::Utc;
use relais::db::tenants::Tenant;
use relais::services::api_keys::{self, KeyInput};
use relais::services::audit::Actor;
use serde_json::{json, Value};

use crate::common::{TestApp, TestClient};
use crate::declarations::support::{add_participant, add_partner, add_product};

pub const ALL_SCOPES: &[&str] = &["read", "sell-in", "sell-out", "network", "fulfilment"];

pub fn key(app: &TestApp, tenant: &Tenant, scopes: &[&str]) -> String {
    let input = KeyInput {
        name: format!("ERP {}", scopes.join("+")),
        scopes: scopes.iter().map(|s| s.to_string()).collect(),
    };
    api_keys::create(
        &mut app.conn(),
        tenant.tenant_id(),
        &Actor::system("cli"),
        &input,
        Utc::now(),
    )
    .unwrap()
    .secret
}

pub struct Brand {
    pub tenant: Tenant,
    pub client: TestClient,
    pub key: String,
}

/// A brand with partner PH-75-0012, products STK-50 and ROL-50, participant
/// lea@SLUG.example, and a key with every scope.
pub fn brand(app: &TestApp, slug: &str) -> Brand {
    let (tenant, _) = app.create_tenant(slug, &format!("{slug} brand"));
    let partner = add_partner(app, &tenant, "PH-75-0012", "Île-de-France");
    add_product(
        app,
        &tenant,
        "STK-50",
        "Stick Fraîcheur 50 g",
        "12.90",
        "10",
    );
    add_product(app, &tenant, "ROL-50", "Roll-on Coton 50 ml", "9.90", "8");
    add_participant(app, &tenant, partner, &format!("lea@{slug}.example"), "Léa");
    let client = app.client(&app.host(&tenant));
    let key = key(app, &tenant, ALL_SCOPES);
    Brand {
        tenant,
        client,
        key,
    }
}

pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Answer {
    /// The `field`s of the error body.
    pub fn fields(&self) -> Vec<String> {
        self.body["error"]["fields"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|f| f["field"].as_str().unwrap_or("").to_string())
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }
}

/// Sends a request with a key (none: no Authorization) and an optional raw body.
pub async fn send(
    client: &TestClient,
    method: &str,
    path: &str,
    key: Option<&str>,
    body: Option<String>,
    idempotency_key: Option<&str>,
) -> Answer {
    let url = format!("{}{}", client.base, path);
    let mut req = match method {
        "GET" => client.http.get(url),
        _ => client.http.post(url),
    };
    if let Some(k) = key {
        req = req.bearer_auth(k);
    }
    if let Some(k) = idempotency_key {
        req = req.header("Idempotency-Key", k);
    }
    if let Some(b) = body {
        req = req.header("Content-Type", "application/json").body(b);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let text = res.text().await.unwrap();
    let body = serde_json::from_str(&text).unwrap_or_else(|_| json!({ "raw": text }));
    Answer {
        status,
        headers,
        body,
    }
}

/// The same POST sent `n` times at once (each on its own task), the answers in order.
pub async fn at_once(
    client: &TestClient,
    n: usize,
    path: &str,
    key: &str,
    body: String,
    idempotency_key: &str,
) -> Vec<Answer> {
    let mut set = tokio::task::JoinSet::new();
    for i in 0..n {
        let req = client
            .http
            .post(format!("{}{}", client.base, path))
            .bearer_auth(key)
            .header("Idempotency-Key", idempotency_key)
            .header("Content-Type", "application/json")
            .body(body.clone());
        set.spawn(async move {
            let res = req.send().await.unwrap();
            let status = res.status().as_u16();
            let headers = res.headers().clone();
            let body: Value = res.json().await.unwrap();
            (
                i,
                Answer {
                    status,
                    headers,
                    body,
                },
            )
        });
    }
    let mut out: Vec<(usize, Answer)> = set.join_all().await;
    out.sort_by_key(|(i, _)| *i);
    out.into_iter().map(|(_, a)| a).collect()
}

pub async fn get(client: &TestClient, path: &str, key: &str) -> Answer {
    send(client, "GET", path, Some(key), None, None).await
}

pub async fn post(client: &TestClient, path: &str, key: &str, body: &Value) -> Answer {
    send(
        client,
        "POST",
        path,
        Some(key),
        Some(body.to_string()),
        None,
    )
    .await
}

pub fn today() -> String {
    Utc::now().date_naive().to_string()
}

pub fn declaration(email: &str, invoice: &str) -> Value {
    json!({
        "participant_email": email,
        "sale_date": today(),
        "channel": "in_store",
        "invoice_ref": invoice,
        "lines": [
            {"sku": "STK-50", "quantity": 3},
            {"sku": "ROL-50", "quantity": 2, "unit_price": "9.50"}
        ]
    })
}

pub fn sell_in_line(n: usize) -> Value {
    json!({
        "partner_code": "PH-75-0012",
        "sku": if n.is_multiple_of(2) { "STK-50" } else { "ROL-50" },
        "date": today(),
        "quantity": 10 + (n % 7) as i64,
        "amount": "129.00",
        "reference": format!("INV-{n}")
    })
}
