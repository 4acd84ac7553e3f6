//! The reward catalog in the portal: what a participant is offered (segments, windows,
//! deactivation, another tenant's rewards never), redeeming (points held, one order per
//! form, every refusal next to its field with nothing written), cancelling while the
//! order waits, the voucher codes on the participant's order page only, and the order
//! e-mails in every language.

use chrono::{Duration, Utc};
use diesel::prelude::*;
use relais::db::rewards::Reward;
use relais::db::schema::{reward_order_lines, reward_orders};
use relais::db::tenants::Tenant;
use relais::db::users::User;
use relais::db::Lock;
use relais::domain::ledger::{Cause, CauseType, Points};
use relais::domain::rewards::Step;
use relais::domain::{Locale, OrderId, RewardId, Role, Zone};
use relais::services::audit::Actor;
use relais::services::ledger::{self, Meta};
use relais::services::rewards::catalog::{self, RewardInput};
use relais::services::rewards::{fulfil, review, views};

use crate::common::{spawn_app, TestApp, TestClient, PASSWORD};

fn actor() -> Actor {
    Actor::system("test")
}

/// A tenant with a participant (Léa, of a partner in Île-de-France) logged in.
struct Shop {
    tenant: Tenant,
    admin: User,
    lea: User,
    client: TestClient,
}

async fn shop(app: &TestApp, slug: &str) -> Shop {
    let (tenant, admin) = app.create_tenant(slug, &format!("{slug} rewards"));
    let partner = app.create_partner(&tenant, "PH-75-0001");
    let lea = app.create_user(
        &tenant,
        Role::Participant,
        &format!("lea@{slug}.example"),
        "Léa",
    );
    let lea = app.join_partner(tenant.tenant_id(), lea.id, partner.id);
    let client = app.client(&app.host(&tenant));
    assert_eq!(client.login(&lea.email, PASSWORD).await.status, 303);
    Shop {
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

/// (available, held) points of a participant.
fn balance(app: &TestApp, tenant: &Tenant, user: &User) -> (i64, i64) {
    relais::db::ledger::balance(&mut app.conn(), tenant.tenant_id(), user.id, Lock::Unlocked)
        .unwrap()
        .map_or((0, 0), |b| (b.available, b.held))
}

/// A reward (a physical good of 300 points, unlimited, in "Tech"); `edit` changes it.
fn reward(
    app: &TestApp,
    tenant: &Tenant,
    code: &str,
    edit: impl FnOnce(&mut RewardInput),
) -> Reward {
    let mut input = RewardInput {
        code: code.into(),
        name: format!("Reward {code}"),
        description: "A fine reward.".into(),
        category: "Tech".into(),
        kind: "physical".into(),
        points: "300".into(),
        ..RewardInput::default()
    };
    edit(&mut input);
    catalog::create(&mut app.conn(), tenant.tenant_id(), &actor(), &input).unwrap()
}

fn day(offset: i64) -> String {
    (Zone::UTC.today(Utc::now()) + Duration::days(offset)).to_string()
}

fn orders_count(app: &TestApp) -> i64 {
    reward_orders::table
        .count()
        .get_result(&mut app.conn())
        .unwrap()
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

/// The reward's page, and its redeem form's one-time token.
async fn form_token(client: &TestClient, id: RewardId) -> String {
    let page = client.get(&format!("/rewards/{id}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    page.input_value("form_token").expect("a form token")
}

/// Sends the redeem form with `quantity`, the address and `extra` fields (which
/// replace the address's).
async fn redeem(
    client: &TestClient,
    id: RewardId,
    token: &str,
    quantity: &str,
    extra: &[(&str, &str)],
) -> crate::common::Page {
    let mut fields: Vec<(&str, &str)> = vec![("quantity", quantity), ("form_token", token)];
    for (k, v) in ADDRESS {
        if !extra.iter().any(|(e, _)| e == k) {
            fields.push((k, v));
        }
    }
    fields.extend_from_slice(extra);
    client
        .post_form(&format!("/rewards/{id}/redeem"), &fields)
        .await
}

fn order_of(location: &str) -> OrderId {
    location
        .strip_prefix("/orders/")
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("an order's page: {location}"))
}

#[actix_web::test]
async fn the_catalog_offers_only_what_the_participant_may_redeem() {
    let app = spawn_app().await;
    let s = shop(&app, "acme").await;
    let tid = s.tenant.tenant_id();
    earn(&app, &s.tenant, &s.lea, 500);
    let open = reward(&app, &s.tenant, "OPEN", |r| r.name = "Headphones".into());
    let pricey = reward(&app, &s.tenant, "PRICEY", |r| {
        r.name = "Espresso machine".into();
        r.category = "Home".into();
        r.points = "900".into();
    });
    let future = reward(&app, &s.tenant, "FUTURE", |r| {
        r.available_from = day(3);
    });
    let past = reward(&app, &s.tenant, "PAST", |r| {
        r.available_from = day(-30);
        r.available_until = day(-1);
    });
    let inactive = reward(&app, &s.tenant, "OFF", |_| {});
    catalog::set_active(&mut app.conn(), tid, &actor(), inactive.id, false).unwrap();
    let segment = |name: &str, region: &str| {
        relais::services::segments::create(
            &mut app.conn(),
            tid,
            &actor(),
            &relais::services::segments::SegmentInput {
                name: name.into(),
                regions: vec![region.into()],
                ..Default::default()
            },
        )
        .unwrap()
        .id
    };
    let provence = segment("Provence", "Provence");
    let paris = segment("Paris", "Île-de-France");
    let elsewhere = reward(&app, &s.tenant, "SOUTH", |_| {});
    catalog::set_segments(
        &mut app.conn(),
        tid,
        &actor(),
        elsewhere.id,
        &[provence.to_string()],
    )
    .unwrap();
    let mine = reward(&app, &s.tenant, "LOCAL", |r| {
        r.name = "Paris tour".into();
        r.kind = "experience".into();
        r.category = "Trips".into();
    });
    catalog::set_segments(
        &mut app.conn(),
        tid,
        &actor(),
        mine.id,
        &[paris.to_string()],
    )
    .unwrap();

    let page = s.client.get("/rewards").await;
    assert_eq!(page.status, 200);
    let shown = |body: &str| {
        let doc = scraper::Html::parse_document(body);
        let sel = scraper::Selector::parse("[data-reward]").unwrap();
        doc.select(&sel)
            .map(|e| {
                e.value()
                    .attr("data-reward")
                    .unwrap()
                    .parse::<i64>()
                    .unwrap()
            })
            .collect::<Vec<_>>()
    };
    let id = |r: &Reward| i64::from(r.id);
    assert_eq!(
        shown(&page.body),
        vec![id(&open), id(&mine), id(&pricey)],
        "cheapest first, only what is offered to Léa"
    );
    assert!(page.body.contains("400 points missing"), "{}", page.body);
    for hidden in [&future, &past, &inactive, &elsewhere] {
        assert_eq!(
            s.client
                .get(&format!("/rewards/{}", hidden.id))
                .await
                .status,
            404,
            "{}",
            hidden.code
        );
    }
    // Filters, search and sort.
    let within = s.client.get("/rewards?within=1").await;
    assert_eq!(shown(&within.body), vec![id(&open), id(&mine)]);
    let dearest = s.client.get("/rewards?sort=-points").await;
    assert_eq!(shown(&dearest.body)[0], id(&pricey));
    let searched = s.client.get("/rewards?q=espresso").await;
    assert_eq!(shown(&searched.body), vec![id(&pricey)]);
    let trips = s.client.get("/rewards?category=Trips").await;
    assert_eq!(shown(&trips.body), vec![id(&mine)]);
    let none = s.client.get("/rewards?q=nothing-like-this").await;
    assert_eq!(none.texts("[data-testid=no-rewards]").len(), 1);
    // The wishlist.
    let wished = s
        .client
        .post_form(
            &format!("/rewards/{}/wish", pricey.id),
            &[("next", "/rewards?wished=1")],
        )
        .await;
    assert_eq!(wished.status, 303);
    assert_eq!(wished.location.as_deref(), Some("/rewards?wished=1"));
    let list = s.client.get("/rewards?wished=1").await;
    assert_eq!(shown(&list.body), vec![id(&pricey)]);
    assert!(list.body.contains("Added to your wishlist."));
    let unwished = s
        .client
        .post_form(&format!("/rewards/{}/wish", pricey.id), &[])
        .await;
    assert_eq!(unwished.location, Some(format!("/rewards/{}", pricey.id)));
    assert!(shown(&s.client.get("/rewards?wished=1").await.body).is_empty());
    // A reward's page says what is missing.
    let page = s.client.get(&format!("/rewards/{}", pricey.id)).await;
    assert_eq!(
        page.texts("[data-testid=missing]"),
        vec!["400 points missing"]
    );
}

#[actix_web::test]
async fn another_tenants_rewards_and_orders_are_not_found_on_any_route() {
    let app = spawn_app().await;
    let acme = shop(&app, "acme").await;
    let other = shop(&app, "other").await;
    earn(&app, &other.tenant, &other.lea, 1000);
    let theirs = reward(&app, &other.tenant, "THEIRS", |_| {});
    let key = app
        .storage()
        .put_blocking(
            other.tenant.tenant_id(),
            "png",
            crate::common::PNG_1X1.to_vec(),
        )
        .unwrap();
    catalog::attach_image(
        &mut app.conn(),
        other.tenant.tenant_id(),
        &actor(),
        theirs.id,
        1,
        (&key, "image/png", crate::common::PNG_1X1.len() as i64),
    )
    .unwrap();
    let token = form_token(&other.client, theirs.id).await;
    let placed = redeem(&other.client, theirs.id, &token, "1", &[]).await;
    assert_eq!(placed.status, 303);
    let order = order_of(placed.location.as_deref().unwrap());
    // Their own participant sees all of it.
    assert_eq!(
        other
            .client
            .get(&format!("/rewards/{}/images/1", theirs.id))
            .await
            .status,
        200
    );

    earn(&app, &acme.tenant, &acme.lea, 1000);
    let c = &acme.client;
    let id = theirs.id;
    assert_eq!(c.get(&format!("/rewards/{id}")).await.status, 404);
    assert_eq!(c.get(&format!("/rewards/{id}/images/1")).await.status, 404);
    let token = relais::services::once::new_token();
    assert_eq!(redeem(c, id, &token, "1", &[]).await.status, 404);
    assert_eq!(
        c.post_form(&format!("/rewards/{id}/wish"), &[])
            .await
            .status,
        404
    );
    assert_eq!(c.get(&format!("/orders/{order}")).await.status, 404);
    assert_eq!(
        c.post_form(&format!("/orders/{order}/cancel"), &[])
            .await
            .status,
        404
    );
    assert_eq!(orders_count(&app), 1, "nothing written for Acme");
    assert_eq!(balance(&app, &acme.tenant, &acme.lea), (1000, 0));
    // Their staff may fetch the image (the studio links to it); another participant of
    // their own tenant who is not offered the reward may not.
    let staff = app.client(&app.host(&other.tenant));
    assert_eq!(staff.login(&other.admin.email, PASSWORD).await.status, 303);
    assert_eq!(
        staff.get(&format!("/rewards/{id}/images/1")).await.status,
        200
    );
    assert_eq!(
        staff.get(&format!("/orders/{order}")).await.status,
        404,
        "an order page is its participant's"
    );
}

#[actix_web::test]
async fn redeeming_holds_the_points_and_the_order_appears_in_the_history() {
    let app = spawn_app().await;
    let s = shop(&app, "acme").await;
    earn(&app, &s.tenant, &s.lea, 1000);
    let headphones = reward(&app, &s.tenant, "PHONES", |r| {
        r.name = "Headphones".into();
        r.stock = "5".into();
        r.max_per_participant = "3".into();
    });
    let page = s.client.get(&format!("/rewards/{}", headphones.id)).await;
    assert_eq!(page.texts("[data-testid=stock]"), vec!["5 left"]);
    assert_eq!(
        page.texts("[data-testid=left-for-me]"),
        vec!["You may still order 3 of 3"]
    );
    let token = page.input_value("form_token").unwrap();
    let placed = redeem(&s.client, headphones.id, &token, "2", &[]).await;
    assert_eq!(placed.status, 303, "{}", placed.body);
    let location = placed.location.unwrap();
    let order = order_of(&location);
    assert_eq!(balance(&app, &s.tenant, &s.lea), (400, 600));

    let page = s.client.get(&location).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Order placed — awaiting approval."));
    assert_eq!(
        page.texts("[data-testid=order-status]"),
        vec!["Awaiting approval"]
    );
    assert!(page.body.contains("2 × Headphones"));
    assert!(page.texts("[data-testid=address]")[0].contains("12 rue de la Paix"));
    assert_eq!(page.texts("[data-testid=cancel]").len(), 1);
    let list = s.client.get("/orders").await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains(&format!("data-order=\"{order}\"")));
    // The stock and the participant's allowance went down; the address is remembered.
    let page = s.client.get(&format!("/rewards/{}", headphones.id)).await;
    assert_eq!(page.texts("[data-testid=stock]"), vec!["3 left"]);
    assert_eq!(
        page.texts("[data-testid=left-for-me]"),
        vec!["You may still order 1 of 3"]
    );
    assert_eq!(
        page.input_value("address_line1").as_deref(),
        Some("12 rue de la Paix")
    );
    // Shipped with tracking: the order page says so.
    review::approve(
        &mut app.conn(),
        s.tenant.tenant_id(),
        &s.admin,
        order,
        Utc::now(),
    )
    .unwrap();
    let line: i64 = reward_order_lines::table
        .select(reward_order_lines::id)
        .first(&mut app.conn())
        .unwrap();
    fulfil::step(
        &mut app.conn(),
        s.tenant.tenant_id(),
        &s.admin,
        line.into(),
        Step::Ship,
        &fulfil::StepInput {
            carrier: "Colissimo".into(),
            tracking_number: "6A12345678901".into(),
            reason: String::new(),
        },
        Utc::now(),
    )
    .unwrap();
    let page = s.client.get(&location).await;
    assert_eq!(
        page.texts("[data-testid=tracking]")[0].split(" (").next(),
        Some("Shipped by Colissimo, tracking number 6A12345678901")
    );
    assert!(page.texts("[data-testid=cancel]").is_empty());
    assert_eq!(balance(&app, &s.tenant, &s.lea), (400, 0));
}

/// A refused form: the quantity, the fields that replace the address's, the field
/// named and its message.
type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str, &'a str);

#[actix_web::test]
async fn bad_input_is_refused_next_to_its_field_and_nothing_is_written() {
    let app = spawn_app().await;
    let s = shop(&app, "acme").await;
    earn(&app, &s.tenant, &s.lea, 1000);
    let bag = reward(&app, &s.tenant, "BAG", |r| {
        r.max_per_participant = "2".into();
    });
    let token = form_token(&s.client, bag.id).await;
    let cases: &[Case] = &[
        ("0", &[], "quantity", "Enter at least 1 unit."),
        ("-1", &[], "quantity", "Enter at least 1 unit."),
        ("abc", &[], "quantity", "Enter a whole number of units."),
        ("", &[], "quantity", "This field is required."),
        (
            "3",
            &[],
            "quantity",
            "That is more than a participant may order of this reward.",
        ),
        (
            "1",
            &[("address_name", " ")],
            "address_name",
            "This field is required.",
        ),
        (
            "1",
            &[("address_postcode", "")],
            "address_postcode",
            "This field is required.",
        ),
        (
            "1",
            &[("address_phone", "call me <maybe>")],
            "address_phone",
            "A phone number has only digits, spaces and + - ( ) .",
        ),
    ];
    for (quantity, extra, field, message) in cases {
        let page = redeem(&s.client, bag.id, &token, quantity, extra).await;
        assert_eq!(page.status, 422, "{quantity} {extra:?}");
        assert_eq!(
            page.texts(&format!("[data-field={field}]")),
            vec![message.to_string()],
            "{quantity} {extra:?}"
        );
        assert_eq!(
            page.input_value("form_token").as_deref(),
            Some(token.as_str()),
            "the same form, corrected, is still one order"
        );
        assert_eq!(page.input_value("quantity").as_deref(), Some(*quantity));
    }
    // Not enough points (the maximum aside).
    let watch = reward(&app, &s.tenant, "WATCH", |r| r.points = "600".into());
    let token2 = form_token(&s.client, watch.id).await;
    let page = redeem(&s.client, watch.id, &token2, "2", &[]).await;
    assert_eq!(page.status, 422);
    assert_eq!(
        page.texts("[data-field=quantity]"),
        vec!["You do not have enough points for that quantity."]
    );
    // Out of stock.
    let last = reward(&app, &s.tenant, "LAST", |r| r.stock = "1".into());
    let token3 = form_token(&s.client, last.id).await;
    let page = redeem(&s.client, last.id, &token3, "2", &[]).await;
    assert_eq!(page.status, 422);
    assert_eq!(
        page.texts("[data-field=quantity]"),
        vec!["There is not enough stock left for that quantity."]
    );
    assert_eq!(orders_count(&app), 0);
    assert_eq!(balance(&app, &s.tenant, &s.lea), (1000, 0));
    // The reward's window closes between the page and the form: back to the catalog.
    diesel::update(relais::db::schema::rewards::table)
        .filter(relais::db::schema::rewards::id.eq(i64::from(bag.id)))
        .set(
            relais::db::schema::rewards::available_until
                .eq(Some(Zone::UTC.today(Utc::now()) - Duration::days(1))),
        )
        .execute(&mut app.conn())
        .unwrap();
    let page = redeem(&s.client, bag.id, &token, "1", &[]).await;
    assert_eq!(page.status, 303);
    assert_eq!(page.location.as_deref(), Some("/rewards"));
    let catalog = s.client.get("/rewards").await;
    assert!(catalog.body.contains("This reward is no longer offered."));
    assert_eq!(orders_count(&app), 0);
    // Corrected, the first form goes through once.
    let token = form_token(&s.client, last.id).await;
    assert_eq!(
        redeem(&s.client, last.id, &token, "1", &[]).await.status,
        303
    );
    assert_eq!(orders_count(&app), 1);
}

#[actix_web::test]
async fn the_same_form_sent_twice_makes_one_order() {
    let app = spawn_app().await;
    let s = shop(&app, "acme").await;
    earn(&app, &s.tenant, &s.lea, 1000);
    let mug = reward(&app, &s.tenant, "MUG", |r| r.points = "100".into());
    let token = form_token(&s.client, mug.id).await;
    let (first, second) = futures_util::join!(
        redeem(&s.client, mug.id, &token, "2", &[]),
        redeem(&s.client, mug.id, &token, "2", &[])
    );
    assert_eq!(first.status, 303);
    assert_eq!(second.status, 303);
    assert_eq!(
        first.location, second.location,
        "both answered with the one order"
    );
    let third = redeem(&s.client, mug.id, &token, "2", &[]).await;
    assert_eq!(third.location, first.location);
    assert_eq!(orders_count(&app), 1);
    assert_eq!(balance(&app, &s.tenant, &s.lea), (800, 200));
}

#[actix_web::test]
async fn a_waiting_order_can_be_cancelled_and_its_points_come_back() {
    let app = spawn_app().await;
    let s = shop(&app, "acme").await;
    earn(&app, &s.tenant, &s.lea, 1000);
    let tour = reward(&app, &s.tenant, "TOUR", |r| {
        r.kind = "experience".into();
        r.stock = "4".into();
    });
    let token = form_token(&s.client, tour.id).await;
    let placed = redeem(&s.client, tour.id, &token, "2", &[]).await;
    let location = placed.location.unwrap();
    let order = order_of(&location);
    assert_eq!(balance(&app, &s.tenant, &s.lea), (400, 600));

    let cancelled = s
        .client
        .post_form(&format!("/orders/{order}/cancel"), &[])
        .await;
    assert_eq!(cancelled.status, 303);
    assert_eq!(cancelled.location.as_deref(), Some(location.as_str()));
    assert_eq!(balance(&app, &s.tenant, &s.lea), (1000, 0));
    let page = s.client.get(&location).await;
    assert!(page.body.contains("Your order is cancelled"));
    assert_eq!(page.texts("[data-testid=order-status]"), vec!["Cancelled"]);
    assert!(page.texts("[data-testid=cancel]").is_empty());
    let stock: Option<i32> =
        relais::db::rewards::find(&mut app.conn(), s.tenant.tenant_id(), tour.id)
            .unwrap()
            .stock;
    assert_eq!(stock, Some(4), "stock restored");
    // Cancelled again (a second tab): refused with a message, nothing moves.
    let again = s
        .client
        .post_form(&format!("/orders/{order}/cancel"), &[])
        .await;
    assert_eq!(again.status, 409);
    assert_eq!(
        again.texts("[data-testid=refusal]"),
        vec!["This order has already been decided: it can no longer be changed."]
    );
    assert_eq!(balance(&app, &s.tenant, &s.lea), (1000, 0));
    // An approved order cannot be cancelled either.
    let token = form_token(&s.client, tour.id).await;
    let placed = redeem(&s.client, tour.id, &token, "1", &[]).await;
    let order = order_of(placed.location.as_deref().unwrap());
    review::approve(
        &mut app.conn(),
        s.tenant.tenant_id(),
        &s.admin,
        order,
        Utc::now(),
    )
    .unwrap();
    let refused = s
        .client
        .post_form(&format!("/orders/{order}/cancel"), &[])
        .await;
    assert_eq!(refused.status, 409);
    assert_eq!(balance(&app, &s.tenant, &s.lea), (700, 0));
    // Another participant's order is not found.
    let tom = app.create_user(&s.tenant, Role::Participant, "tom@acme.example", "Tom");
    let tom_client = app.client(&app.host(&s.tenant));
    tom_client.login(&tom.email, PASSWORD).await;
    assert_eq!(
        tom_client.get(&format!("/orders/{order}")).await.status,
        404
    );
    assert_eq!(
        tom_client
            .post_form(&format!("/orders/{order}/cancel"), &[])
            .await
            .status,
        404
    );
}

#[actix_web::test]
async fn voucher_codes_show_on_the_participants_order_page_only() {
    let app = spawn_app().await;
    let s = shop(&app, "acme").await;
    let tid = s.tenant.tenant_id();
    earn(&app, &s.tenant, &s.lea, 1000);
    let gift = reward(&app, &s.tenant, "GIFT", |r| {
        r.name = "Gift card".into();
        r.kind = "voucher".into();
        r.points = "200".into();
    });
    let added = catalog::import_codes(
        &mut app.conn(),
        tid,
        &actor(),
        gift.id,
        b"code\nGIFT-AAAA-0001\nGIFT-AAAA-0002\n",
        Utc::now(),
    )
    .unwrap()
    .unwrap();
    assert_eq!(added, 2);
    // The tenant approves orders under 500 points by itself.
    relais::db::rewards::orders::put_auto_approve_below(
        &mut app.conn(),
        tid,
        Some(500),
        Utc::now(),
    )
    .unwrap();
    let token = form_token(&s.client, gift.id).await;
    let page = s.client.get(&format!("/rewards/{}", gift.id)).await;
    assert!(
        page.input_value("address_line1").is_none(),
        "no address for a voucher"
    );
    let placed = redeem(&s.client, gift.id, &token, "1", &[]).await;
    assert_eq!(placed.status, 303, "{}", placed.body);
    let location = placed.location.unwrap();
    let order = order_of(&location);
    let page = s.client.get(&location).await;
    assert!(page.body.contains("Order placed and approved."));
    assert_eq!(page.texts("[data-testid=order-status]"), vec!["Approved"]);
    assert_eq!(page.texts("code.voucher-code"), vec!["GIFT-AAAA-0001"]);
    assert_eq!(balance(&app, &s.tenant, &s.lea), (800, 0));

    // Nowhere else: not in the catalog, the reward's page, nor the admins' view.
    for path in ["/rewards".to_string(), format!("/rewards/{}", gift.id)] {
        assert!(!s.client.get(&path).await.body.contains("GIFT-AAAA-0001"));
    }
    let admin_view = views::admin_order(&mut app.conn(), tid, order).unwrap();
    assert!(!serde_json::to_string(&admin_view)
        .unwrap()
        .contains("GIFT-AAAA"));
    let tom = app.create_user(&s.tenant, Role::Participant, "tom@acme.example", "Tom");
    let tom_client = app.client(&app.host(&s.tenant));
    tom_client.login(&tom.email, PASSWORD).await;
    let seen = tom_client.get(&format!("/orders/{order}")).await;
    assert_eq!(seen.status, 404);
    assert!(!seen.body.contains("GIFT-AAAA"));
}

/// Every order e-mail in every language: its subject, its lines, codes and tracking.
#[actix_web::test]
async fn the_order_emails_render_in_every_language() {
    use relais::services::email::EmailMessage;
    let app = spawn_app().await;
    let (tenant, _) = app.create_tenant("acme", "Acme");
    let templates = relais::templates::load(&app.settings).unwrap();
    let args = serde_json::json!({
        "order": 42, "points": 1200, "reason": "Out of print",
        "lines": [{ "name": "Headphones", "quantity": 2 }], "codes": ["GIFT-AAAA-0001"],
        "reward": "Headphones", "quantity": 2, "carrier": "Colissimo",
        "tracking_number": "6A12345678901",
    });
    use relais::services::rewards::notify::{APPROVED, DELIVERED, REFUNDED, REJECTED, SHIPPED};
    for template in [APPROVED, REJECTED, SHIPPED, DELIVERED, REFUNDED] {
        for locale in Locale::ALL {
            let message = EmailMessage {
                to: "lea@acme.example".into(),
                to_name: "Léa".into(),
                locale,
                template: template.to_string(),
                link_path: Some("/orders/42".into()),
                args: args.clone(),
            };
            let email = relais::email::render::render(&templates, &app.settings, &tenant, &message)
                .unwrap_or_else(|e| panic!("{template} {locale:?}: {e}"));
            let lang = locale.as_str();
            for part in [&email.html, &email.text] {
                assert!(part.contains("Headphones"), "{template} {lang}");
                assert!(
                    !part.contains("email-order"),
                    "{template} {lang}: a key shown"
                );
            }
            assert!(email.text.contains("/orders/42"), "{template} {lang}");
            assert!(email.subject.starts_with("Acme"), "{template} {lang}");
            match template {
                "order_approved" => assert!(email.text.contains("GIFT-AAAA-0001")),
                "order_shipped" => assert!(email.html.contains("6A12345678901")),
                "order_rejected" | "order_refunded" => {
                    assert!(email.text.contains("Out of print"))
                }
                _ => {}
            }
        }
    }
}

/// axe-core's serious violations and sideways scrolling of the page shown.
async fn judge(browser: &crate::common::browser::Browser, what: &str, problems: &mut Vec<String>) {
    for v in browser.axe_violations().await {
        problems.push(format!("{what}: {v}"));
    }
    for o in browser.overflow().await {
        problems.push(format!("{what}: {o}"));
    }
}

/// In Chromium at 390 px: the catalog with cards, a physical reward's page, its form
/// refused and then sent, and the order's page — each without a serious accessibility
/// violation and without sideways scrolling.
#[actix_web::test]
async fn a_participant_redeems_in_a_browser_on_a_phone() {
    use crate::common::browser::{submit_login, Browser};
    use thirtyfour::prelude::*;

    let app = spawn_app().await;
    let s = shop(&app, "acme").await;
    let tid = s.tenant.tenant_id();
    earn(&app, &s.tenant, &s.lea, 5000);
    let lamp = reward(&app, &s.tenant, "LAMP", |r| {
        r.name = "Desk lamp with a rather long name that has to wrap on a phone".into();
        r.description = "Warm light.\nTwo brightness levels.".into();
        r.stock = "10".into();
        r.max_per_participant = "2".into();
    });
    let image = image::RgbImage::from_pixel(800, 600, image::Rgb([200, 120, 40]));
    let mut png = std::io::Cursor::new(Vec::new());
    image.write_to(&mut png, image::ImageFormat::Png).unwrap();
    let jpeg = catalog::resize_image(&png.into_inner()).unwrap();
    let size = jpeg.len() as i64;
    let key = app.storage().put_blocking(tid, "jpg", jpeg).unwrap();
    catalog::attach_image(
        &mut app.conn(),
        tid,
        &actor(),
        lamp.id,
        1,
        (&key, "image/jpeg", size),
    )
    .unwrap();
    reward(&app, &s.tenant, "DONATE", |r| {
        r.name = "A donation to the food bank".into();
        r.kind = "donation".into();
        r.category = "Giving".into();
        r.points = "9000".into();
    });

    let browser = Browser::start(390, 844).await;
    let d = &browser.driver;
    let host = app.host(&s.tenant);
    d.goto(app.url(&host, "/login")).await.unwrap();
    submit_login(d, &s.lea.email, PASSWORD).await;
    d.find(By::Css("[data-testid=logout]")).await.unwrap();
    let mut problems = Vec::new();
    d.goto(app.url(&host, "/rewards")).await.unwrap();
    assert_eq!(d.find_all(By::Css("[data-reward]")).await.unwrap().len(), 2);
    judge(&browser, "/rewards", &mut problems).await;

    d.goto(app.url(&host, &format!("/rewards/{}", lamp.id)))
        .await
        .unwrap();
    judge(&browser, "a reward", &mut problems).await;
    let quantity = d.find(By::Id("quantity")).await.unwrap();
    quantity.clear().await.unwrap();
    quantity.send_keys("3").await.unwrap();
    for (field, value) in ADDRESS {
        if !value.is_empty() {
            d.find(By::Id(*field))
                .await
                .unwrap()
                .send_keys(*value)
                .await
                .unwrap();
        }
    }
    d.find(By::Css("[data-testid=redeem]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let error = d.find(By::Css("[data-field=quantity]")).await.unwrap();
    assert_eq!(
        error.text().await.unwrap(),
        "That is more than a participant may order of this reward."
    );
    judge(&browser, "a refused form", &mut problems).await;
    let quantity = d.find(By::Id("quantity")).await.unwrap();
    quantity.clear().await.unwrap();
    quantity.send_keys("2").await.unwrap();
    d.find(By::Css("[data-testid=redeem]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let status = d.find(By::Css("[data-testid=order-status]")).await.unwrap();
    assert_eq!(status.text().await.unwrap(), "Awaiting approval");
    judge(&browser, "an order", &mut problems).await;
    d.goto(app.url(&host, "/orders")).await.unwrap();
    judge(&browser, "/orders", &mut problems).await;
    assert_eq!(orders_count(&app), 1);
    browser.quit().await;
    assert!(problems.is_empty(), "{problems:#?}");
}

#[actix_web::test]
async fn the_order_history_pages_by_twenty_and_offers_next_only_when_there_is_more() {
    let app = spawn_app().await;
    let s = shop(&app, "pages").await;
    let tid = s.tenant.tenant_id();
    earn(&app, &s.tenant, &s.lea, 100_000);
    let pen = reward(&app, &s.tenant, "PEN", |r| {
        r.kind = "experience".into();
        r.points = "10".into();
    });
    let order = |n: usize| {
        for _ in 0..n {
            relais::services::rewards::redeem::redeem(
                &mut app.conn(),
                tid,
                &s.lea,
                pen.id,
                &relais::services::rewards::redeem::RedeemInput {
                    quantity: "1".into(),
                    ..Default::default()
                },
                chrono::Utc::now(),
            )
            .unwrap();
        }
    };
    order(20);
    let first = s.client.get("/orders").await;
    assert_eq!(first.texts("[data-order]").len(), 20);
    assert!(
        first.texts("a[rel=next]").is_empty(),
        "exactly one page: no next"
    );
    order(1);
    let first = s.client.get("/orders").await;
    assert_eq!(first.texts("[data-order]").len(), 20);
    assert_eq!(first.texts("a[rel=next]").len(), 1);
    let second = s.client.get("/orders?page=2").await;
    assert_eq!(second.texts("[data-order]").len(), 1);
    assert!(second.texts("a[rel=next]").is_empty());
    assert_eq!(second.texts("a[rel=prev]").len(), 1);
}
