//! CSV headers in English, French or Indonesian; files whose headers are not recognised
//! get a form to map their columns, remembered per tenant and kind; catalog exports
//! import back unchanged; a NUL byte is a line error.

use crate::common;

use common::csv::{row_errors, summary, upload};
use common::{spawn_app, Page, TestApp, TestClient, PASSWORD};
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use relais::db::tenants::Tenant;
use relais::domain::Role;

async fn marketer(app: &TestApp, slug: &str) -> (TestClient, Tenant) {
    let (tenant, _) = app.create_tenant(slug, slug);
    let email = format!("hugo@{slug}.example");
    app.create_user(&tenant, Role::Marketer, &email, "Hugo");
    let client = app.client(&app.host(&tenant));
    client.login(&email, PASSWORD).await;
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

/// A French Excel export: BOM, semicolons, CRLF, French headers with accents.
fn french_partners(rows: usize) -> String {
    let mut out = String::from(
        "\u{feff}code_externe;Nom;Type;Mode de marque;Région;Pays;Potentiel;Niveau\r\n",
    );
    for i in 1..=rows {
        out.push_str(&format!(
            "PH-{i:03};Pharmacie {i};reseller;multi;Bretagne;FR;3;Gold\r\n"
        ));
    }
    out
}

#[actix_web::test]
async fn a_french_semicolon_file_with_a_bom_imports_and_its_errors_name_its_columns() {
    let app = spawn_app().await;
    let (client, tenant) = marketer(&app, "acme").await;
    let res = upload(
        &client,
        "partners",
        "fr.csv",
        french_partners(12).into_bytes(),
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(summary(&res, "created"), "12");
    assert_eq!(count(&app, "partners", &tenant), 12);

    let bad = french_partners(12).replace(
        "PH-005;Pharmacie 5;reseller;multi;Bretagne;FR",
        "PH-005;Pharmacie 5;reseller;multi;Bretagne;XX",
    );
    let res = upload(&client, "partners", "fr.csv", bad.into_bytes()).await;
    assert_eq!(res.status, 422);
    let errors = row_errors(&res);
    assert_eq!((errors[0].0.as_str(), errors[0].1.as_str()), ("6", "Pays"));
}

#[actix_web::test]
async fn an_indonesian_file_imports() {
    let app = spawn_app().await;
    let (client, tenant) = marketer(&app, "acme").await;
    let file = "kode_produk,nama_produk,kategori,harga_satuan,poin_per_unit,aktif\n\
                RSP-1,Stick,Sticks,12500,10,ya\n\
                RSP-2,Roll-on,Roll-ons,9900,8,tidak\n";
    let res = upload(&client, "products", "id.csv", file.as_bytes().to_vec()).await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(summary(&res, "created"), "2");
    assert_eq!(count(&app, "products", &tenant), 2);
}

/// A file from a German ERP: nothing recognises its headers.
fn german_products(skus: &[&str]) -> Vec<u8> {
    let mut out = String::from("Artikelnummer;Bezeichnung;Warengruppe;Preis;Punkte\n");
    for sku in skus {
        out.push_str(&format!("{sku};Stick {sku};Sticks;12,90;10\n"));
    }
    out.into_bytes()
}

/// The mapping form's action and the select boxes it offers.
fn mapping_form(page: &Page) -> (String, Vec<String>) {
    let doc = scraper::Html::parse_document(&page.body);
    let form = scraper::Selector::parse("[data-testid=column-mapping]").unwrap();
    let select = scraper::Selector::parse("[data-testid=column-mapping] select").unwrap();
    let action = doc
        .select(&form)
        .next()
        .and_then(|f| f.value().attr("action"))
        .expect("a mapping form")
        .to_string();
    let names = doc
        .select(&select)
        .filter_map(|s| s.value().attr("name").map(str::to_string))
        .collect();
    (action, names)
}

const GERMAN_MAPPING: &[(&str, &str)] = &[
    ("sku", "0"),
    ("name", "1"),
    ("category", "2"),
    ("unit_price", "3"),
    ("points_per_unit", "4"),
];

#[actix_web::test]
async fn unknown_headers_are_mapped_once_for_the_tenant_and_kind() {
    let app = spawn_app().await;
    let (client, tenant) = marketer(&app, "acme").await;
    let res = upload(
        &client,
        "products",
        "de.csv",
        german_products(&["A-1", "A-2"]),
    )
    .await;
    assert_eq!(res.status, 422);
    let (action, selects) = mapping_form(&res);
    assert_eq!(
        selects,
        vec![
            "sku",
            "name",
            "category",
            "unit_price",
            "points_per_unit",
            "active"
        ]
    );
    assert_eq!(count(&app, "products", &tenant), 0);

    // Without the form's token, nothing happens.
    let forged = client.post_form_raw(&action, GERMAN_MAPPING).await;
    assert_eq!(forged.status, 403);
    // One column of the file for two columns: the form again.
    let twice = client
        .post_form(&action, &[("sku", "0"), ("name", "0")])
        .await;
    assert_eq!(twice.status, 422);
    assert_eq!(mapping_form(&twice).0, action);
    assert_eq!(count(&app, "products", &tenant), 0);

    let res = client.post_form(&action, GERMAN_MAPPING).await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(summary(&res, "created"), "2");
    assert_eq!(count(&app, "products", &tenant), 2);
    // The kept file is gone: mapping it again finds nothing.
    assert_eq!(client.post_form(&action, GERMAN_MAPPING).await.status, 404);

    // The next file of the kind is read the same way, without asking.
    let next = upload(
        &client,
        "products",
        "de2.csv",
        german_products(&["A-2", "A-3"]),
    )
    .await;
    assert_eq!(next.status, 200, "{}", next.body);
    assert_eq!(
        (summary(&next, "created"), summary(&next, "unchanged")),
        ("1".into(), "1".into())
    );
    // Rows are still checked whole: a bad row refuses the file.
    let bad = String::from_utf8(german_products(&["A-4"]))
        .unwrap()
        .replace("12,90", "-1");
    let res = upload(&client, "products", "de3.csv", bad.into_bytes()).await;
    assert_eq!(res.status, 422);
    assert_eq!(row_errors(&res)[0].1, "Preis");
    assert_eq!(count(&app, "products", &tenant), 3);

    // Another tenant has its own mapping (none yet), and cannot use this one's file.
    let (other, other_tenant) = marketer(&app, "globex").await;
    let res = upload(&other, "products", "de.csv", german_products(&["B-1"])).await;
    assert_eq!(res.status, 422);
    assert_eq!(mapping_form(&res).1.len(), 6);
    assert_eq!(count(&app, "products", &other_tenant), 0);
    let (theirs, _) = mapping_form(&res);
    assert_eq!(client.post_form(&theirs, GERMAN_MAPPING).await.status, 404);

    let admin = app.client(&app.host(&tenant));
    admin.login("admin@acme.example", PASSWORD).await;
    let log = admin.get("/admin/audit?action=import.columns_mapped").await;
    assert_eq!(log.texts("[data-testid=audit] tbody tr").len(), 1);
}

#[actix_web::test]
async fn a_nul_byte_in_a_cell_is_a_line_error() {
    let app = spawn_app().await;
    let (client, tenant) = marketer(&app, "acme").await;
    let file = b"sku,name,category,unit_price,points_per_unit\nRSP-1,Stick,Sticks,1,1\nRSP-2,Sti\0ck,Sticks,1,1\n";
    let res = upload(&client, "products", "nul.csv", file.to_vec()).await;
    assert_eq!(res.status, 422, "{}", res.body);
    let errors = row_errors(&res);
    assert_eq!((errors[0].0.as_str(), errors[0].1.as_str()), ("3", "name"));
    assert_eq!(count(&app, "products", &tenant), 0);
}

#[actix_web::test]
async fn a_catalog_export_is_sorted_like_its_list_and_imports_back_unchanged() {
    let app = spawn_app().await;
    let (client, tenant) = marketer(&app, "acme").await;
    upload(
        &client,
        "partners",
        "fr.csv",
        french_partners(30).into_bytes(),
    )
    .await;

    let page = client
        .get("/studio/partners?sort=-code&region=Bretagne")
        .await;
    let codes = page.texts("[data-testid=partners] tbody td:nth-child(1)");
    assert_eq!(codes.len(), 25);
    assert_eq!(codes[0], "PH-030");
    let res = client
        .http
        .get(format!("{}/studio/partners.csv?sort=-code", client.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let csv = res.text().await.unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("external_code,name,kind,brand_mode,region,country,tier,potential,active")
    );
    assert!(lines
        .next()
        .unwrap()
        .starts_with("PH-030,Pharmacie 30,reseller"));
    assert_eq!(csv.lines().count(), 31);

    let again = upload(&client, "partners", "partners.csv", csv.into_bytes()).await;
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(summary(&again, "unchanged"), "30");
    assert_eq!(count(&app, "partners", &tenant), 30);
}

#[actix_web::test]
async fn every_kind_of_file_reads_french_or_indonesian_headers() {
    let app = spawn_app().await;
    let (_, tenant) = marketer(&app, "acme").await;
    let admin = app.client(&app.host(&tenant));
    admin.login("admin@acme.example", PASSWORD).await;
    let yesterday = (chrono::Utc::now() - chrono::Duration::days(1)).date_naive();
    let files = [
        ("partners", french_partners(2)),
        (
            "products",
            "kode_produk;nama;kategori;harga satuan;poin\nRSP-1;Stick;Sticks;12,90;10\n".into(),
        ),
        (
            "participants",
            "Courriel;Nom complet;Code partenaire;Langue\nlea@shop.example;Léa;PH-001;fr\n".into(),
        ),
        (
            "sell_in",
            format!("Code client;Code article;Date facture;Quantité;Montant\nPH-001;RSP-1;{yesterday};12;154,80\n"),
        ),
        (
            "opening_stock",
            "kode mitra;kode barang;stok awal\nPH-001;RSP-1;3\n".into(),
        ),
        (
            "sell_out",
            format!(
                "N° facture;Ligne;Date de vente;Canal;Référence;Qté;Code partenaire;Email participant\n\
                 F-1;1;{yesterday};online;RSP-1;2;PH-001;lea@shop.example\n"
            ),
        ),
    ];
    for (kind, file) in files {
        let res = upload(&admin, kind, "file.csv", file.into_bytes()).await;
        assert_eq!(res.status, 200, "{kind}: {}", res.body);
        assert_eq!(
            summary(&res, "created"),
            if kind == "partners" { "2" } else { "1" },
            "{kind}"
        );
    }
    assert_eq!(count(&app, "declarations", &tenant), 1);
}
