//! The profile: every field checked (422 next to the field, odd bytes included), CSRF,
//! the password change ending other sessions, "download my data" holding the user's rows
//! and no one else's, and anonymisation (admins of the tenant only, the ledger still
//! verified, the person gone, harmless twice).

use chrono::Utc;
use diesel::prelude::*;
use relais::db::schema::{audit_events, jobs, reward_orders, users};
use relais::db::tenants::Tenant;
use relais::db::users::User;
use relais::domain::ledger::{Cause, CauseType, Points};
use relais::domain::{Locale, Role};
use relais::services::audit::{self, Actor, Change};
use relais::services::email::{self, EmailMessage};
use relais::services::ledger::{self, Meta};
use relais::services::rewards::catalog::{self, RewardInput};

use crate::common::{spawn_app, TestApp, TestClient, PASSWORD};

struct Person {
    tenant: Tenant,
    admin: User,
    lea: User,
    client: TestClient,
}

async fn person(app: &TestApp, slug: &str) -> Person {
    let (tenant, admin) = app.create_tenant(slug, &format!("{slug} club"));
    let partner = app.create_partner(&tenant, "PH-75-0001");
    let lea = app.create_user(
        &tenant,
        Role::Participant,
        &format!("lea@{slug}.example"),
        "Léa Martin",
    );
    let lea = app.join_partner(tenant.tenant_id(), lea.id, partner.id);
    let client = app.client(&app.host(&tenant));
    assert_eq!(client.login(&lea.email, PASSWORD).await.status, 303);
    Person {
        tenant,
        admin,
        lea,
        client,
    }
}

fn earn(app: &TestApp, tenant: &Tenant, user: &User, amount: i64) {
    let key = format!("test-earn-{}-{amount}", user.id);
    let meta = Meta::new(&key, Utc::now()).cause(Cause {
        kind: CauseType::Declaration,
        id: Some(1),
    });
    ledger::earn(
        &mut app.conn(),
        tenant.tenant_id(),
        user.id,
        Points(amount),
        &meta,
    )
    .unwrap();
}

const ADDRESS: &[(&str, &str)] = &[
    ("address_name", "Léa Martin"),
    ("address_line1", "12 rue de la Paix"),
    ("address_line2", ""),
    ("address_postcode", "75002"),
    ("address_city", "Paris"),
    ("address_country", "France"),
    ("address_phone", "+33 1 23 45 67 89"),
];

fn details<'a>(name: &'a str, phone: &'a str, locale: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![("display_name", name), ("phone", phone), ("locale", locale)]
}

/// A refused form: 422, the error next to `field`.
fn refused_at(page: &crate::common::Page, field: &str) {
    assert_eq!(page.status, 422, "{}", page.body);
    assert!(
        page.body.contains(&format!("data-field=\"{field}\"")),
        "an error next to {field}: {}",
        page.body
    );
}

#[actix_web::test]
async fn details_are_checked_field_by_field_and_saved() {
    let app = spawn_app().await;
    let p = person(&app, "acme").await;
    let page = p.client.get("/profile").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("href=\"/account/notifications\""));
    assert!(
        page.body.contains("href=\"/profile\""),
        "linked from the menu"
    );

    let long = "x".repeat(101);
    for (fields, field) in [
        (details("", "", "en"), "display_name"),
        (details("  ", "", "en"), "display_name"),
        (details(&long, "", "en"), "display_name"),
        (details("Léa\u{7}", "", "en"), "display_name"),
        (details("Léa", "06 12 ab", "en"), "phone"),
        (details("Léa", "12345", "en"), "phone"),
        (
            details("Léa", "+1 234 567 890 123 456 789 01", "en"),
            "phone",
        ),
        (details("Léa", "06\n12345678", "en"), "phone"),
        (details("Léa", "", "xx"), "locale"),
    ] {
        let page = p.client.post_form("/profile/details", &fields).await;
        refused_at(&page, field);
    }
    // A NUL byte is refused before the handler, naming the field.
    let page = p
        .client
        .post_form("/profile/details", &details("Lé\0a", "", "en"))
        .await;
    assert_eq!(page.status, 422, "{}", page.body);
    // A form too large for any field.
    let huge = "y".repeat(300_000);
    let page = p
        .client
        .post_form("/profile/details", &details(&huge, "", "en"))
        .await;
    assert!(page.status == 413 || page.status == 422, "{}", page.status);

    let page = p
        .client
        .post_form(
            "/profile/details",
            &details(" Léa Dupont ", "+33 (0)6 12-34-56-78", "fr"),
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let (name, phone, locale): (String, Option<String>, Option<String>) = users::table
        .find((p.tenant.tenant_id(), p.lea.id))
        .select((users::display_name, users::phone, users::locale))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(name, "Léa Dupont");
    assert_eq!(phone.as_deref(), Some("+33 (0)6 12-34-56-78"));
    assert_eq!(locale.as_deref(), Some("fr"));
    let page = p.client.get("/profile").await;
    assert!(page.body.contains("Mon profil"), "now in French");
    assert_eq!(page.input_value("phone").unwrap(), "+33 (0)6 12-34-56-78");
}

#[actix_web::test]
async fn the_address_is_checked_like_an_order_and_remembered() {
    let app = spawn_app().await;
    let p = person(&app, "acme").await;
    let mut bad = ADDRESS.to_vec();
    bad[0] = ("address_name", "");
    refused_at(
        &p.client.post_form("/profile/address", &bad).await,
        "address_name",
    );
    let mut bad = ADDRESS.to_vec();
    bad[6] = ("address_phone", "call me");
    refused_at(
        &p.client.post_form("/profile/address", &bad).await,
        "address_phone",
    );
    let mut bad = ADDRESS.to_vec();
    let long = "z".repeat(201);
    bad[1] = ("address_line1", &long);
    refused_at(
        &p.client.post_form("/profile/address", &bad).await,
        "address_line1",
    );

    let page = p.client.post_form("/profile/address", ADDRESS).await;
    assert_eq!(page.status, 303, "{}", page.body);
    let page = p.client.get("/profile").await;
    assert_eq!(
        page.input_value("address_line1").unwrap(),
        "12 rue de la Paix"
    );
}

#[actix_web::test]
async fn forms_without_their_csrf_token_are_refused() {
    let app = spawn_app().await;
    let p = person(&app, "acme").await;
    for (path, fields) in [
        ("/profile/details", details("Mallory", "", "en")),
        ("/profile/address", ADDRESS.to_vec()),
        (
            "/profile/password",
            vec![
                ("current_password", PASSWORD),
                ("password", "a-new-long-password"),
                ("confirmation", "a-new-long-password"),
            ],
        ),
    ] {
        let page = p.client.post_form_raw(path, &fields).await;
        assert_eq!(page.status, 403, "{path}");
    }
    let name: String = users::table
        .find((p.tenant.tenant_id(), p.lea.id))
        .select(users::display_name)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(name, "Léa Martin");
}

#[actix_web::test]
async fn a_password_change_needs_the_current_one_and_ends_other_sessions() {
    let app = spawn_app().await;
    let p = person(&app, "acme").await;
    let other = app.client(&app.host(&p.tenant));
    assert_eq!(other.login(&p.lea.email, PASSWORD).await.status, 303);
    let new = "a-brand-new-password";
    let form = |current: &'static str, password: &'static str, confirmation: &'static str| {
        vec![
            ("current_password", current),
            ("password", password),
            ("confirmation", confirmation),
        ]
    };
    let page = p
        .client
        .post_form("/profile/password", &form("wrong-password", new, new))
        .await;
    refused_at(&page, "current_password");
    let page = p
        .client
        .post_form("/profile/password", &form(PASSWORD, "short", "short"))
        .await;
    refused_at(&page, "password");
    let page = p
        .client
        .post_form(
            "/profile/password",
            &form(PASSWORD, new, "another-password"),
        )
        .await;
    refused_at(&page, "confirmation");
    let page = p
        .client
        .post_form("/profile/password", &form("", new, new))
        .await;
    refused_at(&page, "current_password");

    let page = p
        .client
        .post_form("/profile/password", &form(PASSWORD, new, new))
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    // This session goes on; the other one is over.
    assert_eq!(p.client.get("/profile").await.status, 200);
    let page = other.get("/profile").await;
    assert_eq!(page.status, 303);
    assert!(page.location.unwrap().starts_with("/login"));
    let fresh = app.client(&app.host(&p.tenant));
    assert_eq!(fresh.login(&p.lea.email, PASSWORD).await.status, 422);
    assert_eq!(fresh.login(&p.lea.email, new).await.status, 303);
    let audited: i64 = audit_events::table
        .filter(audit_events::tenant_id.eq(p.tenant.tenant_id()))
        .filter(audit_events::action.eq("user.password_changed"))
        .filter(audit_events::subject_id.eq(i64::from(p.lea.id)))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(audited, 1);
}

fn queue_email(app: &TestApp, tenant: &Tenant, to: &User) {
    let message = EmailMessage {
        to: to.email.clone(),
        to_name: to.display_name.clone(),
        locale: Locale::En,
        template: "points_expiring".into(),
        link_path: Some("/points".into()),
        args: serde_json::json!({ "points": 10 }),
    };
    email::queue(&mut app.conn(), tenant.tenant_id(), &message).unwrap();
}

/// A physical reward of 100 points ordered by Léa (points held, her address on it).
async fn order(app: &TestApp, p: &Person) {
    let input = RewardInput {
        code: "MUG".into(),
        name: "Mug".into(),
        description: "A mug.".into(),
        category: "Home".into(),
        kind: "physical".into(),
        points: "100".into(),
        ..RewardInput::default()
    };
    let actor = Actor::system("test");
    let reward = catalog::create(&mut app.conn(), p.tenant.tenant_id(), &actor, &input).unwrap();
    let page = p.client.get(&format!("/rewards/{}", reward.id)).await;
    let token = page.input_value("form_token").expect("a form token");
    let mut fields = vec![("quantity", "1"), ("form_token", token.as_str())];
    fields.extend_from_slice(ADDRESS);
    let page = p
        .client
        .post_form(&format!("/rewards/{}/redeem", reward.id), &fields)
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
}

#[actix_web::test]
async fn my_data_holds_my_rows_and_no_one_elses() {
    let app = spawn_app().await;
    let p = person(&app, "acme").await;
    let bob = app.create_user(&p.tenant, Role::Participant, "bob@acme.example", "Bob");
    let q = person(&app, "globex").await;
    for (tenant, user) in [(&p.tenant, &p.lea), (&p.tenant, &bob), (&q.tenant, &q.lea)] {
        earn(&app, tenant, user, 500);
        queue_email(&app, tenant, user);
    }
    p.client.post_form("/profile/address", ADDRESS).await;
    order(&app, &p).await;

    let res = p
        .client
        .http
        .get(format!("{}/profile/data.json", p.client.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let disposition = res.headers()["content-disposition"].to_str().unwrap();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    let text = res.text().await.unwrap();
    assert!(!text.contains("bob@acme.example"));
    assert!(!text.contains("lea@globex.example"));
    assert!(!text.contains("$argon2"), "no password hash");
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["account"]["email"], "lea@acme.example");
    assert_eq!(doc["partner"]["external_code"], "PH-75-0001");
    assert_eq!(doc["delivery_address"]["address"]["city"], "Paris");
    let statement = doc["points_statement"].as_array().unwrap();
    assert!(statement.len() >= 2, "earned, then held: {statement:?}");
    assert!(statement
        .iter()
        .all(|t| t["user_id"] == serde_json::json!(i64::from(p.lea.id))));
    let orders = doc["reward_orders"].as_array().unwrap();
    assert_eq!(orders.len(), 1);
    assert_eq!(orders[0]["lines"].as_array().unwrap().len(), 1);
    assert_eq!(doc["emails"].as_array().unwrap().len(), 1);
    assert!(doc["emails"][0]["message"].get("link_path").is_none());
    for section in [
        "declarations",
        "mission_submissions",
        "challenge_scores",
        "wishlist",
        "audit_entries",
        "login_attempts",
        "sessions",
    ] {
        assert!(doc[section].is_array(), "{section}");
    }
    assert!(!doc["login_attempts"].as_array().unwrap().is_empty());
    // Not signed in: the login page.
    let anonymous = app.client(&app.host(&p.tenant));
    assert_eq!(anonymous.get("/profile/data.json").await.status, 303);
}

fn ledger_verifies(app: &TestApp) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_relais"))
        .args(["ledger", "verify"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("RELAIS_ENV", "test")
        .env("DATABASE_URL", &app.database_url)
        .output()
        .expect("run relais");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains("every invariant holds"), "{stdout}");
}

#[actix_web::test]
async fn only_the_tenants_admins_anonymise_and_the_ledger_still_verifies() {
    let app = spawn_app().await;
    let p = person(&app, "acme").await;
    let tid = p.tenant.tenant_id();
    let path = format!("/admin/users/{}/anonymise", p.lea.id);
    let fields = [
        ("reason", "Asked by e-mail on 2026-11-30"),
        ("confirm", "yes"),
    ];
    earn(&app, &p.tenant, &p.lea, 500);
    p.client
        .post_form(
            "/profile/details",
            &details("Léa Martin", "0612345678", "en"),
        )
        .await;
    p.client.post_form("/profile/address", ADDRESS).await;
    order(&app, &p).await;
    queue_email(&app, &p.tenant, &p.lea);
    audit::record(
        &mut app.conn(),
        tid,
        &Actor::user(&p.admin),
        Change::new("user.invited", "user", Some(p.lea.id.into()))
            .after(&serde_json::json!({ "email": p.lea.email, "display_name": "Léa Martin" })),
    )
    .unwrap();

    // A marketer: forbidden; another tenant's admin: not found.
    let marketer = app.create_user(&p.tenant, Role::Marketer, "mark@acme.example", "Mark");
    let mc = app.client(&app.host(&p.tenant));
    mc.login(&marketer.email, PASSWORD).await;
    assert_eq!(mc.post_form(&path, &fields).await.status, 403);
    let (other, other_admin) = app.create_tenant("globex", "Globex");
    let oc = app.client(&app.host(&other));
    oc.login(&other_admin.email, PASSWORD).await;
    assert_eq!(oc.post_form(&path, &fields).await.status, 404);

    let admin = app.client(&app.host(&p.tenant));
    admin.login(&p.admin.email, PASSWORD).await;
    let page = admin.get(&format!("/admin/users/{}", p.lea.id)).await;
    assert!(page.body.contains(&format!("action=\"{path}\"")));
    refused_at(
        &admin.post_form(&path, &[("reason", "Asked")]).await,
        "confirm",
    );
    refused_at(
        &admin.post_form(&path, &[("confirm", "yes")]).await,
        "reason",
    );
    let long = "r".repeat(501);
    refused_at(
        &admin
            .post_form(&path, &[("reason", &long), ("confirm", "yes")])
            .await,
        "reason",
    );
    // Staff are not anonymised (participants only).
    let staff_path = format!("/admin/users/{}/anonymise", marketer.id);
    refused_at(&admin.post_form(&staff_path, &fields).await, "confirm");

    let page = admin.post_form(&path, &fields).await;
    assert_eq!(page.status, 303, "{}", page.body);

    let conn = &mut app.conn();
    let (email, name, phone, hash, disabled): (
        String,
        String,
        Option<String>,
        Option<String>,
        bool,
    ) = users::table
        .find((tid, p.lea.id))
        .select((
            users::email,
            users::display_name,
            users::phone,
            users::password_hash,
            users::disabled,
        ))
        .first(conn)
        .unwrap();
    assert_eq!(email, format!("anonymised-{}@anonymised.invalid", p.lea.id));
    assert_eq!(name, format!("Anonymised participant #{}", p.lea.id));
    assert_eq!((phone, hash, disabled), (None, None, true));
    let addresses: Vec<Option<serde_json::Value>> = reward_orders::table
        .filter(reward_orders::tenant_id.eq(tid))
        .select(reward_orders::delivery_address)
        .load(conn)
        .unwrap();
    assert_eq!(addresses, vec![None]);
    let queued: i64 = jobs::table
        .filter(jobs::tenant_id.eq(tid))
        .filter(jobs::status.eq("queued"))
        .filter(jobs::kind.eq("email"))
        .count()
        .get_result(conn)
        .unwrap();
    assert_eq!(queued, 0, "e-mails to her are cancelled");
    let trails: Vec<(String, Option<serde_json::Value>, Option<serde_json::Value>)> =
        audit_events::table
            .filter(audit_events::tenant_id.eq(tid))
            .select((
                audit_events::actor_label,
                audit_events::before,
                audit_events::after,
            ))
            .load(conn)
            .unwrap();
    for (label, before, after) in &trails {
        let text = format!("{label} {before:?} {after:?}");
        assert!(!text.contains("lea@acme.example"), "{text}");
        assert!(!text.contains("Léa Martin"), "{text}");
    }
    ledger_verifies(&app);

    // She is signed out and cannot sign in again.
    let page = p.client.get("/profile").await;
    assert_eq!(page.status, 303);
    let fresh = app.client(&app.host(&p.tenant));
    assert_ne!(fresh.login(&p.lea.email, PASSWORD).await.status, 303);
    assert_ne!(fresh.login(&email, PASSWORD).await.status, 303);

    // Twice: harmless, one audit entry.
    assert_eq!(admin.post_form(&path, &fields).await.status, 303);
    let page = admin.get(&format!("/admin/users/{}", p.lea.id)).await;
    assert!(page.body.contains("data-testid=\"anonymised\""));
    let entries: i64 = audit_events::table
        .filter(audit_events::tenant_id.eq(tid))
        .filter(audit_events::action.eq("user.anonymised"))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(entries, 1);
    ledger_verifies(&app);
}
