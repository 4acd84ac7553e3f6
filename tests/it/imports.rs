//! CSV imports in the studio and on the command line: every bad row is shown with its
//! line, column and reason and nothing is written; good files create, then update.

use crate::common;

use std::process::Command;

use common::csv::{row_errors, summary, upload};
use common::{spawn_app, TestApp, TestClient, PASSWORD};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use relais::db::tenants::Tenant;
use relais::domain::Role;

async fn marketer(app: &TestApp) -> (TestClient, Tenant) {
    let (tenant, _) = app.create_tenant("acme", "Acme");
    app.create_user(&tenant, Role::Marketer, "hugo@acme.example", "Hugo");
    let client = app.client(&app.host(&tenant));
    client.login("hugo@acme.example", PASSWORD).await;
    (client, tenant)
}

/// The tenant's admin, logged in (only admins import participants and sell-out); the
/// marketer exists too.
async fn admin(app: &TestApp) -> (TestClient, Tenant) {
    let (_, tenant) = marketer(app).await;
    let client = app.client(&app.host(&tenant));
    client.login("admin@acme.example", PASSWORD).await;
    (client, tenant)
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn count(app: &TestApp, table: &str, tenant: &Tenant) -> i64 {
    diesel::sql_query(format!(
        "SELECT count(*) AS n FROM {table} WHERE tenant_id = $1"
    ))
    .bind::<BigInt, _>(tenant.id)
    .get_result::<Count>(&mut app.conn())
    .unwrap()
    .n
}

/// 40 partners, header on line 1: partner `i` is on line `i + 1`.
fn partners_csv(sep: &str) -> String {
    let mut out = [
        "external_code",
        "name",
        "kind",
        "brand_mode",
        "region",
        "country",
        "tier",
        "potential",
    ]
    .join(sep);
    out.push('\n');
    for i in 1..=40 {
        let region = if i % 2 == 0 { "Bretagne" } else { "Occitanie" };
        let row = [
            format!("PH-{i:03}"),
            format!("Pharmacie {i}"),
            "reseller".into(),
            "multi".into(),
            region.into(),
            "FR".into(),
            "Gold".into(),
            "3".into(),
        ];
        out.push_str(&row.join(sep));
        out.push('\n');
    }
    out
}

/// 40 products; `bad` replaces the row on line 37 (the 36th product).
fn products_csv(bad: Option<&str>) -> String {
    let mut out = String::from("sku,name,category,unit_price,points_per_unit\n");
    for i in 1..=40 {
        if i == 36 {
            if let Some(line) = bad {
                out.push_str(line);
                out.push('\n');
                continue;
            }
        }
        out.push_str(&format!("RSP-{i:03},Stick {i},Sticks,12.90,{i}\n"));
    }
    out
}

fn participants_csv(bad: Option<&str>) -> String {
    let mut out = String::from("email,name,partner_code,locale\n");
    for i in 1..=40 {
        if i == 36 {
            if let Some(line) = bad {
                out.push_str(line);
                out.push('\n');
                continue;
            }
        }
        let code = format!("PH-{:03}", (i % 5) + 1);
        out.push_str(&format!("seller{i}@shop.example,Seller {i},{code},fr\n"));
    }
    out
}

#[actix_web::test]
async fn an_unknown_partner_code_on_line_37_is_shown_and_nothing_is_written() {
    let app = spawn_app().await;
    let (client, tenant) = admin(&app).await;
    let res = upload(
        &client,
        "partners",
        "partners.csv",
        partners_csv(",").into_bytes(),
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);

    let bad = "late@shop.example,Late Seller,PH-999,fr";
    let res = upload(
        &client,
        "participants",
        "people.csv",
        participants_csv(Some(bad)).into_bytes(),
    )
    .await;
    assert_eq!(res.status, 422);
    assert_eq!(
        row_errors(&res),
        vec![(
            "37".into(),
            "partner_code".into(),
            "No partner has the code PH-999.".into()
        )]
    );
    assert!(res.texts("[role=alert]")[0].contains("Nothing was imported"));
    assert_eq!(
        count(&app, "users", &tenant),
        2,
        "only the admin and the marketer"
    );
    assert_eq!(count(&app, "jobs", &tenant), 0, "no invitation queued");
}

#[actix_web::test]
async fn a_missing_email_on_line_37_is_shown_and_nothing_is_written() {
    let app = spawn_app().await;
    let (client, tenant) = admin(&app).await;
    upload(
        &client,
        "partners",
        "partners.csv",
        partners_csv(",").into_bytes(),
    )
    .await;
    let res = upload(
        &client,
        "participants",
        "people.csv",
        participants_csv(Some(",No Email,PH-001,fr")).into_bytes(),
    )
    .await;
    assert_eq!(res.status, 422);
    assert_eq!(
        row_errors(&res),
        vec![(
            "37".into(),
            "email".into(),
            "This field is required.".into()
        )]
    );
    assert_eq!(count(&app, "users", &tenant), 2);
}

#[actix_web::test]
async fn a_negative_price_on_line_37_is_shown_and_nothing_is_written() {
    let app = spawn_app().await;
    let (client, tenant) = marketer(&app).await;
    let res = upload(
        &client,
        "products",
        "products.csv",
        products_csv(Some("RSP-036,Stick 36,Sticks,-4.50,10")).into_bytes(),
    )
    .await;
    assert_eq!(res.status, 422);
    assert_eq!(
        row_errors(&res),
        vec![(
            "37".into(),
            "unit_price".into(),
            "The price cannot be negative.".into()
        )]
    );
    assert_eq!(count(&app, "products", &tenant), 0);
}

#[actix_web::test]
async fn a_duplicate_sku_on_line_37_is_shown_and_nothing_is_written() {
    let app = spawn_app().await;
    let (client, tenant) = marketer(&app).await;
    let res = upload(
        &client,
        "products",
        "products.csv",
        products_csv(Some("rsp-004,Stick again,Sticks,12.90,4")).into_bytes(),
    )
    .await;
    assert_eq!(res.status, 422);
    assert_eq!(
        row_errors(&res),
        vec![(
            "37".into(),
            "sku".into(),
            "RSP-004 already appears on line 5.".into()
        )]
    );
    assert_eq!(count(&app, "products", &tenant), 0);
}

#[actix_web::test]
async fn every_bad_row_is_listed_and_a_file_without_a_required_column_is_refused() {
    let app = spawn_app().await;
    let (client, tenant) = marketer(&app).await;
    let csv = "external_code,name,kind,brand_mode,region,country,potential\n\
               PH-1,Ok,reseller,multi,Bretagne,FR,3\n\
               PH-2,,shop,multi,Bretagne,XX,3\n\
               PH 3,Bad,reseller,both,Bretagne,FR,0\n";
    let res = upload(&client, "partners", "p.csv", csv.as_bytes().to_vec()).await;
    assert_eq!(res.status, 422);
    let errors = row_errors(&res);
    let at: Vec<(&str, &str)> = errors
        .iter()
        .map(|e| (e.0.as_str(), e.1.as_str()))
        .collect();
    assert_eq!(
        at,
        vec![
            ("3", "country"),
            ("3", "kind"),
            ("3", "name"),
            ("4", "brand_mode"),
            ("4", "external_code"),
            ("4", "potential")
        ]
    );
    assert_eq!(count(&app, "partners", &tenant), 0);

    let res = upload(
        &client,
        "partners",
        "p.csv",
        b"external_code,name\nPH-1,Ok\n".to_vec(),
    )
    .await;
    assert_eq!(res.status, 422);
    let errors = row_errors(&res);
    assert_eq!(
        errors[0],
        (
            "1".into(),
            "kind".into(),
            "The column kind is missing from the first line.".into()
        )
    );
    assert_eq!(errors.len(), 5);
}

#[actix_web::test]
async fn a_semicolon_file_with_a_bom_imports_and_reimporting_updates_rather_than_duplicates() {
    let app = spawn_app().await;
    let (client, tenant) = marketer(&app).await;
    let file = format!("\u{feff}{}", partners_csv(";")).replace('\n', "\r\n");
    let res = upload(
        &client,
        "partners",
        "export-excel.csv",
        file.clone().into_bytes(),
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(summary(&res, "created"), "40");
    assert_eq!(count(&app, "partners", &tenant), 40);

    let again = upload(
        &client,
        "partners",
        "export-excel.csv",
        file.clone().into_bytes(),
    )
    .await;
    assert_eq!(
        (
            summary(&again, "created"),
            summary(&again, "updated"),
            summary(&again, "unchanged")
        ),
        ("0".into(), "0".into(), "40".into())
    );
    // Line numbers hold in a CRLF file too.
    let bad = file.replace("PH-036;Pharmacie 36;reseller", "PH-036;Pharmacie 36;shop");
    let res = upload(&client, "partners", "export-excel.csv", bad.into_bytes()).await;
    assert_eq!(
        row_errors(&res),
        vec![(
            "37".into(),
            "kind".into(),
            "Choose distributor, reseller or franchisee.".into()
        )]
    );
    let changed = file.replace("Pharmacie 7;", "Pharmacie Sept;");
    let res = upload(
        &client,
        "partners",
        "export-excel.csv",
        changed.into_bytes(),
    )
    .await;
    assert_eq!(
        (summary(&res, "updated"), summary(&res, "unchanged")),
        ("1".into(), "39".into())
    );
    assert_eq!(count(&app, "partners", &tenant), 40);

    // French decimals in a French file.
    let products =
        "sku;name;category;unit_price;points_per_unit;active\nRSP-1;Stick;Sticks;12,90;10;oui\n";
    let res = upload(
        &client,
        "products",
        "products.csv",
        products.as_bytes().to_vec(),
    )
    .await;
    assert_eq!(summary(&res, "created"), "1");
    let p = relais::db::products::by_skus(&mut app.conn(), tenant.tenant_id(), &["RSP-1"]).unwrap();
    assert_eq!(p["RSP-1"].unit_price_minor, 1290);

    let log = app.client(&app.host(&tenant));
    log.login("admin@acme.example", PASSWORD).await;
    let events = log.get("/admin/audit?action=import.partners").await;
    assert_eq!(
        events.texts("[data-testid=audit] tbody tr").len(),
        2,
        "unchanged imports change nothing"
    );
}

#[actix_web::test]
async fn imported_participants_join_their_partner_and_new_ones_are_invited_once() {
    let app = spawn_app().await;
    let (client, tenant) = admin(&app).await;
    upload(
        &client,
        "partners",
        "partners.csv",
        partners_csv(",").into_bytes(),
    )
    .await;
    let res = upload(
        &client,
        "participants",
        "people.csv",
        participants_csv(None).into_bytes(),
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(summary(&res, "invited"), "40");
    let jobs = count(&app, "jobs", &tenant);
    assert_eq!(jobs, 40, "one invitation e-mail queued per new participant");

    let user = relais::db::users::find_by_email(
        &mut app.conn(),
        tenant.tenant_id(),
        "seller3@shop.example",
    )
    .unwrap()
    .unwrap();
    assert_eq!(user.role, "participant");
    assert_eq!(user.locale.as_deref(), Some("fr"));
    let partner = relais::db::partners::find(
        &mut app.conn(),
        tenant.tenant_id(),
        user.partner_id.unwrap(),
    )
    .unwrap();
    assert_eq!(partner.external_code, "PH-004");
    let page = client
        .get(&format!("/studio/partners/{}", partner.id))
        .await;
    assert!(page
        .texts("[data-testid=participants] td")
        .contains(&"seller3@shop.example".to_string()));

    // Moving a participant to another partner updates them; nobody is invited twice.
    let moved = participants_csv(None).replace("Seller 3,PH-004", "Seller 3,PH-010");
    let res = upload(&client, "participants", "people.csv", moved.into_bytes()).await;
    assert_eq!(
        (summary(&res, "created"), summary(&res, "updated")),
        ("0".into(), "1".into())
    );
    assert_eq!(count(&app, "jobs", &tenant), jobs);

    // A marketer's e-mail cannot be imported as a participant.
    let res = upload(
        &client,
        "participants",
        "x.csv",
        b"email,name,partner_code\nHugo@acme.example,Hugo,PH-001\n".to_vec(),
    )
    .await;
    assert_eq!(
        row_errors(&res),
        vec![(
            "2".into(),
            "email".into(),
            "Hugo@acme.example belongs to a marketer or an administrator, not a participant."
                .into()
        )]
    );
}

#[actix_web::test]
async fn participants_and_sell_out_are_imported_by_admins_only() {
    let app = spawn_app().await;
    let (hugo, tenant) = marketer(&app).await;
    let form = hugo.get("/studio/imports").await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains(r#"<option value="partners""#));
    for kind in ["participants", "sell_out"] {
        assert!(
            !form.body.contains(&format!(r#"<option value="{kind}""#)),
            "{kind} offered to a marketer"
        );
    }
    let res = upload(
        &hugo,
        "partners",
        "partners.csv",
        partners_csv(",").into_bytes(),
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let people = participants_csv(None).into_bytes();
    let res = upload(&hugo, "participants", "people.csv", people.clone()).await;
    assert_eq!(res.status, 403);
    let sales = b"partner_code,participant_email,invoice_ref,line,sale_date,channel,sku,quantity\n";
    let res = upload(&hugo, "sell_out", "sales.csv", sales.to_vec()).await;
    assert_eq!(res.status, 403);
    assert_eq!(
        count(&app, "users", &tenant),
        2,
        "nobody created or invited"
    );
    assert_eq!(count(&app, "jobs", &tenant), 0);

    let admin = app.client(&app.host(&tenant));
    admin.login("admin@acme.example", PASSWORD).await;
    let form = admin.get("/studio/imports").await;
    for kind in ["partners", "participants", "sell_out"] {
        assert!(
            form.body.contains(&format!(r#"<option value="{kind}""#)),
            "{kind}"
        );
    }
    let res = upload(&admin, "participants", "people.csv", people).await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(summary(&res, "invited"), "40");
}

#[derive(QueryableByName)]
struct Slug {
    #[diesel(sql_type = Text)]
    slug: String,
}

#[test]
fn the_command_line_imports_a_file_and_refuses_a_bad_one_with_its_rows() {
    let (_db, url) = common::fresh_database();
    let mut conn = PgConnection::establish(&url).unwrap();
    let input = relais::services::tenants::NewTenantInput {
        slug: "nova",
        name: "Nova",
        domains: &[],
        default_locale: relais::domain::Locale::En,
        regional: relais::services::regional::RegionalInput::new("UTC", "EUR"),
        admin: relais::services::accounts::NewAccount {
            email: "boss@nova.example",
            display_name: "Boss",
            role: Role::Admin,
            password: Some(PASSWORD),
            locale: None,
        },
    };
    relais::services::tenants::create_tenant(&mut conn, &input).unwrap();
    let dir = std::env::temp_dir().join(format!("relais-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("products.csv");
    std::fs::write(&good, products_csv(None)).unwrap();
    let bad = dir.join("bad.csv");
    std::fs::write(&bad, products_csv(Some("RSP-036,Stick,Sticks,-1,3"))).unwrap();

    let run = |file: &std::path::Path| {
        Command::new(env!("CARGO_BIN_EXE_relais"))
            .args(["import", "products"])
            .arg(file)
            .args(["--tenant", "nova"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("RELAIS_ENV", "test")
            .env("DATABASE_URL", &url)
            .output()
            .unwrap()
    };
    let out = run(&bad);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("line 37 unit_price: The price cannot be negative."),
        "{stderr}"
    );
    assert!(
        stderr.contains("relais: import refused: 1 problem(s)"),
        "{stderr}"
    );

    let out = run(&good);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("40 row(s), 40 created, 0 updated, 0 unchanged"),
        "{stdout}"
    );
    let again = run(&good);
    assert!(String::from_utf8_lossy(&again.stdout).contains("0 created, 0 updated, 40 unchanged"));

    let tenant: Slug = diesel::sql_query(
        "SELECT t.slug FROM tenants t WHERE (SELECT count(*) FROM products p WHERE p.tenant_id = t.id) = 40",
    )
    .get_result(&mut conn)
    .unwrap();
    assert_eq!(tenant.slug, "nova");
    std::fs::remove_dir_all(&dir).unwrap();
}
