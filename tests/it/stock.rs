//! The stock view: sell-in beside approved sell-out per partner and product, implied
//! stock, weeks of cover and alerts; filters, sorting, CSV export, the partner's page,
//! tenancy; and the demo, which must show a stock-out risk and an overstock.

use crate::common;

use chrono::{Duration, NaiveDate, Utc};
use common::{spawn_app, TestApp, TestClient, PASSWORD};
use diesel::prelude::*;
use relais::db::stock::{self, NewSellIn};
use relais::db::tenants::Tenant;
use relais::domain::{PartnerId, ProductId, Role};
use relais::services::audit::Actor;
use relais::services::declarations::{self as declarations, DeclarationInput, LineInput};
use relais::services::partners::{self, PartnerInput};
use relais::services::products::{self, ProductInput};
use relais::services::stock::StockQuery;

fn partner(app: &TestApp, tenant: &Tenant, code: &str, kind: &str, region: &str) -> PartnerId {
    let input = PartnerInput {
        external_code: code.into(),
        name: format!("Shop {code}"),
        kind: kind.into(),
        brand_mode: "multi".into(),
        region: region.into(),
        country: "FR".into(),
        tier: String::new(),
        potential: "3".into(),
    };
    partners::create(
        &mut app.conn(),
        tenant.tenant_id(),
        &Actor::system("t"),
        &input,
    )
    .unwrap()
    .id
}

fn product(app: &TestApp, tenant: &Tenant, sku: &str, category: &str) -> ProductId {
    let input = ProductInput {
        sku: sku.into(),
        name: format!("Product {sku}"),
        category: category.into(),
        unit_price: "10".into(),
        points_per_unit: "1".into(),
    };
    products::create(
        &mut app.conn(),
        tenant.tenant_id(),
        &Actor::system("t"),
        &input,
    )
    .unwrap()
    .id
}

fn sell_in(
    app: &TestApp,
    tenant: &Tenant,
    partner: PartnerId,
    product: ProductId,
    weeks_ago: i64,
    quantity: i32,
) {
    let key = format!("{partner}-{product}-{weeks_ago}-{quantity}");
    let row = NewSellIn {
        tenant_id: tenant.id,
        partner_id: partner,
        product_id: product,
        sold_on: Utc::now().date_naive() - Duration::weeks(weeks_ago),
        quantity,
        amount_minor: i64::from(quantity) * 1000,
        import_key: &key,
    };
    stock::insert_sell_in(&mut app.conn(), &[row]).unwrap();
}

/// An approved declaration of `quantity` units `days_ago` by a participant of `partner`.
fn sold(
    app: &TestApp,
    tenant: &Tenant,
    partner: PartnerId,
    sku: &str,
    days_ago: i64,
    quantity: i32,
) {
    let email = format!("seller-{partner}@{}.example", tenant.slug);
    let user = match relais::db::users::find_by_email(&mut app.conn(), tenant.tenant_id(), &email)
        .unwrap()
    {
        Some(u) => u,
        None => {
            let u = app.create_user(tenant, Role::Participant, &email, "Seller");
            app.join_partner(tenant.tenant_id(), u.user_id(), partner)
        }
    };
    let at = Utc::now() - Duration::days(days_ago);
    let input = DeclarationInput {
        sale_date: at.date_naive().to_string(),
        channel: "in_store".into(),
        invoice_ref: format!("INV-{days_ago}-{sku}-{quantity}"),
        lines: vec![LineInput {
            product: sku.into(),
            quantity: quantity.to_string(),
            unit_price: String::new(),
        }],
        ..DeclarationInput::default()
    };
    let tid = tenant.tenant_id();
    let d = declarations::declare(&mut app.conn(), tid, &user, &input, vec![], at).unwrap();
    if d.declaration.status == "submitted" {
        declarations::approve(
            &mut app.conn(),
            tid,
            &Actor::system("t"),
            d.declaration.id,
            relais::domain::declarations::Status::Submitted,
            at,
        )
        .unwrap();
    }
}

async fn marketer(app: &TestApp, tenant: &Tenant) -> TestClient {
    let email = format!("hugo@{}.example", tenant.slug);
    app.create_user(tenant, Role::Marketer, &email, "Hugo");
    let client = app.client(&app.host(tenant));
    client.login(&email, PASSWORD).await;
    client
}

/// (partner code, SKU, sell-in, sell-out, implied stock, cover, alert) of each row.
fn rows(page: &common::Page) -> Vec<Vec<String>> {
    let doc = scraper::Html::parse_document(&page.body);
    let tr = scraper::Selector::parse("[data-testid=stock] tbody tr").unwrap();
    let td = scraper::Selector::parse("td").unwrap();
    doc.select(&tr)
        .map(|row| {
            let mut cells = vec![
                row.value().attr("data-partner").unwrap_or("").to_string(),
                row.value().attr("data-sku").unwrap_or("").to_string(),
            ];
            let texts: Vec<String> = row
                .select(&td)
                .map(|c| c.text().collect::<String>().trim().to_string())
                .collect();
            cells.extend(texts[texts.len() - 5..].iter().cloned());
            cells
        })
        .collect()
}

#[actix_web::test]
async fn each_partner_and_product_shows_its_implied_stock_cover_and_alert() {
    let app = spawn_app().await;
    let (tenant, _) = app.create_tenant("acme", "Acme");
    let paris = partner(&app, &tenant, "P-PARIS", "reseller", "Île-de-France");
    let lyon = partner(&app, &tenant, "P-LYON", "distributor", "Auvergne");
    let stick = product(&app, &tenant, "STK", "Sticks");
    let spray = product(&app, &tenant, "SPR", "Sprays");
    // Paris × stick: 40 in, 36 sold (16 in the last 8 weeks): 4 left, 2 weeks at 2 a week.
    sell_in(&app, &tenant, paris, stick, 20, 40);
    sold(&app, &tenant, paris, "STK", 100, 20);
    sold(&app, &tenant, paris, "STK", 30, 16);
    // Paris × spray: 10 opening + 50 in, 4 sold recently: 56 left, 112 weeks.
    stock::set_opening(
        &mut app.conn(),
        tenant.tenant_id(),
        (paris, spray),
        10,
        Utc::now(),
    )
    .unwrap();
    sell_in(&app, &tenant, paris, spray, 10, 50);
    sold(&app, &tenant, paris, "SPR", 5, 4);
    // Lyon × stick: 30 in, 28 sold lately: 2 left, well under 2 weeks.
    sell_in(&app, &tenant, lyon, stick, 6, 30);
    sold(&app, &tenant, lyon, "STK", 3, 28);
    let hugo = marketer(&app, &tenant).await;

    let page = hugo.get("/studio/stock").await;
    assert_eq!(page.status, 200);
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(
        rows(&page),
        vec![
            s(&["P-LYON", "STK", "30", "28", "2", "0.5 wk", "Stock-out risk"]),
            s(&["P-PARIS", "SPR", "50", "4", "56", "112.0 wk", "Overstock"]),
            s(&["P-PARIS", "STK", "0", "16", "4", "2.0 wk", ""]),
        ]
    );
    assert_eq!(
        page.texts("[data-testid=alert-counts]"),
        vec!["1 stock-out risks, 1 overstocks."]
    );

    let only = |q: &str| {
        let (hugo, q) = (&hugo, q.to_string());
        async move {
            rows(&hugo.get(&format!("/studio/stock?{q}")).await)
                .into_iter()
                .map(|r| format!("{}/{}", r[0], r[1]))
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(only("region=Auvergne").await, vec!["P-LYON/STK"]);
    assert_eq!(
        only("kind=reseller").await,
        vec!["P-PARIS/SPR", "P-PARIS/STK"]
    );
    assert_eq!(only("category=Sprays").await, vec!["P-PARIS/SPR"]);
    assert_eq!(only("alert=overstock").await, vec!["P-PARIS/SPR"]);
    assert_eq!(
        only("sort=cover").await,
        vec!["P-LYON/STK", "P-PARIS/STK", "P-PARIS/SPR"]
    );
    assert_eq!(
        only("sort=stock&dir=desc").await,
        vec!["P-PARIS/SPR", "P-PARIS/STK", "P-LYON/STK"]
    );
    let from = (Utc::now() - Duration::weeks(30)).date_naive();
    assert_eq!(
        rows(&hugo.get(&format!("/studio/stock?from={from}")).await)[2][2],
        "40",
        "the period counts"
    );

    let csv = hugo
        .http
        .get(format!(
            "{}/studio/stock.csv?alert=stock_out_risk",
            hugo.base
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let text = csv.text().await.unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "partner_code,partner,region,partner_kind,sku,product,category,sell_in,sell_out,opening_stock,implied_stock,weeks_of_cover,alert");
    assert_eq!(lines[1], "P-LYON,Shop P-LYON,Auvergne,distributor,STK,Product STK,Sticks,30,28,0,2,0.5,stock_out_risk");
    assert_eq!(lines.len(), 2);

    let mine = hugo.get(&format!("/studio/partners/{paris}/stock")).await;
    assert_eq!(mine.status, 200);
    assert_eq!(rows(&mine).len(), 2);
    assert!(mine.body.contains("Stock at Shop P-PARIS"));
    assert!(hugo
        .get(&format!("/studio/partners/{paris}"))
        .await
        .body
        .contains(&format!("/studio/partners/{paris}/stock")));
    let csv = hugo
        .http
        .get(format!("{}/studio/partners/{paris}/stock.csv", hugo.base))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.text().await.unwrap().lines().count(), 3);
}

#[actix_web::test]
async fn the_stock_view_is_for_marketers_of_the_tenant_only() {
    let app = spawn_app().await;
    let (a, _) = app.create_tenant("alpha", "Alpha");
    let (b, _) = app.create_tenant("beta", "Beta");
    let theirs = partner(&app, &b, "B-1", "reseller", "Nord");
    let stick = product(&app, &b, "STK", "Sticks");
    sell_in(&app, &b, theirs, stick, 2, 10);
    let hugo = marketer(&app, &a).await;
    assert_eq!(
        hugo.get(&format!("/studio/partners/{theirs}/stock"))
            .await
            .status,
        404
    );
    assert_eq!(
        hugo.http
            .get(format!("{}/studio/partners/{theirs}/stock.csv", hugo.base))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert!(rows(&hugo.get("/studio/stock").await).is_empty());
    app.create_user(&a, Role::Participant, "pat@alpha.example", "Pat");
    let pat = app.client(&app.host(&a));
    pat.login("pat@alpha.example", PASSWORD).await;
    assert_eq!(pat.get("/studio/stock").await.status, 403);
}

#[actix_web::test]
async fn the_csv_export_never_hands_a_spreadsheet_a_formula() {
    let app = spawn_app().await;
    let (tenant, _) = app.create_tenant("acme", "Acme");
    let input = PartnerInput {
        external_code: "P-EVIL".into(),
        name: "=HYPERLINK(\"http://evil.example\",\"Open\")".into(),
        kind: "reseller".into(),
        brand_mode: "multi".into(),
        region: "@SUM(1+1)".into(),
        country: "FR".into(),
        tier: String::new(),
        potential: "3".into(),
    };
    let evil = partners::create(
        &mut app.conn(),
        tenant.tenant_id(),
        &Actor::system("t"),
        &input,
    )
    .unwrap()
    .id;
    let input = ProductInput {
        sku: "EVL-1".into(),
        name: "+cmd|' /C calc'!A0".into(),
        category: "-2+3".into(),
        unit_price: "10".into(),
        points_per_unit: "1".into(),
    };
    let product = products::create(
        &mut app.conn(),
        tenant.tenant_id(),
        &Actor::system("t"),
        &input,
    )
    .unwrap()
    .id;
    sell_in(&app, &tenant, evil, product, 2, 10);
    let hugo = marketer(&app, &tenant).await;
    let csv = hugo
        .http
        .get(format!("{}/studio/stock.csv", hugo.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mut reader = ::csv::Reader::from_reader(csv.as_bytes());
    let row = reader.records().next().unwrap().unwrap();
    let cells: Vec<&str> = row.iter().take(7).collect();
    assert_eq!(
        cells,
        vec![
            "P-EVIL",
            "'=HYPERLINK(\"http://evil.example\",\"Open\")",
            "'@SUM(1+1)",
            "reseller",
            "EVL-1",
            "'+cmd|' /C calc'!A0",
            "'-2+3",
        ]
    );
}

#[actix_web::test]
async fn far_off_dates_and_page_numbers_are_kept_within_bounds() {
    let app = spawn_app().await;
    let (tenant, _) = app.create_tenant("acme", "Acme");
    let paris = partner(&app, &tenant, "P-PARIS", "reseller", "Île-de-France");
    let stick = product(&app, &tenant, "STK", "Sticks");
    sell_in(&app, &tenant, paris, stick, 2, 10);
    let hugo = marketer(&app, &tenant).await;
    for path in [
        "/studio/stock?page=9223372036854775807",
        "/studio/stock?page=-9223372036854775808",
        "/studio/stock?to=-262000-01-01",
        "/studio/stock?from=1000-01-01&to=9999-12-31",
        &format!("/studio/partners/{paris}/stock?page=9223372036854775807"),
    ] {
        assert_eq!(hugo.get(path).await.status, 200, "{path}");
    }
    let tid = tenant.tenant_id();
    let today = Utc::now().date_naive();
    for (from, to) in [
        (None, Some(NaiveDate::MIN)),
        (Some(NaiveDate::MIN), Some(NaiveDate::MAX)),
    ] {
        let query = StockQuery {
            from,
            to,
            ..StockQuery::default()
        };
        let view = relais::services::stock::view(&mut app.conn(), tid, &query, today).unwrap();
        assert!(view.from <= view.to, "{query:?}");
    }
}

#[actix_web::test]
async fn the_demo_shows_a_stock_out_risk_and_an_overstock_and_declarations_in_every_state() {
    let app = spawn_app().await;
    relais::services::demo::seed(&mut app.conn(), &app.storage()).unwrap();
    let count = |app: &TestApp| -> Vec<(String, i64)> {
        use relais::db::schema::declarations::dsl::*;
        declarations
            .group_by(status)
            .select((status, diesel::dsl::count_star()))
            .order(status)
            .load(&mut app.conn())
            .unwrap()
    };
    let before = count(&app);
    let states: Vec<&str> = before.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(
        states,
        vec!["approved", "rejected", "submitted", "withdrawn"],
        "{before:?}"
    );
    let flagged: i64 = {
        use relais::db::schema::declarations::dsl::*;
        declarations
            .filter(flags.ne(Vec::<Option<String>>::new()))
            .count()
            .get_result(&mut app.conn())
            .unwrap()
    };
    assert!(flagged > 0, "some declarations are flagged");
    relais::services::demo::seed(&mut app.conn(), &app.storage()).unwrap();
    assert_eq!(count(&app), before, "seeding again adds nothing");
    let queued: i64 = {
        use relais::db::schema::jobs::dsl::*;
        jobs.filter(payload.retrieve_as_text("template").like("declaration%"))
            .count()
            .get_result(&mut app.conn())
            .unwrap()
    };
    assert_eq!(queued, 0, "no e-mail about the demo's past decisions");

    let client = app.client("respire.localhost");
    client
        .login(
            "hugo.marketing@respire.example",
            relais::services::demo::DEMO_PASSWORD,
        )
        .await;
    let page = client.get("/studio/stock").await;
    assert_eq!(page.status, 200);
    assert!(
        !page.texts("[data-alert=stock_out_risk]").is_empty(),
        "{:?}",
        rows(&page)
    );
    assert!(!page.texts("[data-alert=overstock]").is_empty());
}
