//! Health and readiness probes.

use crate::common;

use common::spawn_app;

#[actix_web::test]
async fn healthz_and_readyz_answer_on_any_host() {
    let app = spawn_app().await;
    let client = app.client("probe.internal");
    let health = client.get("/healthz").await;
    assert_eq!(health.status, 200);
    assert!(health.body.contains("\"ok\""));
    let ready = client.get("/readyz").await;
    assert_eq!(ready.status, 200);
    assert!(ready.body.contains("\"ready\""));
}

#[actix_web::test]
async fn readyz_reports_a_database_that_went_away() {
    let app = spawn_app().await;
    {
        use diesel::prelude::*;
        let admin = std::env::var("RELAIS_TEST_DATABASE_URL").unwrap();
        let mut conn = PgConnection::establish(&admin).unwrap();
        diesel::sql_query(format!("DROP DATABASE {} WITH (FORCE)", app.db_name))
            .execute(&mut conn)
            .unwrap();
    }
    let ready = app.client("x").get("/readyz").await;
    assert_eq!(ready.status, 503);
    assert!(ready.body.contains("database_unavailable"));
}

#[actix_web::test]
async fn responses_carry_a_request_id_in_the_logs_and_security_headers() {
    let app = spawn_app().await;
    let res = app
        .client("x")
        .http
        .get(app.url("x", "/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert_eq!(res.headers()["x-frame-options"], "DENY");
}

#[actix_web::test]
async fn pages_forbid_inline_script_through_their_content_security_policy() {
    let app = spawn_app().await;
    let (tenant, _) = app.create_tenant("acme", "Acme");
    let res = app
        .client(&app.host(&tenant))
        .http
        .get(app.url(&app.host(&tenant), "/login"))
        .send()
        .await
        .unwrap();
    let csp = res
        .headers()
        .get("content-security-policy")
        .expect("a CSP header")
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("script-src 'self';"), "{csp}");
    assert!(!csp.contains("unsafe-eval"));
    assert!(csp.contains("frame-ancestors 'none'"));
    let body = res.text().await.unwrap();
    assert!(
        !body.contains("<script>") && !body.contains(" onclick="),
        "no inline script in pages"
    );
}

/// `relais serve` with SMTP configured and the worker running, stopped by SIGTERM as
/// service managers do on every deploy: exits 0, without a panic.
#[test]
fn serve_stops_cleanly_on_sigterm() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    let (_db, url) = common::fresh_database();
    let mut child = Command::new(env!("CARGO_BIN_EXE_relais"))
        .arg("serve")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("RELAIS_ENV", "test")
        .env("DATABASE_URL", &url)
        .env("RELAIS__SERVER__PORT", "0")
        .env("RELAIS__JOBS__RUN_IN_SERVE", "true")
        .env("RELAIS__EMAIL__TRANSPORT", "smtp")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start relais serve");
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let listening = lines.next().and_then(Result::ok).unwrap_or_default();
    assert!(listening.contains("listening"), "{listening}");
    // Let the worker start polling the queue.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}
