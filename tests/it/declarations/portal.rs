//! The participant's side: declaring, the preview, every bad input, withdrawing, and
//! what other participants and tenants cannot reach.

use chrono::Utc;
use relais::domain::Role;
use relais::services::audit::Actor;
use relais::services::declarations::{
    self as service, DeclarationError, DeclarationInput, LineInput,
};

use super::support::*;
use crate::common::{self, spawn_app, PASSWORD};

#[actix_web::test]
async fn a_participant_declares_a_two_line_sale_with_a_photo_and_follows_it() {
    let app = spawn_app().await;
    let shop = shop(&app, "acme").await;
    let c = &shop.client;

    let home = c.get("/").await;
    assert!(
        home.body.contains("href=\"/declarations/new\""),
        "linked from home"
    );
    assert!(
        home.body.contains("href=\"/declarations\""),
        "linked from the nav"
    );
    let form = c.get("/declarations/new").await;
    assert_eq!(form.status, 200);
    assert_eq!(form.texts("[data-line]").len(), 2);

    let page = post_declaration(c, &good_fields("F-2026-001"), vec![("receipt.png", png())]).await;
    assert_eq!(page.status, 303, "{}", page.body);
    let id = id_of(&page);

    let shown = c.get(&format!("/declarations/{id}")).await;
    assert_eq!(shown.status, 200);
    assert_eq!(shown.texts("[data-testid=status]"), vec!["Pending review"]);
    // 3 × 10 + 2 × 8 points; 3 × 12.90 (the product's price) + 2 × 9.50 (typed).
    assert_eq!(shown.texts("[data-testid=points]"), vec!["46"]);
    assert!(shown.body.contains("57.70"), "{}", shown.body);
    assert!(shown.body.contains("Declaration sent"), "flash");
    let thumb = c
        .http
        .get(format!("{}/declarations/{id}/proofs/1?thumb=true", c.base))
        .send()
        .await
        .unwrap();
    assert_eq!(thumb.status(), 200);
    assert_eq!(thumb.headers()["content-type"], "image/jpeg");
    let full = c
        .http
        .get(format!("{}/declarations/{id}/proofs/1", c.base))
        .send()
        .await
        .unwrap();
    assert_eq!(full.headers()["content-type"], "image/png");
    assert_eq!(full.bytes().await.unwrap().len(), png().len());

    let list = c.get("/declarations").await;
    assert_eq!(
        list.texts("[data-testid=declarations] [data-status]"),
        vec!["Pending review"]
    );
    assert!(list.body.contains("46 points"));
}

#[actix_web::test]
async fn the_points_are_shown_before_sending_and_nothing_is_stored() {
    let app = spawn_app().await;
    let shop = shop(&app, "acme").await;
    let mut fields = good_fields("F-1");
    set(&mut fields, "action", 0, "preview");
    set(&mut fields, "invoice_ref", 0, "");
    let page = post_declaration(&shop.client, &fields, vec![]).await;
    assert_eq!(page.status, 200);
    assert_eq!(
        page.texts("[data-testid=preview-points]"),
        vec!["You will earn 46 points once approved."]
    );
    assert_eq!(
        page.texts("[data-line-points]"),
        vec!["30 points", "16 points"]
    );
    assert!(
        field_error(&page, "invoice_ref").is_empty(),
        "a preview judges only the lines"
    );
    assert_eq!(count_declarations(&app), 0);

    set(&mut fields, "action", 0, "add_line");
    let page = post_declaration(&shop.client, &fields, vec![]).await;
    assert_eq!(page.texts("[data-line]").len(), 3);
}

#[actix_web::test]
async fn every_bad_input_is_refused_with_a_message_next_to_its_field() {
    let app = spawn_app().await;
    let shop = shop(&app, "acme").await;
    let (other, _) = app.create_tenant("other", "Other");
    add_product(
        &app,
        &other,
        "OTHER-1",
        "Someone else's product",
        "5",
        "100",
    );
    relais::services::products::set_active(
        &mut app.conn(),
        shop.tenant.tenant_id(),
        &Actor::system("test"),
        shop.roll_on.id,
        false,
    )
    .unwrap();
    let cases: Vec<(&str, usize, String, &str, &str)> = vec![
        (
            "line_product",
            0,
            "NOPE-1".into(),
            "line-1-product",
            "No product has this name or SKU.",
        ),
        (
            "line_product",
            0,
            "OTHER-1".into(),
            "line-1-product",
            "No product has this name or SKU.",
        ),
        (
            "line_product",
            1,
            "ROL-50".into(),
            "line-2-product",
            "This product can no longer be declared.",
        ),
        (
            "line_quantity",
            0,
            "0".into(),
            "line-1-quantity",
            "Enter at least 1 unit.",
        ),
        (
            "line_quantity",
            0,
            "-2".into(),
            "line-1-quantity",
            "Enter at least 1 unit.",
        ),
        (
            "line_quantity",
            0,
            "1.5".into(),
            "line-1-quantity",
            "Enter a whole number of units.",
        ),
        (
            "line_quantity",
            0,
            "51".into(),
            "line-1-quantity",
            "At most 50 units per line.",
        ),
        (
            "sale_date",
            0,
            days_ago(-1),
            "sale_date",
            "The date of sale cannot be in the future.",
        ),
        (
            "sale_date",
            0,
            days_ago(61),
            "sale_date",
            "Sales older than 60 days can no longer be declared.",
        ),
        (
            "invoice_ref",
            0,
            "  ".into(),
            "invoice_ref",
            "This field is required.",
        ),
    ];
    for (field, nth, value, shown_at, message) in cases {
        let mut fields = good_fields("F-1");
        set(&mut fields, "line_product", 1, "STK-50");
        set(&mut fields, field, nth, &value);
        let page = post_declaration(&shop.client, &fields, vec![]).await;
        assert_eq!(page.status, 422, "{field}={value}");
        assert_eq!(field_error(&page, shown_at), message, "{field}={value}");
    }
    let mut fields = good_fields("F-1");
    set(&mut fields, "line_product", 1, "STK-50");
    type Files<'a> = Vec<(&'a str, Vec<u8>)>;
    let files: Vec<(&str, Files, &str)> = vec![
        (
            "text renamed",
            vec![("photo.jpg", b"this is not a photo at all".to_vec())],
            "Proofs must be JPEG, PNG or WebP photos, or PDF files.",
        ),
        (
            "11 MB",
            vec![("big.png", {
                let mut b = png();
                b.resize(11 * 1024 * 1024, 0);
                b
            })],
            "Each file must not exceed 10 MB.",
        ),
        (
            "six files",
            (0..6).map(|_| ("p.png", png())).collect(),
            "At most 5 files.",
        ),
    ];
    for (what, files, message) in files {
        let page = post_declaration(&shop.client, &fields, files).await;
        assert_eq!(page.status, 422, "{what}");
        assert_eq!(field_error(&page, "proofs"), message, "{what}");
        assert!(
            page.body.contains("Choose your proof files again"),
            "{what}"
        );
    }
    assert_eq!(count_declarations(&app), 0, "nothing was stored");
}

#[actix_web::test]
async fn more_lines_than_a_declaration_may_have_are_refused_before_any_lookup_with_a_message() {
    let app = spawn_app().await;
    let shop = shop(&app, "acme").await;
    // A crafted form: more lines than Postgres takes parameters in one query (written
    // by hand: reqwest's multipart form nests a stream per part).
    let token = shop.client.csrf().await;
    let mut fields = vec![("csrf_token", token)];
    fields.extend(good_fields("L-1"));
    fields.extend((0..70_000).map(|_| ("line_product", "x".to_string())));
    let mut body = String::new();
    for (name, value) in &fields {
        body.push_str(&format!(
            "--XyZ\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    body.push_str("--XyZ--\r\n");
    let res = shop
        .client
        .http
        .post(format!("{}/declarations", shop.client.base))
        .header("content-type", "multipart/form-data; boundary=XyZ")
        .body(body)
        .send()
        .await
        .unwrap();
    // Shown again with the first 30 lines and a message, not an error page.
    assert_eq!(res.status(), 422);
    let page = common::Page {
        status: res.status(),
        location: None,
        body: res.text().await.unwrap(),
    };
    assert_eq!(
        field_error(&page, "lines"),
        "At most 30 lines per declaration."
    );
    assert_eq!(count_declarations(&app), 0);

    let line = LineInput {
        product: "STK-50".into(),
        quantity: "1".into(),
        unit_price: String::new(),
    };
    let input = DeclarationInput {
        sale_date: today(),
        channel: "online".into(),
        invoice_ref: "L-2".into(),
        lines: vec![line; 70_000],
        ..DeclarationInput::default()
    };
    let tid = shop.tenant.tenant_id();
    let preview =
        service::preview(&mut app.conn(), tid, &shop.participant, &input, Utc::now()).unwrap();
    assert_eq!(
        preview.errors.fields.get("lines"),
        Some(&"error-lines-too-many")
    );
    assert!(matches!(
        service::declare(
            &mut app.conn(),
            tid,
            &shop.participant,
            &input,
            vec![],
            Utc::now()
        ),
        Err(DeclarationError::Invalid(_))
    ));
}

#[actix_web::test]
async fn a_participant_withdraws_their_pending_declaration_but_not_someone_elses() {
    let app = spawn_app().await;
    let shop = shop(&app, "acme").await;
    let mine = id_of(&post_declaration(&shop.client, &good_fields("F-1"), vec![]).await);
    let colleague = add_participant(
        &app,
        &shop.tenant,
        shop.partner_id,
        "tom@acme.example",
        "Tom",
    );
    let tom = app.client(&app.host(&shop.tenant));
    tom.login(&colleague.email, PASSWORD).await;
    let his = id_of(&post_declaration(&tom, &good_fields("F-2"), vec![("r.png", png())]).await);

    let refused = shop
        .client
        .post_form(&format!("/declarations/{his}/withdraw"), &[])
        .await;
    assert_eq!(refused.status, 404);
    assert_eq!(
        shop.client
            .get(&format!("/declarations/{his}"))
            .await
            .status,
        404
    );
    let proof = shop
        .client
        .http
        .get(format!("{}/declarations/{his}/proofs/1", shop.client.base))
        .send()
        .await
        .unwrap();
    assert_eq!(proof.status(), 404);
    assert_eq!(
        tom.get(&format!("/declarations/{his}"))
            .await
            .texts("[data-testid=status]"),
        vec!["Pending review"]
    );

    let done = shop
        .client
        .post_form(&format!("/declarations/{mine}/withdraw"), &[])
        .await;
    assert_eq!(done.status, 303);
    let page = shop.client.get(&format!("/declarations/{mine}")).await;
    assert_eq!(page.texts("[data-testid=status]"), vec!["Withdrawn"]);
    assert!(page.texts("[data-testid=withdraw]").is_empty());
    shop.client
        .post_form(&format!("/declarations/{mine}/withdraw"), &[])
        .await;
    let page = shop.client.get(&format!("/declarations/{mine}")).await;
    assert!(page.body.contains("can no longer be withdrawn"));
}

#[actix_web::test]
async fn another_tenants_declarations_and_proofs_are_not_found() {
    let app = spawn_app().await;
    let a = shop(&app, "alpha").await;
    let b = shop(&app, "beta").await;
    let theirs =
        id_of(&post_declaration(&b.client, &good_fields("F-1"), vec![("r.png", png())]).await);

    assert_eq!(
        a.client
            .get(&format!("/declarations/{theirs}"))
            .await
            .status,
        404
    );
    let proof = a
        .client
        .http
        .get(format!("{}/declarations/{theirs}/proofs/1", a.client.base))
        .send()
        .await
        .unwrap();
    assert_eq!(proof.status(), 404);
    assert_eq!(
        a.client
            .post_form(&format!("/declarations/{theirs}/withdraw"), &[])
            .await
            .status,
        404
    );
    let admin_a = admin(&app, &a.tenant).await;
    assert_eq!(
        admin_a
            .get(&format!("/admin/declarations/{theirs}"))
            .await
            .status,
        404
    );
    let proof = admin_a
        .http
        .get(format!("{}/declarations/{theirs}/proofs/1", admin_a.base))
        .send()
        .await
        .unwrap();
    assert_eq!(proof.status(), 404);
    assert_eq!(
        admin_a
            .post_form(
                &format!("/admin/declarations/{theirs}/approve"),
                &[("seen", "submitted")]
            )
            .await
            .status,
        404
    );
    let admin_b = admin(&app, &b.tenant).await;
    let proof = admin_b
        .http
        .get(format!("{}/declarations/{theirs}/proofs/1", admin_b.base))
        .send()
        .await
        .unwrap();
    assert_eq!(proof.status(), 200, "the tenant's admin sees the proof");
}

#[actix_web::test]
async fn accounts_without_a_partner_cannot_declare_and_participants_cannot_review() {
    let app = spawn_app().await;
    let shop = shop(&app, "acme").await;
    app.create_user(&shop.tenant, Role::Marketer, "hugo@acme.example", "Hugo");
    let hugo = app.client(&app.host(&shop.tenant));
    hugo.login("hugo@acme.example", PASSWORD).await;
    let page = hugo.get("/declarations/new").await;
    assert_eq!(page.status, 403);
    assert!(page.body.contains("does not belong to any partner"));
    assert_eq!(
        post_declaration(&hugo, &good_fields("F-1"), vec![])
            .await
            .status,
        403
    );
    assert_eq!(
        hugo.get("/admin/declarations").await.status,
        403,
        "reviewing is for admins"
    );
    assert_eq!(shop.client.get("/admin/declarations").await.status, 403);
}
