//! Tenants are resolved from the host, and nothing of one is visible from another.

use crate::common;

use common::{spawn_app, PASSWORD};
use relais::domain::Role;

#[actix_web::test]
async fn an_unknown_host_gets_a_plain_404_naming_no_tenant() {
    let app = spawn_app().await;
    app.create_tenant("acme", "Acme Secret Brand");
    for host in ["nope.localhost", "localhost", "acme.localhost.evil.example"] {
        let page = app.client(host).get("/").await;
        assert_eq!(page.status, 404, "{host}");
        assert!(!page.body.contains("Acme"), "{host} must not name a tenant");
        assert!(page.body.contains("Page not found"));
    }
}

#[actix_web::test]
async fn a_tenant_answers_at_its_subdomain_and_its_custom_domains() {
    let app = spawn_app().await;
    let (tenant, admin) = app.create_tenant("acme", "Acme");
    relais::db::tenants::add_domain(&mut app.conn(), tenant.tenant_id(), "rewards.acme.example")
        .unwrap();

    for host in ["acme.localhost", "rewards.acme.example", "ACME.localhost"] {
        let client = app.client(host);
        let page = client.get("/login").await;
        assert_eq!(page.status, 200, "{host}");
        assert!(page.body.contains("Log in to Acme"), "{host}");
        assert_eq!(
            client.login(&admin.email, PASSWORD).await.status,
            303,
            "{host}"
        );
    }
}

#[actix_web::test]
async fn a_user_of_tenant_b_cannot_log_in_on_tenant_a() {
    let app = spawn_app().await;
    let (a, _) = app.create_tenant("alpha", "Alpha");
    let (_b, b_admin) = app.create_tenant("beta", "Beta");
    let page = app
        .client(&app.host(&a))
        .login(&b_admin.email, PASSWORD)
        .await;
    assert_eq!(page.status, 422);
    assert_eq!(
        page.texts("[data-testid=login-error]"),
        vec!["Wrong email or password."]
    );
}

#[actix_web::test]
async fn the_same_email_may_exist_in_two_tenants_with_separate_accounts() {
    let app = spawn_app().await;
    let (a, _) = app.create_tenant("alpha", "Alpha");
    let (b, _) = app.create_tenant("beta", "Beta");
    let in_a = app.create_user(&a, Role::Participant, "sam@shop.example", "Sam in A");
    let in_b = app.create_user(&b, Role::Participant, "sam@shop.example", "Sam in B");
    assert_ne!(in_a.id, in_b.id);
    let client = app.client(&app.host(&b));
    client.login("sam@shop.example", PASSWORD).await;
    assert_eq!(client.get("/").await.texts(".whoami"), vec!["Sam in B"]);
}

#[actix_web::test]
async fn an_admin_of_b_cannot_open_or_change_a_user_of_a_by_id() {
    let app = spawn_app().await;
    let (a, _) = app.create_tenant("alpha", "Alpha");
    let (b, b_admin) = app.create_tenant("beta", "Beta");
    let victim = app.create_user(&a, Role::Participant, "victim@alpha.example", "Victim");
    let client = app.client(&app.host(&b));
    client.login(&b_admin.email, PASSWORD).await;

    let page = client.get(&format!("/admin/users/{}", victim.id)).await;
    assert_eq!(page.status, 404);
    assert!(!page.body.contains("Victim"));
    let res = client
        .post_form(
            &format!("/admin/users/{}/access", victim.id),
            &[("disabled", "true")],
        )
        .await;
    assert_eq!(res.status, 404);
    let list = client.get("/admin/users").await;
    assert!(!list.body.contains("victim@alpha.example"));

    let still = relais::db::users::find(&mut app.conn(), a.tenant_id(), victim.user_id()).unwrap();
    assert!(!still.disabled);
}

#[actix_web::test]
async fn a_session_cookie_of_tenant_b_is_worthless_on_tenant_a() {
    let app = spawn_app().await;
    let (a, _) = app.create_tenant("alpha", "Alpha");
    let (b, b_admin) = app.create_tenant("beta", "Beta");
    let b_client = app.client(&app.host(&b));
    let token = b_client.csrf().await;
    let res = b_client
        .http
        .post(app.url(&app.host(&b), "/login"))
        .form(&[
            ("email", b_admin.email.as_str()),
            ("password", PASSWORD),
            ("csrf_token", &token),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string())
        .find(|c| c.starts_with("relais_session="))
        .expect("a session cookie");

    // Cookies are host-only, but an attacker could copy one: replay B's on A's host.
    let replay = |host: String| {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .resolve(&host, ([127, 0, 0, 1], app.port).into())
            .build()
            .unwrap()
            .get(app.url(&host, "/admin"))
            .header("cookie", cookie.clone())
            .send()
    };
    assert_eq!(
        replay(app.host(&b)).await.unwrap().status(),
        200,
        "the cookie works on B"
    );
    assert_eq!(
        replay(app.host(&a)).await.unwrap().status(),
        303,
        "and is anonymous on A"
    );
}

#[actix_web::test]
async fn script_in_a_tenant_or_user_name_is_shown_escaped_everywhere() {
    let app = spawn_app().await;
    let evil = "<script>alert(1)</script>";
    let (tenant, admin) = app.create_tenant("acme", evil);
    app.create_user(&tenant, Role::Participant, "x@acme.example", evil);
    let client = app.client(&app.host(&tenant));
    let login = client.get("/login").await;
    client.login(&admin.email, PASSWORD).await;
    for page in [
        login,
        client.get("/admin/users").await,
        client.get("/admin").await,
        client.get("/admin/theme").await,
        client.get("/nowhere").await,
    ] {
        assert!(!page.body.contains(evil), "raw script in page");
        assert!(
            page.body
                .contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;"),
            "escaped name shown"
        );
    }
}

#[actix_web::test]
async fn an_admin_changes_a_role_which_is_audited_and_scoped_to_the_tenant() {
    let app = spawn_app().await;
    let (a, admin) = app.create_tenant("alpha", "Alpha");
    let (b, b_admin) = app.create_tenant("beta", "Beta");
    let pat = app.create_user(&a, Role::Participant, "pat@alpha.example", "Pat");
    let boss = app.client(&app.host(&a));
    boss.login(&admin.email, PASSWORD).await;
    let res = boss
        .post_form(
            &format!("/admin/users/{}/role", pat.id),
            &[("role", "marketer")],
        )
        .await;
    assert_eq!(res.status, 303);
    let changed = relais::db::users::find(&mut app.conn(), a.tenant_id(), pat.user_id()).unwrap();
    assert_eq!(changed.role, "marketer");
    let log = boss.get("/admin/audit?action=user.role_changed").await;
    assert!(log.texts("[data-testid=audit] tbody td:nth-child(4)")[0]
        .contains("role: participant → marketer"));

    let other = app.client(&app.host(&b));
    other.login(&b_admin.email, PASSWORD).await;
    let res = other
        .post_form(
            &format!("/admin/users/{}/role", pat.id),
            &[("role", "admin")],
        )
        .await;
    assert_eq!(res.status, 404);
    assert!(
        other
            .get("/admin/audit")
            .await
            .texts("[data-testid=audit] tbody tr")
            .is_empty(),
        "B sees none of A's log"
    );
}
