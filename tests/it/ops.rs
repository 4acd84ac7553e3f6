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

/// What uptime checkers, browsers and caches ask of any site.
#[actix_web::test]
async fn favicon_head_requests_and_cached_assets() {
    let app = spawn_app().await;
    let (tenant, _) = app.create_tenant("acme", "Acme");
    let client = app.client(&app.host(&tenant));

    let icon = client
        .http
        .get(format!("{}/favicon.ico", client.base))
        .send()
        .await
        .unwrap();
    assert_eq!(icon.status(), 200);
    assert_eq!(icon.headers()["content-type"], "image/svg+xml");
    assert!(icon.text().await.unwrap().contains(&tenant.primary_color));

    for (path, status) in [("/", 303), ("/login", 200)] {
        let head = client
            .http
            .head(format!("{}{path}", client.base))
            .send()
            .await
            .unwrap();
        assert_eq!(head.status(), status, "HEAD {path}");
        assert!(head.bytes().await.unwrap().is_empty(), "HEAD has no body");
    }

    let login = client.get("/login").await;
    let css = login.texts("head link[rel=stylesheet]");
    assert_eq!(css.len(), 1);
    let doc = scraper::Html::parse_document(&login.body);
    let href = doc
        .select(&scraper::Selector::parse("head link[rel=stylesheet]").unwrap())
        .next()
        .and_then(|e| e.value().attr("href"))
        .unwrap()
        .to_string();
    assert!(href.starts_with("/assets/css/app.css?v="), "{href}");
    let asset = client
        .http
        .get(format!("{}{href}", client.base))
        .send()
        .await
        .unwrap();
    assert_eq!(asset.status(), 200);
    assert_eq!(
        asset.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
}

/// A link from an e-mail opens the pages in the e-mail's language, for the visit.
#[actix_web::test]
async fn a_link_with_a_language_opens_the_anonymous_pages_in_it() {
    let app = spawn_app().await;
    let (tenant, _) = app.create_tenant("acme", "Acme");
    let client = app.client(&app.host(&tenant));
    assert_eq!(
        client.get("/login").await.texts("h1"),
        vec!["Log in to Acme"]
    );
    assert_eq!(
        client.get("/login?lang=fr").await.texts("h1"),
        vec!["Connexion à Acme"]
    );
    assert_eq!(
        client.get("/login").await.texts("h1"),
        vec!["Connexion à Acme"],
        "kept for the visit"
    );
}

/// Back-office people land on their own home; an invited user who never signed in is
/// shown as invited, not active.
#[actix_web::test]
async fn each_role_lands_on_its_home_and_invited_users_are_shown_as_such() {
    use relais::domain::Role;
    let app = spawn_app().await;
    let (tenant, admin) = app.create_tenant("acme", "Acme");
    let marketer = app.create_user(&tenant, Role::Marketer, "m@acme.example", "Max");
    let admin_client = app.client(&app.host(&tenant));
    admin_client.login(&admin.email, common::PASSWORD).await;
    assert_eq!(
        admin_client.get("/").await.location.as_deref(),
        Some("/admin")
    );
    let m = app.client(&app.host(&tenant));
    m.login(&marketer.email, common::PASSWORD).await;
    assert_eq!(m.get("/").await.location.as_deref(), Some("/studio"));

    let invited = admin_client
        .post_form(
            "/admin/users/new",
            &[
                ("email", "new@acme.example"),
                ("display_name", "Nina New"),
                ("role", "marketer"),
            ],
        )
        .await;
    assert_eq!(invited.status, 303, "{}", invited.body);
    let users = admin_client.get("/admin/users").await;
    let rows = users.texts("tbody tr");
    let nina = rows.iter().find(|r| r.contains("Nina New")).unwrap();
    assert!(nina.contains("Invited"), "{nina}");
    let max = rows.iter().find(|r| r.contains("Max")).unwrap();
    assert!(max.contains("Active"), "{max}");
}
