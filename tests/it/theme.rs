//! The admin edits the theme; the whole portal follows it.

use crate::common;

use common::{spawn_app, TestApp, TestClient, PASSWORD};
use reqwest::multipart::{Form, Part};

use common::PNG_1X1;

async fn admin_client(app: &TestApp) -> (TestClient, relais::db::tenants::Tenant) {
    let (tenant, admin) = app.create_tenant("acme", "Acme");
    let client = app.client(&app.host(&tenant));
    client.login(&admin.email, PASSWORD).await;
    (client, tenant)
}

async fn post_theme(
    client: &TestClient,
    fields: &[(&str, &str)],
    logo: Option<(&str, Vec<u8>)>,
) -> common::Page {
    // The CSRF token is the first field, as in the app's forms.
    let mut form = client.multipart_form().await;
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    if let Some((name, bytes)) = logo {
        form = form.part(
            "logo",
            Part::bytes(bytes)
                .file_name(name.to_string())
                .mime_str("image/png")
                .unwrap(),
        );
    }
    client.post_multipart("/admin/theme", form).await
}

fn fields<'a>(name: &'a str, primary: &'a str, accent: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", name),
        ("primary_color", primary),
        ("accent_color", accent),
        ("default_locale", "fr"),
    ]
}

#[actix_web::test]
async fn a_valid_theme_with_a_logo_is_saved_and_shown_everywhere() {
    let app = spawn_app().await;
    let (client, tenant) = admin_client(&app).await;

    let res = post_theme(
        &client,
        &fields("Acme Club", "#AA0000", "#00bb00"),
        Some(("logo.png", PNG_1X1.to_vec())),
    )
    .await;
    assert_eq!(res.status, 303);
    let page = client.get("/admin/theme").await;
    assert_eq!(
        page.texts(".flash"),
        vec!["Thème enregistré."],
        "the default language changed to French"
    );
    assert!(page.body.contains("--primary: #aa0000; --accent: #00bb00;"));
    assert!(page.body.contains("Acme Club"));

    // The logo is served with its checked type, to anyone on the tenant's host.
    let anon = app.client(&app.host(&tenant));
    let login = anon.get("/login").await;
    let logo_src = login
        .body
        .split("class=\"brand-logo\" src=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .replace("&#x2F;", "/");
    let logo = anon
        .http
        .get(format!("{}{}", anon.base, logo_src))
        .send()
        .await
        .unwrap();
    assert_eq!(logo.headers()["content-type"], "image/png");
    assert_eq!(logo.bytes().await.unwrap().as_ref(), PNG_1X1);
}

#[actix_web::test]
async fn bad_colours_and_a_fake_logo_are_shown_next_to_their_fields_and_nothing_is_saved() {
    let app = spawn_app().await;
    let (client, tenant) = admin_client(&app).await;

    let res = post_theme(
        &client,
        &fields("", "red", "#12345g"),
        Some(("logo.png", b"this is a text file named logo.png".to_vec())),
    )
    .await;
    assert_eq!(res.status, 422);
    let errors = |field: &str| res.texts(&format!("[data-field={field}]"));
    assert_eq!(errors("name"), vec!["This field is required."]);
    assert_eq!(
        errors("primary_color"),
        vec!["Enter a colour as # followed by six hexadecimal digits, e.g. #1f6f5c."]
    );
    assert_eq!(errors("accent_color").len(), 1);
    assert_eq!(
        errors("logo"),
        vec!["The logo must be a PNG, JPEG or WebP image."]
    );
    // What was typed is kept.
    assert!(res.body.contains("value=\"red\""));

    let saved = relais::db::tenants::find(&mut app.conn(), tenant.tenant_id()).unwrap();
    assert_eq!(saved.name, "Acme");
    assert_eq!(saved.primary_color, tenant.primary_color);
    assert!(!saved.has_logo());
}

#[actix_web::test]
async fn a_primary_colour_too_light_to_read_is_refused_and_text_on_the_accent_stays_readable() {
    let app = spawn_app().await;
    let (client, tenant) = admin_client(&app).await;

    // Sky blue: white text on it is 3.7:1, under WCAG AA's 4.5:1.
    let res = post_theme(&client, &fields("Acme", "#3b82f6", "#ffd60a"), None).await;
    assert_eq!(res.status, 422);
    let message = res.texts("[data-field=primary_color]");
    assert_eq!(message.len(), 1);
    assert!(message[0].contains("4.5:1"), "{message:?}");
    assert!(
        res.body.contains("value=\"#3b82f6\""),
        "what was typed is kept"
    );
    let saved = relais::db::tenants::find(&mut app.conn(), tenant.tenant_id()).unwrap();
    assert_eq!(saved.primary_color, tenant.primary_color);

    // A dark primary is taken; on a bright yellow accent, text is ink, not white.
    let res = post_theme(&client, &fields("Acme", "#1d4ed8", "#ffd60a"), None).await;
    assert_eq!(res.status, 303);
    let page = client.get("/admin/theme").await;
    assert!(
        page.body
            .contains("--accent: #ffd60a; --on-accent: #1d2327;"),
        "ink on yellow"
    );
}

#[actix_web::test]
async fn an_oversized_logo_is_refused_with_a_message() {
    let app = spawn_app().await;
    let (client, _) = admin_client(&app).await;
    let mut big = PNG_1X1.to_vec();
    big.resize(1024 * 1024 + 10, 0);
    let res = post_theme(
        &client,
        &fields("Acme", "#aa0000", "#00bb00"),
        Some(("big.png", big)),
    )
    .await;
    assert_eq!(res.status, 422);
    assert_eq!(
        res.texts("[data-field=logo]"),
        vec!["The logo must not exceed 1 MB."]
    );
}

#[actix_web::test]
async fn the_theme_form_refuses_a_post_without_csrf_token() {
    let app = spawn_app().await;
    let (client, tenant) = admin_client(&app).await;
    let mut form = Form::new();
    for (k, v) in fields("Hijacked", "#000000", "#000000") {
        form = form.text(k, v);
    }
    let res = client
        .http
        .post(format!("{}/admin/theme", client.base))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let saved = relais::db::tenants::find(&mut app.conn(), tenant.tenant_id()).unwrap();
    assert_eq!(saved.name, "Acme");
}

#[actix_web::test]
async fn theme_changes_are_in_the_audit_log_with_before_and_after() {
    let app = spawn_app().await;
    let (client, _) = admin_client(&app).await;
    let res = post_theme(&client, &fields("Acme", "#aa0000", "#00bb00"), None).await;
    assert_eq!(res.status, 303);

    let log = client.get("/admin/audit?action=theme.updated").await;
    assert_eq!(log.status, 200);
    let changes = log
        .texts("[data-testid=audit] tbody td:nth-child(4)")
        .join(" ");
    assert!(
        changes.contains("primary_color: #1f6f5c → #aa0000"),
        "{changes}"
    );
    assert!(changes.contains("default_locale: en → fr"), "{changes}");
    assert!(
        !changes.contains("name"),
        "unchanged fields are not listed: {changes}"
    );
    assert_eq!(
        log.texts("[data-testid=audit] tbody td:nth-child(2)"),
        vec!["Admin"]
    );

    let none = client.get("/admin/audit?action=user.disabled").await;
    assert!(none.texts("[data-testid=audit]").is_empty());
}
