//! Bulk declarations and sell-in from CSV: by the brand in the studio, by a participant
//! in the portal, and on the command line; refused whole with row errors, idempotent.

use std::process::Command;

use diesel::prelude::*;
use relais::db::schema::{declaration_lines, declarations, opening_stock, sell_in};
use relais::domain::declarations::Rules;
use relais::domain::Role;
use relais::services::audit::Actor;
use relais::services::imports::{self, ImportError, ImportFile, ImportKind, Silent};
use reqwest::multipart::Part;

use super::support::*;
use crate::common::{self, spawn_app, TestApp, TestClient, PASSWORD};

async fn upload(client: &TestClient, path: &str, kind: Option<&str>, csv: &str) -> common::Page {
    // The CSRF token is the first field, as in the app's forms.
    let mut form = client.multipart_form().await;
    if let Some(kind) = kind {
        form = form.text("kind", kind.to_string());
    }
    let part = Part::bytes(csv.as_bytes().to_vec())
        .file_name("file.csv")
        .mime_str("text/csv")
        .unwrap();
    client.post_multipart(path, form.part("file", part)).await
}

fn errors(page: &common::Page) -> Vec<(String, String, String)> {
    page.texts("[data-testid=import-errors] tbody td")
        .chunks(3)
        .map(|c| (c[0].clone(), c[1].clone(), c[2].clone()))
        .collect()
}

macro_rules! count {
    ($app:expr, $table:expr) => {
        $table.count().get_result::<i64>(&mut $app.conn()).unwrap()
    };
}

async fn marketer(app: &TestApp, shop: &Shop) -> TestClient {
    app.create_user(&shop.tenant, Role::Marketer, "hugo@acme.example", "Hugo");
    let client = app.client(&app.host(&shop.tenant));
    client.login("hugo@acme.example", PASSWORD).await;
    client
}

#[actix_web::test]
async fn the_brand_uploads_sell_out_once_whatever_the_number_of_uploads() {
    let app = spawn_app().await;
    let shop = shop(&app, "acme").await;
    let brand = admin(&app, &shop.tenant).await;
    let good = format!(
        "partner_code;participant_email;invoice_ref;line;sale_date;channel;sku;quantity;unit_price\n\
         PH-75-0012;lea@acme.example;T-1;1;{d};in_store;STK-50;2;\n\
         PH-75-0012;lea@acme.example;T-1;2;{d};in_store;ROL-50;1;9,00\n\
         PH-75-0012;lea@acme.example;T-2;1;{d};online;STK-50;1;\n",
        d = days_ago(3)
    );
    let page = upload(&brand, "/studio/imports", Some("sell_out"), &good).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(
        count!(app, declarations::table),
        2,
        "one declaration per invoice"
    );
    assert_eq!(count!(app, declaration_lines::table), 3);
    let sources: Vec<String> = declarations::table
        .select(declarations::source)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(sources, vec!["import", "import"]);
    let again = upload(&brand, "/studio/imports", Some("sell_out"), &good).await;
    assert_eq!(again.status, 200);
    assert_eq!(
        count!(app, declarations::table),
        2,
        "the same file adds nothing"
    );
    let mine = shop.client.get("/declarations").await;
    assert_eq!(
        mine.texts("[data-testid=declarations] [data-status]").len(),
        2
    );

    let bad = format!(
        "partner_code;participant_email;invoice_ref;line;sale_date;channel;sku;quantity\n\
         PH-75-0012;lea@acme.example;T-3;1;{d};in_store;NOPE;2\n\
         PH-75-0012;;T-3;2;{d};in_store;STK-50;0\n\
         PH-75-0012;lea@acme.example;T-4;1;{d};by pigeon;STK-50;1\n\
         PH-75-0012;lea@acme.example;T-4;1;{d};online;STK-50;1\n",
        d = days_ago(1)
    );
    let page = upload(&brand, "/studio/imports", Some("sell_out"), &bad).await;
    assert_eq!(page.status, 422);
    assert_eq!(
        errors(&page),
        vec![
            (
                "2".into(),
                "sku".into(),
                "No product has this name or SKU.".into()
            ),
            (
                "3".into(),
                "participant_email".into(),
                "This field is required.".into()
            ),
            (
                "3".into(),
                "quantity".into(),
                "Enter at least 1 unit.".into()
            ),
            (
                "4".into(),
                "channel".into(),
                "Choose in store or online.".into()
            ),
            (
                "5".into(),
                "line".into(),
                "1 already appears on line 4.".into()
            ),
        ]
    );
    assert_eq!(
        count!(app, declarations::table),
        2,
        "nothing of a refused file"
    );
}

#[actix_web::test]
async fn a_participant_uploads_their_partners_sell_out() {
    let app = spawn_app().await;
    let shop = shop(&app, "acme").await;
    let other = add_partner(&app, &shop.tenant, "PH-13-0007", "Provence");
    add_participant(&app, &shop.tenant, other, "karim@acme.example", "Karim");
    let form = shop.client.get("/declarations/import").await;
    assert_eq!(form.status, 200);

    let refused = format!(
        "invoice_ref,line,sale_date,channel,sku,quantity,partner_code,participant_email\n\
         U-1,1,{d},in_store,STK-50,2,PH-13-0007,\n\
         U-2,1,{d},in_store,STK-50,2,,karim@acme.example\n\
         U-3,1,{old},in_store,STK-50,2,,\n\
         U-3,2,{d},in_store,STK-50,51,,\n",
        d = today(),
        old = days_ago(90)
    );
    let page = upload(&shop.client, "/declarations/import", None, &refused).await;
    assert_eq!(page.status, 422);
    let found: Vec<(String, String)> = errors(&page).into_iter().map(|(l, c, _)| (l, c)).collect();
    assert_eq!(
        found,
        vec![
            ("2".into(), "partner_code".into()),
            ("3".into(), "participant_email".into()),
            ("4".into(), "sale_date".into()),
            ("5".into(), "quantity".into()),
        ]
    );
    assert!(page.body.contains("PH-13-0007 is not your partner."));
    assert!(page
        .body
        .contains("More units than the programme allows on one line."));

    let good = format!(
        "invoice_ref,line,sale_date,channel,sku,quantity\nU-1,1,{d},in_store,STK-50,2\nU-1,2,{d},in_store,ROL-50,3\n",
        d = today()
    );
    let page = upload(&shop.client, "/declarations/import", None, &good).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(
        page.texts("[data-testid=import-summary]"),
        vec!["One declaration recorded from file.csv (0 rows already imported)."]
    );
    let page = upload(&shop.client, "/declarations/import", None, &good).await;
    assert!(
        page.body
            .contains("0 declarations recorded from file.csv (2 rows already imported)."),
        "{}",
        page.body
    );
    let points: i64 = declarations::table
        .select(declarations::points)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(points, 2 * 10 + 3 * 8);
}

#[actix_web::test]
async fn a_participants_own_upload_counts_towards_the_daily_limit() {
    let app = spawn_app().await;
    let shop = shop(&app, "acme").await;
    set_rules(
        &app,
        &shop.tenant,
        Rules {
            auto_approve: true,
            max_declarations_per_day: 2,
            ..Rules::default()
        },
    );
    let csv = format!(
        "invoice_ref,line,sale_date,channel,sku,quantity\n\
         D-1,1,{d},in_store,STK-50,1\n\
         D-2,1,{d},in_store,STK-50,1\n\
         D-3,1,{d},in_store,STK-50,1\n",
        d = today()
    );
    let page = upload(&shop.client, "/declarations/import", None, &csv).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let found: Vec<(String, String, Vec<Option<String>>)> = declarations::table
        .order(declarations::invoice_ref)
        .select((
            declarations::invoice_ref,
            declarations::status,
            declarations::flags,
        ))
        .load(&mut app.conn())
        .unwrap();
    let approved = |s: &str| (s.to_string(), "approved".to_string(), vec![]);
    assert_eq!(
        found,
        vec![
            approved("D-1"),
            approved("D-2"),
            (
                "D-3".into(),
                "submitted".into(),
                vec![Some("daily_limit".into())]
            ),
        ],
        "the third of the day waits for a reviewer"
    );
    assert_eq!(balance(&app, &shop.tenant, &shop.participant), 20);
}

#[actix_web::test]
async fn rows_naming_the_same_line_differently_are_duplicates() {
    let app = spawn_app().await;
    let shop = shop(&app, "acme").await;
    let csv = format!(
        "invoice_ref,line,sale_date,channel,sku,quantity,partner_code\n\
         X-1,1,{d},in_store,STK-50,1,\n\
         X-1,01,{d},in_store,ROL-50,1,\n\
         X-2,1,{d},in_store,STK-50,1,\n\
         x-2 ,1,{d},in_store,STK-50,1,PH-75-0012\n",
        d = today()
    );
    let page = upload(&shop.client, "/declarations/import", None, &csv).await;
    assert_eq!(page.status, 422, "{}", page.body);
    assert_eq!(
        errors(&page),
        vec![
            (
                "3".into(),
                "line".into(),
                "01 already appears on line 2.".into()
            ),
            (
                "5".into(),
                "line".into(),
                "1 already appears on line 4.".into()
            ),
        ]
    );
    assert_eq!(count!(app, declarations::table), 0);
}

#[actix_web::test]
async fn an_invoice_with_more_lines_than_a_declaration_is_refused_with_a_row_error() {
    let app = spawn_app().await;
    let shop = shop(&app, "acme").await;
    let mut csv = String::from("invoice_ref,line,sale_date,channel,sku,quantity\n");
    for n in 1..=8200 {
        csv.push_str(&format!("BIG-1,{n},{},in_store,STK-50,1\n", today()));
    }
    let page = upload(&shop.client, "/declarations/import", None, &csv).await;
    assert_eq!(page.status, 422, "{}", page.body);
    assert_eq!(
        errors(&page),
        vec![(
            "32".into(),
            "line".into(),
            "Invoice BIG-1 (from line 2) has more than 30 lines, the most one declaration may have."
                .into()
        )]
    );
    assert_eq!(count!(app, declarations::table), 0);
}

/// The second of two uploads of the same lines, which waits for the first to commit,
/// is refused with a row error rather than failing on the unique import key.
#[test]
fn lines_imported_meanwhile_by_another_upload_are_a_row_error() {
    let sys = actix_web::rt::System::new();
    let (app, shop) = sys.block_on(async {
        let app = spawn_app().await;
        let shop = shop(&app, "acme").await;
        (app, shop)
    });
    let tid = shop.tenant.tenant_id();
    let csv = format!(
        "partner_code,participant_email,invoice_ref,line,sale_date,channel,sku,quantity\n\
         PH-75-0012,lea@acme.example,M-1,1,{},online,STK-50,1\n",
        today()
    );
    let url = app.database_url.clone();
    let (imported, first_imported) = std::sync::mpsc::channel();
    let first = {
        let csv = csv.clone();
        std::thread::spawn(move || {
            let mut conn = PgConnection::establish(&url).unwrap();
            let mut watch = PgConnection::establish(&url).unwrap();
            conn.transaction::<_, diesel::result::Error, _>(|conn| {
                let file = ImportFile {
                    kind: ImportKind::SellOut,
                    name: "first.csv",
                    bytes: csv.as_bytes(),
                };
                let done = imports::import(conn, tid, &Actor::system("first"), &file, &Silent);
                assert_eq!(done.unwrap().created, 1);
                imported.send(()).unwrap();
                // Commit once the other upload waits for these lines.
                for _ in 0..200 {
                    if waiting_for_a_lock(&mut watch) {
                        break;
                    }
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                Ok(())
            })
            .unwrap();
        })
    };
    // Start once the first upload holds its lines, not yet committed.
    first_imported.recv().unwrap();
    let file = ImportFile {
        kind: ImportKind::SellOut,
        name: "second.csv",
        bytes: csv.as_bytes(),
    };
    let second = imports::import(
        &mut app.conn(),
        tid,
        &Actor::system("second"),
        &file,
        &Silent,
    );
    first.join().unwrap();
    match second {
        Err(ImportError::Refused(refusal)) => {
            let found: Vec<_> = refusal
                .errors
                .iter()
                .map(|e| (e.line, e.key, e.value.as_str()))
                .collect();
            assert_eq!(
                found,
                vec![(Some(2), "error-import-imported-meanwhile", "M-1")]
            );
        }
        other => panic!("expected a row error, got {other:?}"),
    }
    assert_eq!(count!(app, declarations::table), 1);
}

#[derive(QueryableByName)]
struct Waiting {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// Whether a connection to this database waits for a lock.
fn waiting_for_a_lock(conn: &mut PgConnection) -> bool {
    diesel::sql_query(
        "SELECT count(*) AS n FROM pg_stat_activity \
         WHERE datname = current_database() AND wait_event_type = 'Lock'",
    )
    .get_result::<Waiting>(conn)
    .unwrap()
    .n > 0
}

#[actix_web::test]
async fn sell_in_dates_outside_2000_to_2100_are_row_errors() {
    let app = spawn_app().await;
    let shop = shop(&app, "acme").await;
    let hugo = marketer(&app, &shop).await;
    let sell = "partner_code;sku;date;quantity;amount\n\
                PH-75-0012;STK-50;1999-12-31;24;309,60\n\
                PH-75-0012;STK-50;-5000-01-01;24;309,60\n\
                PH-75-0012;STK-50;2000-01-01;24;309,60\n";
    let page = upload(&hugo, "/studio/imports", Some("sell_in"), sell).await;
    assert_eq!(page.status, 422, "{}", page.body);
    let found: Vec<(String, String, String)> = errors(&page);
    assert_eq!(
        found,
        vec![
            (
                "2".into(),
                "date".into(),
                "Enter a date between 2000 and 2100.".into()
            ),
            (
                "3".into(),
                "date".into(),
                "Enter a date between 2000 and 2100.".into()
            ),
        ]
    );
    assert_eq!(count!(app, sell_in::table), 0);
}

#[actix_web::test]
async fn sell_in_and_opening_stock_are_imported_once_in_the_studio_and_on_the_command_line() {
    let app = spawn_app().await;
    let shop = shop(&app, "acme").await;
    let hugo = marketer(&app, &shop).await;
    let sell = "partner_code;sku;date;quantity;amount;reference\n\
                PH-75-0012;STK-50;2026-09-01;24;309,60;\n\
                PH-75-0012;STK-50;2026-09-01;24;309,60;\n\
                ph-75-0012;ROL-50;01/10/2026;-2;-19,80;AV-7\n";
    let page = upload(&hugo, "/studio/imports", Some("sell_in"), sell).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(
        count!(app, sell_in::table),
        3,
        "two identical rows are two deliveries"
    );
    upload(&hugo, "/studio/imports", Some("sell_in"), sell).await;
    assert_eq!(count!(app, sell_in::table), 3, "the same file adds nothing");

    let bad = "partner_code;sku;date;quantity;amount\nXX-1;STK-50;2026-09-01;0;abc\nPH-75-0012;NOPE;2099-01-01;2;1\n";
    let page = upload(&hugo, "/studio/imports", Some("sell_in"), bad).await;
    assert_eq!(page.status, 422);
    let found: Vec<(String, String)> = errors(&page).into_iter().map(|(l, c, _)| (l, c)).collect();
    assert_eq!(
        found,
        vec![
            ("2".into(), "partner_code".into()),
            ("2".into(), "quantity".into()),
            ("2".into(), "amount".into()),
            ("3".into(), "sku".into()),
            ("3".into(), "date".into()),
        ]
    );

    let opening = "partner_code,sku,quantity\nPH-75-0012,STK-50,10\nPH-75-0012,ROL-50,0\n";
    assert_eq!(
        upload(&hugo, "/studio/imports", Some("opening_stock"), opening)
            .await
            .status,
        200
    );
    let changed = "partner_code,sku,quantity\nPH-75-0012,STK-50,12\nPH-75-0012,ROL-50,0\n";
    let page = upload(&hugo, "/studio/imports", Some("opening_stock"), changed).await;
    assert_eq!(page.texts("[data-count=updated]"), vec!["1"]);
    assert_eq!(page.texts("[data-count=unchanged]"), vec!["1"]);
    let stock: Vec<i32> = opening_stock::table
        .order(opening_stock::product_id)
        .select(opening_stock::quantity)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(stock, vec![12, 0]);

    let dir = std::env::temp_dir().join(format!("relais-sell-in-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("sell-in.csv");
    std::fs::write(
        &file,
        "partner_code,sku,date,quantity,amount\nPH-75-0012,ROL-50,2026-10-02,6,59.40\n",
    )
    .unwrap();
    let sales = dir.join("sell-out.csv");
    std::fs::write(
        &sales,
        format!(
            "partner_code,participant_email,invoice_ref,line,sale_date,channel,sku,quantity\n\
             PH-75-0012,lea@acme.example,CLI-1,1,{},online,ROL-50,1\n",
            today()
        ),
    )
    .unwrap();
    let run = |kind: &str, file: &std::path::Path| {
        Command::new(env!("CARGO_BIN_EXE_relais"))
            .args(["import", kind])
            .arg(file)
            .args(["--tenant", "acme"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("RELAIS_ENV", "test")
            .env("DATABASE_URL", &app.database_url)
            .output()
            .unwrap()
    };
    for _ in 0..2 {
        let out = run("sell-in", &file);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(count!(app, sell_in::table), 4);
    let out = run("sell-out", &sales);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 created"));
    let out = run("sell-out", &dir.join("missing.csv"));
    assert!(!out.status.success());
    std::fs::remove_dir_all(&dir).unwrap();
}
