//! Keys: the admin page and the command line; every endpoint refuses a missing, revoked,
//! other tenant's or unscoped key; the per-key rate limit.

use chrono::Utc;
use diesel::prelude::*;
use relais::services::api_keys;
use relais::services::audit::Actor;
use serde_json::json;

use super::support::*;
use crate::common::{spawn_app, spawn_app_with};
use crate::declarations::support::admin;

/// Every endpoint: method, path, the scope it needs, a body that succeeds.
fn endpoints(
    slug: &str,
) -> Vec<(
    &'static str,
    String,
    &'static str,
    Option<serde_json::Value>,
)> {
    let email = format!("lea@{slug}.example");
    vec![
        (
            "POST",
            "/api/v1/sell-in".into(),
            "sell-in",
            Some(json!({"lines": [sell_in_line(1)]})),
        ),
        (
            "POST",
            "/api/v1/sell-out/declarations".into(),
            "sell-out",
            Some(declaration(&email, "F-1")),
        ),
        ("GET", "/api/v1/sell-out/declarations".into(), "read", None),
        ("GET", "/api/v1/partners".into(), "read", None),
        ("GET", "/api/v1/partners/PH-75-0012".into(), "read", None),
        (
            "POST",
            "/api/v1/partners".into(),
            "network",
            Some(json!({"items": [{
            "external_code": "PH-13-0001", "name": "Pharmacie du Port", "kind": "reseller",
            "brand_mode": "multi", "region": "PACA", "country": "FR", "potential": 2}]})),
        ),
        ("GET", "/api/v1/products".into(), "read", None),
        ("GET", "/api/v1/products/STK-50".into(), "read", None),
        (
            "POST",
            "/api/v1/products".into(),
            "network",
            Some(json!({"items": [{
            "sku": "DEO-200", "name": "Spray 200 ml", "category": "Sprays",
            "unit_price": "7.50", "points_per_unit": 5}]})),
        ),
        ("GET", "/api/v1/participants".into(), "read", None),
        ("GET", format!("/api/v1/participants/{email}"), "read", None),
        (
            "GET",
            format!("/api/v1/participants/{email}/statement"),
            "read",
            None,
        ),
        (
            "POST",
            "/api/v1/participants".into(),
            "network",
            Some(json!({"items": [{
            "email": format!("max@{slug}.example"), "name": "Max", "partner_code": "PH-75-0012"}]})),
        ),
        (
            "POST",
            "/api/v1/products/ROL-50/deactivate".into(),
            "network",
            None,
        ),
        (
            "POST",
            "/api/v1/partners/PH-13-0001/deactivate".into(),
            "network",
            None,
        ),
        (
            "POST",
            format!("/api/v1/participants/max@{slug}.example/deactivate"),
            "network",
            None,
        ),
    ]
}

#[actix_web::test]
async fn every_endpoint_refuses_missing_revoked_foreign_and_unscoped_keys() {
    let app = spawn_app().await;
    let b = brand(&app, "acme");
    let other = brand(&app, "globex");
    let revoked = key(&app, &b.tenant, ALL_SCOPES);
    let id = relais::services::api_keys::list(&mut app.conn(), b.tenant.tenant_id())
        .unwrap()
        .into_iter()
        .find(|k| revoked.starts_with(&k.prefix))
        .unwrap()
        .id;
    api_keys::revoke(
        &mut app.conn(),
        b.tenant.tenant_id(),
        &Actor::system("cli"),
        id,
        Utc::now(),
    )
    .unwrap();

    for (method, path, scope, body) in endpoints("acme") {
        let body = body.map(|b| b.to_string());
        let refusals = [
            (None, 401),
            (Some(revoked.as_str()), 401),
            (Some(other.key.as_str()), 401),
            (Some("rls_not-a-key"), 401),
        ];
        for (k, status) in refusals {
            let a = send(&b.client, method, &path, k, body.clone(), None).await;
            assert_eq!(a.status, status, "{method} {path} with {k:?}: {:?}", a.body);
            assert_eq!(a.code(), "unauthorized");
        }
        let others: Vec<&str> = ALL_SCOPES.iter().copied().filter(|s| *s != scope).collect();
        let unscoped = key(&app, &b.tenant, &others);
        let a = send(
            &b.client,
            method,
            &path,
            Some(&unscoped),
            body.clone(),
            None,
        )
        .await;
        assert_eq!(a.status, 403, "{method} {path} without {scope}");
        assert_eq!(a.code(), "insufficient_scope");
        let scoped = key(&app, &b.tenant, &[scope]);
        let a = send(&b.client, method, &path, Some(&scoped), body.clone(), None).await;
        assert!(
            a.status == 200 || a.status == 201,
            "{method} {path} with {scope}: {} {:?}",
            a.status,
            a.body
        );
    }
    // The other tenant saw none of it.
    let a = get(&other.client, "/api/v1/partners/PH-13-0001", &other.key).await;
    assert_eq!(a.status, 404);
    assert_eq!(a.code(), "not_found");
    let a = get(&other.client, "/api/v1/sell-out/declarations", &other.key).await;
    assert_eq!(a.body["items"].as_array().unwrap().len(), 0);
    let a = get(&other.client, "/api/v1/products/DEO-200", &other.key).await;
    assert_eq!(a.status, 404);
    // Unknown paths and hosts answer the same JSON shape.
    let a = get(&b.client, "/api/v1/nothing-here", &b.key).await;
    assert_eq!((a.status, a.code()), (404, "not_found"));
}

#[actix_web::test]
async fn an_admin_creates_a_key_sees_it_once_and_revokes_it() {
    let app = spawn_app().await;
    let b = brand(&app, "acme");
    let admin = admin(&app, &b.tenant).await;
    let page = admin.get("/admin/api-keys").await;
    assert_eq!(page.status, 200);

    let refused = admin.post_form("/admin/api-keys", &[("name", "")]).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("data-field=\"name\""));
    assert!(refused.body.contains("data-field=\"scopes\""));

    let created = admin
        .post_form(
            "/admin/api-keys",
            &[
                ("name", "SAP connector"),
                ("scopes", "sell-in"),
                ("scopes", "read"),
            ],
        )
        .await;
    assert_eq!(created.status, 200, "{}", created.body);
    let secret = created.texts("[data-testid=api-key-secret]").pop().unwrap();
    assert!(secret.starts_with("rls_"));
    let a = get(&b.client, "/api/v1/products", &secret).await;
    assert_eq!(a.status, 200);
    // Shown once: the list has its prefix, never the secret.
    let list = admin.get("/admin/api-keys").await;
    assert!(!list.body.contains(&secret));
    assert!(list.body.contains(&secret[..12]));
    // Stored hashed.
    let stored: Vec<String> = relais::db::schema::api_keys::table
        .select(relais::db::schema::api_keys::secret_sha256)
        .load(&mut app.conn())
        .unwrap();
    assert!(stored.contains(&api_keys::hash(&secret)));
    assert!(!stored.contains(&secret));

    let keys = api_keys::list(&mut app.conn(), b.tenant.tenant_id()).unwrap();
    let sap = keys.iter().find(|k| k.name == "SAP connector").unwrap();
    assert!(sap.last_used_at.is_some(), "the use is recorded");
    // Revoking needs the CSRF token.
    let no_token = admin
        .post_form_raw(&format!("/admin/api-keys/{}/revoke", sap.id), &[])
        .await;
    assert_eq!(no_token.status, 403);
    let revoked = admin
        .post_form(&format!("/admin/api-keys/{}/revoke", sap.id), &[])
        .await;
    assert_eq!(revoked.status, 303);
    let a = get(&b.client, "/api/v1/products", &secret).await;
    assert_eq!(a.status, 401);
    // Another tenant's admin cannot revoke it (404, nothing changes).
    let other = brand(&app, "globex");
    let other_admin = crate::declarations::support::admin(&app, &other.tenant).await;
    let first = keys.iter().find(|k| k.name != "SAP connector").unwrap();
    let foreign = other_admin
        .post_form(&format!("/admin/api-keys/{}/revoke", first.id), &[])
        .await;
    assert_eq!(foreign.status, 404);
    assert_eq!(get(&b.client, "/api/v1/products", &b.key).await.status, 200);

    let actions: Vec<String> = relais::db::schema::audit_events::table
        .filter(relais::db::schema::audit_events::tenant_id.eq(b.tenant.tenant_id()))
        .filter(relais::db::schema::audit_events::action.like("api_key.%"))
        .select(relais::db::schema::audit_events::action)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(
        actions.iter().filter(|a| *a == "api_key.created").count(),
        2
    );
    assert_eq!(
        actions.iter().filter(|a| *a == "api_key.revoked").count(),
        1
    );
    assert_eq!(admin.get("/admin/audit").await.status, 200);
}

#[actix_web::test]
async fn a_key_over_its_pace_gets_429_with_retry_after() {
    let app = spawn_app_with(|s| {
        s.api.requests_per_minute = 6;
        s.api.burst = 3;
    })
    .await;
    let b = brand(&app, "acme");
    let mut statuses = vec![];
    for _ in 0..5 {
        statuses.push(get(&b.client, "/api/v1/products", &b.key).await);
    }
    assert_eq!(
        statuses.iter().map(|a| a.status).collect::<Vec<_>>(),
        vec![200, 200, 200, 429, 429]
    );
    let limited = &statuses[3];
    assert_eq!(limited.code(), "rate_limited");
    let wait: u64 = limited.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=10).contains(&wait), "{wait}");
    // Per key: another key of the tenant is not slowed down.
    let other = key(&app, &b.tenant, &["read"]);
    assert_eq!(get(&b.client, "/api/v1/products", &other).await.status, 200);
}

#[actix_web::test]
async fn the_command_line_creates_lists_and_revokes_keys() {
    use std::process::Command;
    let app = spawn_app().await;
    app.create_tenant("acme", "Acme");
    let url = app.database_url.clone();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_relais"))
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("RELAIS_ENV", "test")
            .env("DATABASE_URL", &url)
            .output()
            .unwrap()
    };
    let out = run(&[
        "api-key",
        "create",
        "--tenant",
        "acme",
        "--name",
        "ERP",
        "--scopes",
        "read,sell-in",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let secret = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert!(secret.starts_with("rls_") && secret.len() > 60);
    let out = run(&["api-key", "list", "--tenant", "acme"]);
    let listed = String::from_utf8(out.stdout).unwrap();
    assert!(
        listed.contains("ERP") && listed.contains("read,sell-in"),
        "{listed}"
    );
    assert!(!listed.contains(&secret));
    let id = listed.split('\t').next().unwrap().to_string();
    let out = run(&["api-key", "revoke", "--tenant", "acme", &id]);
    assert!(out.status.success());
    let out = run(&["api-key", "list", "--tenant", "acme"]);
    assert!(String::from_utf8(out.stdout).unwrap().contains("revoked"));
    let out = run(&[
        "api-key", "create", "--tenant", "acme", "--name", "X", "--scopes", "admin",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("scopes"));
    let actions: Vec<String> = relais::db::schema::audit_events::table
        .select(relais::db::schema::audit_events::actor_label)
        .load(&mut app.conn())
        .unwrap();
    assert!(actions.iter().any(|a| a == "cli"));
}
