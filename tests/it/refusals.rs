//! Input refused before any handler can show it on its form — a NUL byte, a form or
//! upload over its limit, a missing field — gets a page that says what was wrong and
//! what the limit is, never a 500 and never a silent "request refused". Multipart forms
//! carry their CSRF token in the body, never in the URL (where logs keep it).

use relais::domain::Role;

use super::declarations::support::*;
use crate::common::{spawn_app, PASSWORD};

fn refusal(page: &crate::common::Page) -> String {
    page.texts("[data-refusal]").join(" ")
}

#[actix_web::test]
async fn a_nul_byte_in_any_form_is_a_clear_refusal_not_a_500() {
    let app = spawn_app().await;
    let (tenant, admin) = app.create_tenant("acme", "Acme");
    let host = app.host(&tenant);

    // Before signing in: the login and forgotten-password forms.
    let anon = app.client(&host);
    let login = anon
        .post_form("/login", &[("email", "a\0@acme.example"), ("password", "x")])
        .await;
    assert_eq!(login.status, 422);
    assert!(refusal(&login).contains("“email” contains a NUL character"));
    let forgot = anon
        .post_form("/account/forgot", &[("email", "a\0@acme.example")])
        .await;
    assert_eq!(forgot.status, 422);

    // A studio form (urlencoded) and the points adjustment.
    let client = app.client(&host);
    client.login(&admin.email, PASSWORD).await;
    let partner = client
        .post_form(
            "/studio/partners",
            &[("external_code", "P1"), ("name", "Shop\0 One")],
        )
        .await;
    assert_eq!(partner.status, 422);
    assert!(refusal(&partner).contains("“name”"), "{}", partner.body);

    // A multipart form: the declaration.
    let shop = shop(&app, "shop").await;
    let mut fields = good_fields("NUL-1");
    set(&mut fields, "invoice_ref", 0, "FAC\0-1");
    let page = post_declaration(&shop.client, &fields, vec![]).await;
    assert_eq!(page.status, 422);
    assert!(refusal(&page).contains("“invoice_ref”"), "{}", page.body);
    assert_eq!(count_declarations(&app), 0);
}

#[actix_web::test]
async fn forms_over_their_limit_or_missing_a_field_say_so() {
    let app = spawn_app().await;
    let shop = shop(&app, "acme").await;
    let admin = admin(&app, &shop.tenant).await;

    // An upload above the limit: the page names the limit.
    let mut fields = good_fields("BIG-1");
    fields.push(("form_token", relais::services::once::new_token()));
    let huge = vec![0u8; 65 * 1024 * 1024];
    let page = post_declaration(&shop.client, &fields, vec![("huge.jpg", huge)]).await;
    assert_eq!(page.status, 413);
    assert!(refusal(&page).contains("at most 64 MB"), "{}", page.body);

    // A form without a field it needs.
    let id = id_of(&post_declaration(&shop.client, &good_fields("MISS-1"), vec![]).await);
    let page = admin
        .post_form(&format!("/admin/declarations/{id}/approve"), &[])
        .await;
    assert_eq!(page.status, 422);
    assert!(refusal(&page).contains("without its field “seen”"));

    // A long text field (20 kB) reaches its form and gets a message next to it.
    let long = "x".repeat(20 * 1024);
    let page = admin
        .post_form(
            &format!("/admin/points/{}/adjust", shop.participant.id),
            &[("amount", "10"), ("reason", &long), ("key", "k-20kb-reason-0001")],
        )
        .await;
    assert_eq!(page.status, 422, "{}", page.body);
    assert!(!page.texts("[data-field=reason]").is_empty());
}

#[actix_web::test]
async fn multipart_forms_take_their_csrf_token_from_the_body_only() {
    let app = spawn_app().await;
    let (tenant, admin) = app.create_tenant("acme", "Acme");
    let client = app.client(&app.host(&tenant));
    client.login(&admin.email, PASSWORD).await;
    let token = client.csrf().await;
    let page = client.get("/admin/theme").await;
    assert!(!page.body.contains("csrf_token="), "no token in any URL");

    // The token in the URL, as before: refused.
    let form = reqwest::multipart::Form::new().text("name", "Acme");
    let res = client
        .http
        .post(format!("{}/admin/theme?csrf_token={token}", client.base))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let _ = app.create_user(&tenant, Role::Participant, "p@acme.example", "P");
}
