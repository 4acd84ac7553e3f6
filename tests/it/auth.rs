//! Logging in and out, role guards, rate limiting, CSRF.

use crate::common;

use diesel::prelude::*;

use common::{spawn_app, PASSWORD};
use relais::domain::Role;

#[actix_web::test]
async fn anonymous_visitors_are_sent_to_login_and_back_after_it() {
    let app = spawn_app().await;
    let (tenant, admin) = app.create_tenant("acme", "Acme");
    let client = app.client(&app.host(&tenant));

    let page = client.get("/admin/theme").await;
    assert_eq!(page.status, 303);
    assert_eq!(page.location.as_deref(), Some("/login?next=/admin/theme"));

    let login = client.get("/login?next=/admin/theme").await;
    let token = login.csrf_token().unwrap();
    let res = client
        .post_form_raw(
            "/login",
            &[
                ("email", &admin.email),
                ("password", PASSWORD),
                ("next", "/admin/theme"),
                ("csrf_token", &token),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(res.location.as_deref(), Some("/admin/theme"));
    assert_eq!(client.get("/admin/theme").await.status, 200);
}

#[actix_web::test]
async fn login_is_case_insensitive_on_email_and_lands_on_the_role_home() {
    let app = spawn_app().await;
    let (tenant, _) = app.create_tenant("acme", "Acme");
    app.create_user(&tenant, Role::Marketer, "Mia@Acme.example", "Mia");
    let client = app.client(&app.host(&tenant));

    let res = client.login("MIA@acme.EXAMPLE", PASSWORD).await;
    assert_eq!(res.location.as_deref(), Some("/studio"));
    let studio = client.get("/studio").await;
    assert_eq!(studio.status, 200);
    assert_eq!(studio.texts(".whoami"), vec!["Mia"]);
}

#[actix_web::test]
async fn wrong_email_and_wrong_password_get_the_same_message() {
    let app = spawn_app().await;
    let (tenant, admin) = app.create_tenant("acme", "Acme");
    let client = app.client(&app.host(&tenant));

    let wrong_password = client.login(&admin.email, "not-the-password").await;
    let unknown_email = client.login("nobody@acme.example", PASSWORD).await;
    assert_eq!(wrong_password.status, 422);
    assert_eq!(unknown_email.status, 422);
    let a = wrong_password.texts("[data-testid=login-error]");
    assert_eq!(a, vec!["Wrong email or password."]);
    assert_eq!(a, unknown_email.texts("[data-testid=login-error]"));
    // The email is kept in the form, the password is not.
    assert!(wrong_password
        .body
        .contains(&format!("value=\"{}\"", admin.email)));
}

#[actix_web::test]
async fn disabled_users_cannot_log_in_and_lose_their_session() {
    let app = spawn_app().await;
    let (tenant, admin) = app.create_tenant("acme", "Acme");
    let user = app.create_user(&tenant, Role::Participant, "pat@acme.example", "Pat");
    let host = app.host(&tenant);
    let pat = app.client(&host);
    assert_eq!(pat.login(&user.email, PASSWORD).await.status, 303);
    assert_eq!(pat.get("/").await.status, 200);

    let boss = app.client(&host);
    boss.login(&admin.email, PASSWORD).await;
    let res = boss
        .post_form(
            &format!("/admin/users/{}/access", user.id),
            &[("disabled", "true")],
        )
        .await;
    assert_eq!(res.status, 303);

    assert_eq!(
        pat.get("/").await.location.as_deref(),
        Some("/login?next=/")
    );
    assert_eq!(pat.login(&user.email, PASSWORD).await.status, 422);
}

#[actix_web::test]
async fn the_eleventh_wrong_password_is_refused_without_being_checked() {
    let app = spawn_app().await;
    let (tenant, admin) = app.create_tenant("acme", "Acme");
    let client = app.client(&app.host(&tenant));

    for _ in 0..10 {
        assert_eq!(
            client.login(&admin.email, "wrong-password").await.status,
            422
        );
    }
    // Even the right password is now refused, with a clear message.
    let refused = client.login(&admin.email, PASSWORD).await;
    assert_eq!(refused.status, 429);
    assert_eq!(
        refused.texts("[data-testid=login-error]"),
        vec!["Too many attempts. Please try again later."]
    );

    // Another account from elsewhere is unaffected.
    let other = app.create_user(&tenant, Role::Participant, "ok@acme.example", "Ok");
    assert_eq!(
        app.client(&app.host(&tenant))
            .login(&other.email, PASSWORD)
            .await
            .status,
        303
    );
}

#[actix_web::test]
async fn too_many_failures_from_one_address_are_refused_whatever_the_tenant() {
    let app = spawn_app().await;
    let (tenant, _) = app.create_tenant("acme", "Acme");
    let (other, other_admin) = app.create_tenant("other", "Other");
    let limit = app.settings.security.login_max_failures_per_ip;
    {
        // Failures spread over many accounts of one tenant, as a password-spraying bot
        // would (the counter the login form increments, filled here to save time).
        let mut conn = app.conn();
        for _ in 0..limit {
            relais::db::login_throttle::reserve(
                &mut conn,
                "ip:127.0.0.1",
                chrono::Utc::now(),
                chrono::Duration::minutes(15),
            )
            .unwrap();
        }
        let _ = tenant;
    }
    // The same address is refused at another tenant too.
    let res = app
        .client(&app.host(&other))
        .login(&other_admin.email, PASSWORD)
        .await;
    assert_eq!(res.status, 429);
}

#[actix_web::test]
async fn a_browser_that_signed_in_before_still_can_while_strangers_lock_the_account() {
    let app = spawn_app().await;
    let (tenant, admin) = app.create_tenant("acme", "Acme");
    let host = app.host(&tenant);
    let own = app.client(&host);
    assert_eq!(own.login(&admin.email, PASSWORD).await.status, 303);
    own.post_form("/logout", &[]).await;

    let stranger = app.client(&host);
    for _ in 0..12 {
        stranger.login(&admin.email, "guessing").await;
    }
    assert_eq!(
        stranger.login(&admin.email, PASSWORD).await.status,
        429,
        "the account is locked for unknown browsers"
    );
    assert_eq!(
        app.client(&host).login(&admin.email, PASSWORD).await.status,
        429
    );
    assert_eq!(
        own.login(&admin.email, PASSWORD).await.status,
        303,
        "the owner's browser, known by its device cookie, still gets in"
    );
}

#[actix_web::test]
async fn role_guards_refuse_participants_and_marketers_where_they_do_not_belong() {
    let app = spawn_app().await;
    let (tenant, _) = app.create_tenant("acme", "Acme");
    let host = app.host(&tenant);
    let participant = app.create_user(&tenant, Role::Participant, "p@acme.example", "P");
    let marketer = app.create_user(&tenant, Role::Marketer, "m@acme.example", "M");

    let p = app.client(&host);
    p.login(&participant.email, PASSWORD).await;
    for path in ["/studio", "/admin", "/admin/theme", "/admin/users"] {
        let page = p.get(path).await;
        assert_eq!(page.status, 403, "{path}");
        assert!(
            page.body.contains("Access denied"),
            "{path} shows the branded 403 page"
        );
        assert!(
            page.body.contains("--primary: #1f6f5c"),
            "{path} is in the tenant's colours"
        );
    }
    let m = app.client(&host);
    m.login(&marketer.email, PASSWORD).await;
    assert_eq!(m.get("/studio").await.status, 200);
    assert_eq!(m.get("/admin/users").await.status, 403);
}

#[actix_web::test]
async fn a_post_without_a_valid_csrf_token_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let (tenant, admin) = app.create_tenant("acme", "Acme");
    let victim = app.create_user(&tenant, Role::Participant, "v@acme.example", "Victim");
    let client = app.client(&app.host(&tenant));
    client.login(&admin.email, PASSWORD).await;

    let path = format!("/admin/users/{}/access", victim.id);
    let missing = client.post_form_raw(&path, &[("disabled", "true")]).await;
    let forged = client
        .post_form_raw(&path, &[("disabled", "true"), ("csrf_token", "forged")])
        .await;
    assert_eq!(missing.status, 403);
    assert_eq!(forged.status, 403);

    let still =
        relais::db::users::find(&mut app.conn(), tenant.tenant_id(), victim.user_id()).unwrap();
    assert!(!still.disabled);

    // The login form is protected too.
    let anon = app.client(&app.host(&tenant));
    let res = anon
        .post_form_raw("/login", &[("email", &admin.email), ("password", PASSWORD)])
        .await;
    assert_eq!(res.status, 403);
}

#[actix_web::test]
async fn logout_ends_the_session_for_every_copy_of_its_cookie() {
    let app = spawn_app().await;
    let (tenant, admin) = app.create_tenant("acme", "Acme");
    let host = app.host(&tenant);
    let (client, jar) = app.client_with_jar(&host);
    client.login(&admin.email, PASSWORD).await;
    assert_eq!(client.get("/admin").await.status, 200);
    let url: reqwest::Url = app.url(&host, "/").parse().unwrap();
    let copied = reqwest::cookie::CookieStore::cookies(&*jar, &url)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let thief = app.client_with_cookie(&host, &copied);
    assert_eq!(thief.get("/admin").await.status, 200, "a copy works...");

    let res = client.post_form("/logout", &[]).await;
    assert_eq!(res.location.as_deref(), Some("/login"));
    assert_eq!(client.get("/admin").await.status, 303);
    assert_eq!(
        thief.get("/admin").await.status,
        303,
        "...until logout, which ends the session on the server"
    );
}

#[actix_web::test]
async fn sessions_end_after_the_idle_and_the_absolute_timeouts() {
    let app = spawn_app().await;
    let (tenant, admin) = app.create_tenant("acme", "Acme");
    let host = app.host(&tenant);
    for column in ["idle_expires_at", "absolute_expires_at"] {
        let client = app.client(&host);
        client.login(&admin.email, PASSWORD).await;
        assert_eq!(client.get("/admin").await.status, 200);
        diesel::sql_query(format!(
            "UPDATE web_sessions SET {column} = now() - interval '1 second' WHERE user_id = $1"
        ))
        .bind::<diesel::sql_types::BigInt, _>(admin.id)
        .execute(&mut app.conn())
        .unwrap();
        assert_eq!(client.get("/admin").await.status, 303, "{column}");
    }
}

#[actix_web::test]
async fn the_session_cookie_is_http_only_and_same_site_lax() {
    let app = spawn_app().await;
    let (tenant, _) = app.create_tenant("acme", "Acme");
    let res = app
        .client(&app.host(&tenant))
        .http
        .get(app.url(&app.host(&tenant), "/login"))
        .send()
        .await
        .unwrap();
    let cookie = res
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie.starts_with("relais_session="));
    assert!(cookie.contains("HttpOnly"));
    assert!(cookie.contains("SameSite=Lax"));
}

#[actix_web::test]
async fn changing_the_password_ends_sessions_opened_before() {
    let app = spawn_app().await;
    let (tenant, _) = app.create_tenant("acme", "Acme");
    let pat = app.create_user(&tenant, Role::Participant, "pat@acme.example", "Pat");
    let laptop = app.client(&app.host(&tenant));
    laptop.login(&pat.email, PASSWORD).await;
    assert_eq!(laptop.get("/").await.status, 200);

    // At once: sessions are dated to the microsecond, so a change within the same second
    // as the login still ends it.
    relais::services::accounts::set_password(
        &mut app.conn(),
        tenant.tenant_id(),
        pat.user_id(),
        "a-brand-new-password",
    )
    .unwrap();
    assert_eq!(
        laptop.get("/").await.status,
        303,
        "the old session (or a stolen copy) no longer works"
    );

    let phone = app.client(&app.host(&tenant));
    assert_eq!(
        phone.login(&pat.email, "a-brand-new-password").await.status,
        303
    );
    assert_eq!(phone.get("/").await.status, 200);
}

#[actix_web::test]
async fn next_cannot_lead_off_the_site_after_login() {
    let app = spawn_app().await;
    let (tenant, admin) = app.create_tenant("acme", "Acme");
    let client = app.client(&app.host(&tenant));
    let res = client
        .post_form(
            "/login",
            &[
                ("email", &admin.email),
                ("password", PASSWORD),
                ("next", "/\t/evil.example"),
            ],
        )
        .await;
    assert_eq!(res.location.as_deref(), Some("/admin"));
}
