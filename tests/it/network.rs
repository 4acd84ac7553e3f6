//! The partner network and the product catalogue in the studio: forms with bad input,
//! search, filters and pagination, access by role and by tenant, segments.

use crate::common;

use common::{spawn_app, TestApp, TestClient, PASSWORD};
use diesel::Connection;
use relais::db::tenants::Tenant;
use relais::domain::{PartnerId, ProductId, Role};
use relais::services::audit::Actor;
use relais::services::partners::{self, PartnerInput};
use relais::services::products::{self, ProductInput};
use relais::services::segments::{self, SegmentInput};

async fn marketer(app: &TestApp, slug: &str) -> (TestClient, Tenant) {
    let (tenant, _) = app.create_tenant(slug, slug);
    let email = format!("hugo@{slug}.example");
    app.create_user(&tenant, Role::Marketer, &email, "Hugo");
    let client = app.client(&app.host(&tenant));
    assert_eq!(client.login(&email, PASSWORD).await.status, 303);
    (client, tenant)
}

fn partner(code: &str, name: &str, kind: &str, region: &str, tier: &str) -> PartnerInput {
    PartnerInput {
        external_code: code.into(),
        name: name.into(),
        kind: kind.into(),
        brand_mode: "multi".into(),
        region: region.into(),
        country: "FR".into(),
        tier: tier.into(),
        potential: "3".into(),
    }
}

fn add_partner(app: &TestApp, tenant: &Tenant, input: &PartnerInput) -> PartnerId {
    let actor = Actor::system("test");
    partners::create(&mut app.conn(), tenant.tenant_id(), &actor, input)
        .unwrap()
        .id
}

fn add_product(app: &TestApp, tenant: &Tenant, sku: &str, name: &str, category: &str) -> ProductId {
    let input = ProductInput {
        sku: sku.into(),
        name: name.into(),
        category: category.into(),
        unit_price: "12.90".into(),
        points_per_unit: "10".into(),
    };
    let actor = Actor::system("test");
    products::create(&mut app.conn(), tenant.tenant_id(), &actor, &input)
        .unwrap()
        .id
}

const GOOD_PARTNER: &[(&str, &str)] = &[
    ("external_code", "ph-75-0012"),
    ("name", "Pharmacie du Marais"),
    ("kind", "reseller"),
    ("brand_mode", "multi"),
    ("region", "Île-de-France"),
    ("country", "fr"),
    ("tier", "Gold"),
    ("potential", "4"),
];

fn with<'a>(
    base: &[(&'a str, &'a str)],
    changes: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    base.iter()
        .map(|(k, v)| {
            let v = changes.iter().find(|(c, _)| c == k).map_or(*v, |(_, n)| *n);
            (*k, v)
        })
        .collect()
}

#[actix_web::test]
async fn a_marketer_creates_edits_and_deactivates_a_partner() {
    let app = spawn_app().await;
    let (client, tenant) = marketer(&app, "acme").await;

    assert_eq!(client.get("/studio/partners/new").await.status, 200);
    let res = client.post_form("/studio/partners", GOOD_PARTNER).await;
    assert_eq!(res.status, 303, "{}", res.body);
    let location = res.location.unwrap();
    let page = client.get(&location).await;
    assert_eq!(page.texts(".flash"), vec!["Partner created."]);
    let facts = page.texts("[data-testid=partner-facts] dd").join(" | ");
    assert!(
        facts.contains("PH-75-0012"),
        "codes are upper-cased: {facts}"
    );
    assert!(
        facts.contains("Île-de-France") && facts.contains("Gold"),
        "{facts}"
    );

    let edit = client.get(&format!("{location}/edit")).await;
    assert!(edit.body.contains("value=\"Pharmacie du Marais\""));
    let res = client
        .post_form(
            &location,
            &with(GOOD_PARTNER, &[("name", "Pharmacie du Marais Nord")]),
        )
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(
        client.get(&location).await.texts("h1")[0],
        "Pharmacie du Marais Nord"
    );

    let res = client
        .post_form(&format!("{location}/active"), &[("active", "false")])
        .await;
    assert_eq!(res.status, 303);
    let page = client.get(&location).await;
    assert_eq!(page.texts(".flash"), vec!["Partner deactivated."]);
    let inactive = client.get("/studio/partners?active=no").await;
    assert_eq!(inactive.texts("[data-testid=partners] tbody tr").len(), 1);
    let active = client.get("/studio/partners?active=yes").await;
    assert!(active.texts("[data-testid=partners] tbody tr").is_empty());

    let admin = app.client(&app.host(&tenant));
    admin.login("admin@acme.example", PASSWORD).await;
    let log = admin.get("/admin/audit?action=partner.updated").await;
    let changes = log
        .texts("[data-testid=audit] tbody td:nth-child(4)")
        .join(" ");
    assert!(
        changes.contains("name: Pharmacie du Marais → Pharmacie du Marais Nord"),
        "{changes}"
    );
    assert!(changes.contains("active: true → false"), "{changes}");
}

#[actix_web::test]
async fn bad_partner_input_is_shown_next_to_each_field_and_nothing_is_saved() {
    let app = spawn_app().await;
    let (client, tenant) = marketer(&app, "acme").await;
    let bad = with(
        GOOD_PARTNER,
        &[
            ("external_code", "PH 75"),
            ("name", " "),
            ("kind", "shop"),
            ("country", "XX"),
            ("potential", "9"),
        ],
    );
    let res = client.post_form("/studio/partners", &bad).await;
    assert_eq!(res.status, 422);
    let error = |field: &str| res.texts(&format!("[data-field={field}]"));
    assert_eq!(
        error("external_code"),
        vec!["Use letters, digits and . _ / - only (at most 40)."]
    );
    assert_eq!(error("name"), vec!["This field is required."]);
    assert_eq!(
        error("kind"),
        vec!["Choose distributor, reseller or franchisee."]
    );
    assert_eq!(
        error("country"),
        vec!["Enter a two-letter ISO country code, e.g. FR."]
    );
    assert_eq!(
        error("potential"),
        vec!["Enter a whole number from 1 to 5."]
    );
    assert!(error("region").is_empty());
    assert!(
        res.body.contains("value=\"PH 75\""),
        "what was typed is kept"
    );
    assert!(res.body.contains("value=\"XX\""));

    // A code already taken is refused next to the code.
    add_partner(
        &app,
        &tenant,
        &partner("PH-75-0012", "Other", "reseller", "Bretagne", ""),
    );
    let res = client.post_form("/studio/partners", GOOD_PARTNER).await;
    assert_eq!(res.status, 422);
    assert_eq!(
        res.texts("[data-field=external_code]"),
        vec!["Another partner already has this code."]
    );
    let list = client.get("/studio/partners").await;
    assert_eq!(list.texts("[data-testid=total]"), vec!["One partner"]);
}

#[actix_web::test]
async fn partners_are_searched_filtered_and_paginated() {
    let app = spawn_app().await;
    let (client, tenant) = marketer(&app, "acme").await;
    for i in 1..=30 {
        let (kind, region, tier) = match i % 3 {
            0 => ("distributor", "Bretagne", "Gold"),
            1 => ("reseller", "Occitanie", "Silver"),
            _ => ("franchisee", "Occitanie", ""),
        };
        let name = format!("Pharmacie {i:02}");
        add_partner(
            &app,
            &tenant,
            &partner(&format!("PH-{i:02}"), &name, kind, region, tier),
        );
    }
    let rows = |page: &common::Page| page.texts("[data-testid=partners] tbody tr").len();

    let first = client.get("/studio/partners").await;
    assert_eq!(rows(&first), 25);
    assert_eq!(first.texts("[data-testid=total]"), vec!["30 partners"]);
    assert!(first.texts("[data-testid=pager]")[0].contains("Page 1 of 2"));
    let second = client.get("/studio/partners?page=2").await;
    assert_eq!(rows(&second), 5);

    let by_code = client.get("/studio/partners?q=ph-07").await;
    assert_eq!(
        by_code.texts("[data-testid=partners] tbody td:nth-child(2)"),
        vec!["Pharmacie 07"]
    );
    let by_name = client.get("/studio/partners?q=macie%201").await;
    assert_eq!(rows(&by_name), 10, "Pharmacie 10 to 19");
    let wildcard = client.get("/studio/partners?q=%25").await;
    assert_eq!(rows(&wildcard), 0, "% is searched literally");

    let distributors = client.get("/studio/partners?kind=distributor").await;
    assert_eq!(rows(&distributors), 10);
    let filtered = client
        .get("/studio/partners?kind=reseller&region=Occitanie&tier=Silver")
        .await;
    assert_eq!(rows(&filtered), 10);
    let none = client
        .get("/studio/partners?kind=reseller&region=Bretagne")
        .await;
    assert_eq!(rows(&none), 0);
    assert_eq!(
        none.texts(".empty"),
        vec!["No partner matches these filters."]
    );

    // The pager keeps the filters.
    let occitanie = client.get("/studio/partners?region=Occitanie").await;
    assert_eq!(occitanie.texts("[data-testid=total]"), vec!["20 partners"]);
    assert!(
        occitanie.texts("a[rel=next]").is_empty(),
        "20 rows fit one page"
    );
}

#[actix_web::test]
async fn a_participant_gets_403_in_the_studio() {
    let app = spawn_app().await;
    let (tenant, _) = app.create_tenant("acme", "Acme");
    app.create_user(&tenant, Role::Participant, "lea@shop.example", "Léa");
    let client = app.client(&app.host(&tenant));
    client.login("lea@shop.example", PASSWORD).await;
    for path in [
        "/studio/partners",
        "/studio/products",
        "/studio/segments",
        "/studio/imports",
    ] {
        assert_eq!(client.get(path).await.status, 403, "{path}");
    }
    let res = client.post_form("/studio/partners", GOOD_PARTNER).await;
    assert_eq!(res.status, 403);
}

#[actix_web::test]
async fn a_marketer_of_b_gets_404_for_a_rows_and_never_sees_them() {
    let app = spawn_app().await;
    let (a, _) = app.create_tenant("alpha", "Alpha");
    let partner_id = add_partner(
        &app,
        &a,
        &partner(
            "PH-01",
            "Alpha Secret Pharmacy",
            "reseller",
            "Bretagne",
            "Gold",
        ),
    );
    let product_id = add_product(&app, &a, "SECRET-1", "Alpha Secret Stick", "Sticks");
    let (client, _) = marketer(&app, "beta").await;

    for path in [
        format!("/studio/partners/{partner_id}"),
        format!("/studio/partners/{partner_id}/edit"),
        format!("/studio/products/{product_id}"),
    ] {
        let page = client.get(&path).await;
        assert_eq!(page.status, 404, "{path}");
        assert!(!page.body.contains("Alpha Secret"));
    }
    let res = client
        .post_form(&format!("/studio/partners/{partner_id}"), GOOD_PARTNER)
        .await;
    assert_eq!(res.status, 404);
    let res = client
        .post_form(
            &format!("/studio/partners/{partner_id}/active"),
            &[("active", "false")],
        )
        .await;
    assert_eq!(res.status, 404);
    let res = client
        .post_form(
            &format!("/studio/products/{product_id}/active"),
            &[("active", "false")],
        )
        .await;
    assert_eq!(res.status, 404);
    for path in [
        "/studio/partners",
        "/studio/products",
        "/studio/partners?q=PH-01",
        "/studio/segments/count?kinds=reseller",
    ] {
        let page = client.get(path).await;
        assert!(!page.body.contains("Alpha Secret"), "{path}");
        assert!(
            !page.body.contains("Bretagne"),
            "{path}: filter values of A"
        );
    }
    let count = client.get("/studio/segments/count?kinds=reseller").await;
    assert!(count.body.contains("\"count\":0"), "{}", count.body);

    let still = relais::db::partners::find(&mut app.conn(), a.tenant_id(), partner_id).unwrap();
    assert!(still.active);
}

#[actix_web::test]
async fn products_are_created_edited_deactivated_and_bad_input_is_shown() {
    let app = spawn_app().await;
    let (client, tenant) = marketer(&app, "acme").await;
    let good = [
        ("sku", "rsp-stk-50"),
        ("name", "Déodorant stick 50 g"),
        ("category", "Sticks"),
        ("unit_price", "12,90"),
        ("points_per_unit", "10"),
    ];
    let res = client.post_form("/studio/products", &good).await;
    assert_eq!(res.status, 303, "{}", res.body);
    let list = client.get("/studio/products").await;
    assert_eq!(list.texts(".flash"), vec!["Product created."]);
    let cells = list.texts("[data-testid=products] tbody td");
    assert_eq!(cells[0], "RSP-STK-50");
    assert_eq!(cells[3], "€12.90", "an amount in euros, shown in English");

    let bad = [
        ("sku", "RSP STK"),
        ("name", "Stick"),
        ("category", ""),
        ("unit_price", "-3.00"),
        ("points_per_unit", "2.5"),
    ];
    let res = client.post_form("/studio/products", &bad).await;
    assert_eq!(res.status, 422);
    let error = |field: &str| res.texts(&format!("[data-field={field}]"));
    assert_eq!(error("unit_price"), vec!["The price cannot be negative."]);
    assert_eq!(
        error("points_per_unit"),
        vec!["Enter a whole number of points."]
    );
    assert_eq!(error("category"), vec!["This field is required."]);
    assert_eq!(error("sku").len(), 1);
    assert!(res.body.contains("value=\"-3.00\""));

    let id = relais::db::products::by_skus(&mut app.conn(), tenant.tenant_id(), &["RSP-STK-50"])
        .unwrap()["RSP-STK-50"]
        .id;
    let path = format!("/studio/products/{id}");
    let edit = client.get(&path).await;
    assert!(edit.body.contains("value=\"12.90\""));
    let taken = add_product(&app, &tenant, "RSP-ROL-50", "Roll-on", "Roll-ons");
    assert!(taken.0 > 0);
    let res = client
        .post_form(
            &path,
            &[
                ("sku", "RSP-ROL-50"),
                ("name", "X"),
                ("category", "Sticks"),
                ("unit_price", "1"),
                ("points_per_unit", "1"),
            ],
        )
        .await;
    assert_eq!(res.status, 422);
    assert_eq!(
        res.texts("[data-field=sku]"),
        vec!["Another product already has this SKU."]
    );

    let res = client
        .post_form(
            &path,
            &[
                ("sku", "RSP-STK-50"),
                ("name", "Déodorant stick 50 g"),
                ("category", "Sticks"),
                ("unit_price", "13.50"),
                ("points_per_unit", "12"),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    let res = client
        .post_form(&format!("{path}/active"), &[("active", "false")])
        .await;
    assert_eq!(res.status, 303);
    let p = relais::db::products::find(&mut app.conn(), tenant.tenant_id(), id).unwrap();
    assert_eq!(
        (p.unit_price_minor, p.points_per_unit, p.active),
        (1350, 12, false)
    );

    let sticks = client
        .get("/studio/products?category=Sticks&active=no")
        .await;
    assert_eq!(sticks.texts("[data-testid=products] tbody tr").len(), 1);
    let search = client.get("/studio/products?q=roll").await;
    assert_eq!(
        search.texts("[data-testid=products] tbody td:nth-child(1)"),
        vec!["RSP-ROL-50"]
    );
}

#[actix_web::test]
async fn products_are_paginated_25_per_page() {
    let app = spawn_app().await;
    let (client, tenant) = marketer(&app, "acme").await;
    for i in 0..26 {
        add_product(
            &app,
            &tenant,
            &format!("SKU-{i:02}"),
            &format!("Product {i:02}"),
            "Sticks",
        );
    }
    let first = client.get("/studio/products").await;
    assert_eq!(first.texts("[data-testid=products] tbody tr").len(), 25);
    let next = first.texts("a[rel=next]");
    assert_eq!(next.len(), 1);
    let second = client.get("/studio/products?page=2").await;
    assert_eq!(
        second.texts("[data-testid=products] tbody td:nth-child(1)"),
        vec!["SKU-25"]
    );
}

#[actix_web::test]
async fn segments_take_partners_by_rule_and_by_code() {
    let app = spawn_app().await;
    let (client, tenant) = marketer(&app, "acme").await;
    let gold = add_partner(
        &app,
        &tenant,
        &partner("PH-1", "Gold Breton", "reseller", "Bretagne", "Gold"),
    );
    let silver = add_partner(
        &app,
        &tenant,
        &partner("PH-2", "Silver Breton", "reseller", "Bretagne", "Silver"),
    );
    let other = add_partner(
        &app,
        &tenant,
        &partner("PH-3", "Occitan", "distributor", "Occitanie", "Gold"),
    );
    let listed = add_partner(
        &app,
        &tenant,
        &partner("PH-4", "Listed", "franchisee", "Occitanie", ""),
    );

    let form = client.get("/studio/segments/new").await;
    assert_eq!(form.status, 200);
    assert!(
        form.body.contains("value=\"Bretagne\""),
        "regions in use are offered"
    );
    let count = client
        .get("/studio/segments/count?kinds=reseller&regions=Bretagne&tiers=Gold&partner_codes=ph-4")
        .await;
    assert!(
        count.body.contains("\"label\":\"2 matching partners\""),
        "{}",
        count.body
    );

    let res = client
        .post_form(
            "/studio/segments",
            &[
                ("name", "Breton Gold"),
                ("kinds", "reseller"),
                ("regions", "Bretagne"),
                ("tiers", "Gold"),
                ("partner_codes", "ph-4, PH-99"),
            ],
        )
        .await;
    assert_eq!(res.status, 422);
    assert_eq!(
        res.texts("[data-field=partner_codes]"),
        vec!["Some of these codes belong to no partner."]
    );
    assert!(res.body.contains("ph-4, PH-99"), "what was typed is kept");

    let res = client
        .post_form(
            "/studio/segments",
            &[
                ("name", "Breton Gold"),
                ("kinds", "reseller"),
                ("regions", "Bretagne"),
                ("tiers", "Gold"),
                ("partner_codes", "ph-4"),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    let list = client.get("/studio/segments").await;
    assert_eq!(
        list.texts("[data-testid=segments] tbody td:nth-child(3)"),
        vec!["2"]
    );

    let mut conn = app.conn();
    let tid = tenant.tenant_id();
    let segment = relais::db::segments::find_by_name(&mut conn, tid, "Breton Gold")
        .unwrap()
        .unwrap();
    assert_eq!(
        segments::partner_ids(&mut conn, tid, segment.id).unwrap(),
        vec![gold, listed]
    );
    assert!(segments::contains(&mut conn, tid, segment.id, gold).unwrap());
    assert!(segments::contains(&mut conn, tid, segment.id, listed).unwrap());
    assert!(!segments::contains(&mut conn, tid, segment.id, silver).unwrap());
    assert!(!segments::contains(&mut conn, tid, segment.id, other).unwrap());

    // A deactivated partner leaves the segment.
    partners::set_active(&mut conn, tid, &Actor::system("test"), gold, false).unwrap();
    assert_eq!(
        segments::partner_ids(&mut conn, tid, segment.id).unwrap(),
        vec![listed]
    );
    assert!(!segments::contains(&mut conn, tid, segment.id, gold).unwrap());

    // Without any rule, only the listed partners belong.
    let input = SegmentInput {
        name: "Pilots".into(),
        partner_codes: "PH-3".into(),
        ..SegmentInput::default()
    };
    let pilots = segments::create(&mut conn, tid, &Actor::system("test"), &input).unwrap();
    assert_eq!(
        segments::partner_ids(&mut conn, tid, pilots.id).unwrap(),
        vec![other]
    );
    let page = client.get(&format!("/studio/partners/{other}")).await;
    assert!(page
        .texts("[data-testid=partner-facts] dd")
        .join(" ")
        .contains("Pilots"));
}

#[test]
fn the_demo_seed_builds_respires_network_once() {
    use relais::services::demo;
    let (_db, url) = common::fresh_database();
    let mut conn = diesel::PgConnection::establish(&url).unwrap();
    let storage = common::test_storage();
    let first = demo::seed(&mut conn, &storage).unwrap();
    let tid = first.tenant.tenant_id();
    let everything = relais::db::partners::PartnerFilter::default();
    let (_, partners) = relais::db::partners::search(&mut conn, tid, &everything, 0, 1).unwrap();
    assert!(partners >= 36, "{partners} partners");
    let (regions, tiers) = relais::db::partners::regions_and_tiers(&mut conn, tid).unwrap();
    assert!(regions.len() >= 7, "{regions:?}");
    assert_eq!(tiers, vec!["Bronze", "Gold", "Silver"]);
    let all = relais::db::products::ProductFilter::default();
    let (_, products) = relais::db::products::search(&mut conn, tid, &all, 0, 1).unwrap();
    assert!(products >= 12, "{products} products");
    for login in demo::DEMO_USERS
        .iter()
        .filter(|d| d.role == Role::Participant)
    {
        let user = relais::db::users::find_by_email(&mut conn, tid, login.email)
            .unwrap()
            .unwrap();
        assert!(user.partner_id.is_some(), "{} has a partner", login.email);
    }
    let segments = segments::list(&mut conn, tid).unwrap();
    assert!(segments.len() >= 2);
    assert!(
        segments.iter().all(|s| s.members > 0),
        "every demo segment has members"
    );

    let events = |conn: &mut diesel::PgConnection| {
        relais::db::audit::list(conn, tid, &Default::default(), 0, 1000)
            .unwrap()
            .0
            .len()
    };
    let before = events(&mut conn);
    let second = demo::seed(&mut conn, &storage).unwrap();
    assert_eq!(second.created_users, 0);
    assert_eq!(events(&mut conn), before, "a second run changes nothing");
}
