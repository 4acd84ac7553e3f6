//! A shop to declare in: a tenant, a partner, products, a participant of the partner
//! logged in, an admin; and short-hands for the declaration form.

#![allow(dead_code)]

use std::io::Cursor;

use chrono::{Duration, Utc};
use diesel::prelude::*;
use relais::db::products::Product;
use relais::db::tenants::Tenant;
use relais::db::users::User;
use relais::domain::declarations::Rules;
use relais::domain::{DeclarationId, PartnerId, Role};
use relais::services::audit::Actor;
use relais::services::partners::{self, PartnerInput};
use relais::services::products::{self, ProductInput};
use reqwest::multipart::Part;

use crate::common::{self, TestApp, TestClient, PASSWORD};

pub struct Shop {
    pub tenant: Tenant,
    pub partner_id: PartnerId,
    pub stick: Product,
    pub roll_on: Product,
    pub participant: User,
    pub client: TestClient,
}

pub fn add_partner(app: &TestApp, tenant: &Tenant, code: &str, region: &str) -> PartnerId {
    let input = PartnerInput {
        external_code: code.into(),
        name: format!("Pharmacie {code}"),
        kind: "reseller".into(),
        brand_mode: "multi".into(),
        region: region.into(),
        country: "FR".into(),
        tier: "Gold".into(),
        potential: "3".into(),
    };
    partners::create(
        &mut app.conn(),
        tenant.tenant_id(),
        &Actor::system("test"),
        &input,
    )
    .unwrap()
    .id
}

pub fn add_product(
    app: &TestApp,
    tenant: &Tenant,
    sku: &str,
    name: &str,
    price: &str,
    points: &str,
) -> Product {
    let input = ProductInput {
        sku: sku.into(),
        name: name.into(),
        category: "Sticks".into(),
        unit_price: price.into(),
        points_per_unit: points.into(),
    };
    products::create(
        &mut app.conn(),
        tenant.tenant_id(),
        &Actor::system("test"),
        &input,
    )
    .unwrap()
}

/// A participant of `partner`, with the test password.
pub fn add_participant(
    app: &TestApp,
    tenant: &Tenant,
    partner: PartnerId,
    email: &str,
    name: &str,
) -> User {
    let user = app.create_user(tenant, Role::Participant, email, name);
    app.join_partner(tenant.tenant_id(), user.user_id(), partner)
}

pub async fn shop(app: &TestApp, slug: &str) -> Shop {
    let (tenant, _) = app.create_tenant(slug, &format!("{slug} brand"));
    let partner_id = add_partner(app, &tenant, "PH-75-0012", "Île-de-France");
    let stick = add_product(
        app,
        &tenant,
        "STK-50",
        "Stick Fraîcheur 50 g",
        "12.90",
        "10",
    );
    let roll_on = add_product(app, &tenant, "ROL-50", "Roll-on Coton 50 ml", "9.90", "8");
    let email = format!("lea@{slug}.example");
    let participant = add_participant(app, &tenant, partner_id, &email, "Léa");
    let client = app.client(&app.host(&tenant));
    assert_eq!(client.login(&email, PASSWORD).await.status, 303);
    Shop {
        tenant,
        partner_id,
        stick,
        roll_on,
        participant,
        client,
    }
}

/// A logged-in admin of the tenant.
pub async fn admin(app: &TestApp, tenant: &Tenant) -> TestClient {
    let client = app.client(&app.host(tenant));
    let email = format!("admin@{}.example", tenant.slug);
    assert_eq!(client.login(&email, PASSWORD).await.status, 303);
    client
}

pub fn set_rules(app: &TestApp, tenant: &Tenant, rules: Rules) {
    relais::db::declarations::rules::save(&mut app.conn(), tenant.tenant_id(), &rules, Utc::now())
        .unwrap();
}

pub fn today() -> String {
    Utc::now().date_naive().to_string()
}

pub fn days_ago(n: i64) -> String {
    (Utc::now().date_naive() - Duration::days(n)).to_string()
}

pub fn png() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(640, 480, image::Rgb([40, 120, 200]));
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// The fields of a good two-line declaration; tests change what they need.
pub fn good_fields(invoice: &str) -> Vec<(&'static str, String)> {
    vec![
        ("sale_date", today()),
        ("channel", "in_store".into()),
        ("invoice_ref", invoice.into()),
        ("line_product", "STK-50".into()),
        ("line_quantity", "3".into()),
        ("line_unit_price", "".into()),
        ("line_product", "Roll-on Coton 50 ml".into()),
        ("line_quantity", "2".into()),
        ("line_unit_price", "9,50".into()),
        ("action", "submit".into()),
    ]
}

/// Replaces the first value of `field` (or the `nth` one, counting from 0).
pub fn set(fields: &mut [(&'static str, String)], field: &str, nth: usize, value: &str) {
    let slot = fields
        .iter_mut()
        .filter(|(k, _)| *k == field)
        .nth(nth)
        .expect("field");
    slot.1 = value.to_string();
}

/// Posts the declaration form as a browser does (multipart, token in the URL).
pub async fn post_declaration(
    client: &TestClient,
    fields: &[(&'static str, String)],
    files: Vec<(&str, Vec<u8>)>,
) -> common::Page {
    // The CSRF token is the first field, as in the app's forms.
    let mut form = client.multipart_form().await;
    for (k, v) in fields {
        form = form.text(*k, v.clone());
    }
    for (name, bytes) in files {
        form = form.part(
            "proofs",
            Part::bytes(bytes)
                .file_name(name.to_string())
                .mime_str("application/octet-stream")
                .unwrap(),
        );
    }
    client.post_multipart("/declarations", form).await
}

/// The id in `/declarations/{id}`.
pub fn id_of(page: &common::Page) -> DeclarationId {
    let location = page
        .location
        .as_deref()
        .unwrap_or_else(|| panic!("no redirect: {}", page.status));
    location.rsplit('/').next().unwrap().parse().unwrap()
}

pub fn count_declarations(app: &TestApp) -> i64 {
    use relais::db::schema::declarations;
    declarations::table
        .count()
        .get_result(&mut app.conn())
        .unwrap()
}

pub fn balance(app: &TestApp, tenant: &Tenant, user: &User) -> i64 {
    relais::services::ledger::balance(
        &mut app.conn(),
        tenant.tenant_id(),
        user.user_id(),
        Utc::now(),
    )
    .unwrap()
    .available
    .0
}

/// The message next to a field (`data-field`).
pub fn field_error(page: &common::Page, field: &str) -> String {
    page.texts(&format!("[data-field=\"{field}\"]")).join(" ")
}
