//! The reward catalog in the studio (form refusals next to their fields, images checked
//! by content, e-voucher code pools imported whole or not at all, generated codes) and
//! the admins' orders (queue, approve, reject, bulk approve, fulfilment line by line,
//! refunds, the fulfilment file out and its tracking numbers back, all or nothing),
//! each tenant seeing only its own.

use std::io::Cursor;

use chrono::Utc;
use diesel::prelude::*;
use relais::db::rewards::orders::Line;
use relais::db::schema::{reward_codes, reward_images, reward_order_lines, rewards};
use relais::db::tenants::Tenant;
use relais::db::users::User;
use relais::domain::ledger::{Cause, CauseType, Points};
use relais::domain::{OrderId, OrderLineId, RewardId, Role};
use relais::services::audit::Actor;
use relais::services::ledger::{self, Meta};
use relais::services::rewards::catalog::{self as rewards_catalog, RewardInput};
use relais::services::rewards::redeem::{redeem, AddressFields, RedeemInput};
use reqwest::multipart::Part;

use super::declarations::support::{add_participant, add_partner, balance, field_error};
use crate::common::{self, spawn_app, TestApp, TestClient, PASSWORD};

struct Shop {
    tenant: Tenant,
    participant: User,
    marketer: TestClient,
    admin: TestClient,
}

async fn shop(app: &TestApp, slug: &str) -> Shop {
    let (tenant, admin) = app.create_tenant(slug, &format!("{slug} brand"));
    let partner = add_partner(app, &tenant, "PH-75-0012", "Île-de-France");
    let email = format!("lea@{slug}.example");
    let participant = add_participant(app, &tenant, partner, &email, "Léa");
    let host = app.host(&tenant);
    let m_email = format!("hugo@{slug}.example");
    app.create_user(&tenant, Role::Marketer, &m_email, "Hugo");
    let marketer = app.client(&host);
    assert_eq!(marketer.login(&m_email, PASSWORD).await.status, 303);
    let admin_client = app.client(&host);
    assert_eq!(admin_client.login(&admin.email, PASSWORD).await.status, 303);
    Shop {
        tenant,
        participant,
        marketer,
        admin: admin_client,
    }
}

/// A reward made through the service (the studio's form is tested on its own).
fn add_reward(
    app: &TestApp,
    s: &Shop,
    code: &str,
    kind: &str,
    points: i64,
    stock: &str,
) -> RewardId {
    let input = RewardInput {
        code: code.into(),
        name: format!("Reward {code}"),
        category: "Gifts".into(),
        kind: kind.into(),
        points: points.to_string(),
        stock: stock.into(),
        ..RewardInput::default()
    };
    rewards_catalog::create(
        &mut app.conn(),
        s.tenant.tenant_id(),
        &Actor::system("test"),
        &input,
    )
    .unwrap()
    .id
}

fn earn(app: &TestApp, s: &Shop, points: i64, key: &str) {
    let meta = Meta::new(key, Utc::now())
        .cause(Cause {
            kind: CauseType::Manual,
            id: None,
        })
        .reason("Bonus");
    ledger::earn(
        &mut app.conn(),
        s.tenant.tenant_id(),
        s.participant.user_id(),
        Points(points),
        &meta,
    )
    .unwrap();
}

/// The participant orders `quantity` units (with a delivery address).
fn order(app: &TestApp, s: &Shop, reward: RewardId, quantity: &str) -> OrderId {
    let input = RedeemInput {
        quantity: quantity.into(),
        address: AddressFields {
            address_name: "Léa Martin".into(),
            address_line1: "12 rue de la Paix".into(),
            address_postcode: "75002".into(),
            address_city: "Paris".into(),
            address_country: "France".into(),
            ..AddressFields::default()
        },
        form_token: relais::services::once::new_token(),
    };
    redeem(
        &mut app.conn(),
        s.tenant.tenant_id(),
        &s.participant,
        reward,
        &input,
        Utc::now(),
    )
    .unwrap()
    .order
}

fn lines_of(app: &TestApp, order: OrderId) -> Vec<Line> {
    reward_order_lines::table
        .filter(reward_order_lines::order_id.eq(order))
        .order(reward_order_lines::id)
        .select(Line::as_select())
        .load(&mut app.conn())
        .unwrap()
}

fn line_of(app: &TestApp, order: OrderId) -> Line {
    lines_of(app, order).remove(0)
}

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(w, h, image::Rgb([40, 120, 200]));
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

fn count_rewards(app: &TestApp) -> i64 {
    rewards::table.count().get_result(&mut app.conn()).unwrap()
}

fn reward_stock(app: &TestApp, id: RewardId) -> Option<i32> {
    rewards::table
        .filter(rewards::id.eq(id))
        .select(rewards::stock)
        .first(&mut app.conn())
        .unwrap()
}

fn count_codes(app: &TestApp, id: RewardId) -> i64 {
    reward_codes::table
        .filter(reward_codes::reward_id.eq(id))
        .count()
        .get_result(&mut app.conn())
        .unwrap()
}

async fn post_new_reward(s: &Shop, fields: &[(&str, &str)]) -> common::Page {
    let form = s.marketer.get("/studio/rewards/new").await;
    assert_eq!(form.status, 200);
    let token = form.input_value("form_token").unwrap();
    let mut all = fields.to_vec();
    all.push(("form_token", &token));
    s.marketer.post_form("/studio/rewards", &all).await
}

#[actix_web::test]
async fn the_studio_form_refuses_bad_input_next_to_each_field_and_writes_nothing() {
    let app = spawn_app().await;
    let s = shop(&app, "form").await;
    let page = post_new_reward(
        &s,
        &[
            ("code", "GIFT-1"),
            ("name", ""),
            ("category", "Gifts"),
            ("kind", "yacht"),
            ("points", "-5"),
            ("stock", "lots"),
            ("max_per_participant", "0"),
            ("available_from", "2026-05-10"),
            ("available_until", "2026-05-01"),
        ],
    )
    .await;
    assert_eq!(page.status, 422);
    assert!(!field_error(&page, "name").is_empty());
    assert_eq!(field_error(&page, "kind"), "Choose the type of reward.");
    assert!(field_error(&page, "points").contains("1 to 100,000,000"));
    assert!(field_error(&page, "stock").contains("0 to 1,000,000"));
    assert!(field_error(&page, "max_per_participant").contains("1 to 1,000"));
    assert_eq!(
        field_error(&page, "available_until"),
        "The end date comes before the start date."
    );
    assert_eq!(count_rewards(&app), 0);
}

#[actix_web::test]
async fn a_marketer_creates_edits_lists_and_exports_rewards() {
    let app = spawn_app().await;
    let s = shop(&app, "create").await;
    let page = post_new_reward(
        &s,
        &[
            ("code", "MUG-1"),
            ("name", "Branded mug"),
            ("description", "A mug with the logo."),
            ("category", "Kitchen"),
            ("kind", "physical"),
            ("points", "450"),
            ("stock", "20"),
            ("max_per_participant", "2"),
            ("available_from", ""),
            ("available_until", ""),
        ],
    )
    .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let location = page.location.unwrap();
    assert!(location.starts_with("/studio/rewards/"));
    let edit = s.marketer.get(&location).await;
    assert_eq!(edit.status, 200);
    assert_eq!(edit.input_value("name").as_deref(), Some("Branded mug"));
    // A second reward with the same code is refused next to the code.
    let taken = post_new_reward(
        &s,
        &[
            ("code", "MUG-1"),
            ("name", "Another mug"),
            ("category", "Kitchen"),
            ("kind", "physical"),
            ("points", "10"),
        ],
    )
    .await;
    assert_eq!(taken.status, 422);
    assert_eq!(
        field_error(&taken, "code"),
        "Another reward already has this code."
    );
    let saved = s
        .marketer
        .post_form(
            &location,
            &[
                ("code", "MUG-1"),
                ("name", "Branded mug XL"),
                ("category", "Kitchen"),
                ("kind", "physical"),
                ("points", "500"),
                ("stock", ""),
            ],
        )
        .await;
    assert_eq!(saved.status, 303);
    // Bad input on edit: 422 with the page's extras still there.
    let bad = s
        .marketer
        .post_form(
            &location,
            &[
                ("code", "MUG-1"),
                ("name", "Branded mug XL"),
                ("category", "Kitchen"),
                ("kind", "physical"),
                ("points", "many"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(!field_error(&bad, "points").is_empty());
    assert!(bad.body.contains("id=\"images\""));
    add_reward(&app, &s, "CINE-1", "voucher", 300, "");
    let list = s.marketer.get("/studio/rewards?kind=physical").await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains("Branded mug XL"));
    assert!(list.body.contains("Unlimited"));
    assert!(!list.body.contains("Reward CINE-1"));
    let all = s.marketer.get("/studio/rewards?sort=-points").await;
    assert!(all.body.contains("Reward CINE-1"));
    let csv = s.marketer.get("/studio/rewards.csv?kind=voucher").await;
    assert_eq!(csv.status, 200);
    let mut rows = csv.body.lines();
    assert!(rows
        .next()
        .unwrap()
        .starts_with("code,name,description,category,kind,points"));
    assert_eq!(rows.count(), 1);
    // The studio's home and the category order.
    let studio = s.marketer.get("/studio").await;
    assert!(studio.texts(".tile h2").contains(&"Rewards".to_string()));
    let order = s
        .marketer
        .post_form(
            "/studio/rewards/category-order",
            &[("category_order", "Kitchen\nGifts\n")],
        )
        .await;
    assert_eq!(order.status, 303);
    let list = s.marketer.get("/studio/rewards").await;
    assert!(list.body.contains("Kitchen\nGifts"));
}

#[actix_web::test]
async fn images_are_checked_by_content_and_replaced_per_position() {
    let app = spawn_app().await;
    let s = shop(&app, "images").await;
    let id = add_reward(&app, &s, "MUG-1", "physical", 100, "5");
    let images = || -> i64 {
        reward_images::table
            .filter(reward_images::reward_id.eq(id))
            .count()
            .get_result(&mut app.conn())
            .unwrap()
    };
    let form = s.marketer.multipart_form().await.part(
        "file",
        Part::bytes(b"%PDF-1.4 not an image".to_vec()).file_name("mug.png"),
    );
    let refused = s
        .marketer
        .post_multipart(&format!("/studio/rewards/{id}/images/1"), form)
        .await;
    assert_eq!(refused.status, 422);
    assert_eq!(
        field_error(&refused, "image"),
        "Only JPEG, PNG or WebP images are accepted."
    );
    assert_eq!(images(), 0);
    let form = s
        .marketer
        .multipart_form()
        .await
        .part("file", Part::bytes(png(2400, 1200)).file_name("mug.png"));
    let page = s
        .marketer
        .post_multipart(&format!("/studio/rewards/{id}/images/1"), form)
        .await;
    assert_eq!(page.status, 303);
    assert_eq!(images(), 1);
    let content_type: String = reward_images::table
        .filter(reward_images::reward_id.eq(id))
        .select(reward_images::content_type)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(content_type, "image/jpeg");
    let edit = s.marketer.get(&format!("/studio/rewards/{id}")).await;
    assert!(edit
        .body
        .contains(&format!("src=\"/rewards/{id}/images/1\"")));
    let form = s
        .marketer
        .multipart_form()
        .await
        .part("file", Part::bytes(png(10, 10)).file_name("mug.png"));
    let beyond = s
        .marketer
        .post_multipart(&format!("/studio/rewards/{id}/images/5"), form)
        .await;
    assert_eq!(beyond.status, 422);
    assert_eq!(field_error(&beyond, "image"), "A reward has images 1 to 4.");
    let removed = s
        .marketer
        .post_form(&format!("/studio/rewards/{id}/images/1/delete"), &[])
        .await;
    assert_eq!(removed.status, 303);
    assert_eq!(images(), 0);
}

#[actix_web::test]
async fn a_code_file_with_a_duplicate_is_refused_whole_and_codes_are_never_listed() {
    let app = spawn_app().await;
    let s = shop(&app, "codes").await;
    let id = add_reward(&app, &s, "CINE-1", "voucher", 300, "");
    let sr = &s;
    let upload = move |text: &'static str| async move {
        let form = sr.marketer.multipart_form().await.part(
            "file",
            Part::bytes(text.as_bytes().to_vec()).file_name("codes.csv"),
        );
        sr.marketer
            .post_multipart(&format!("/studio/rewards/{id}/codes"), form)
            .await
    };
    let refused = upload("code\nCINE-AAAA-1111\nCINE-BBBB-2222\nCINE-AAAA-1111\n").await;
    assert_eq!(refused.status, 422);
    let problems = refused.texts("[data-testid=code-problems] tbody tr");
    assert_eq!(problems.len(), 1);
    assert!(problems[0].starts_with('4'), "{problems:?}");
    assert!(problems[0].contains("appears earlier in the file"));
    assert_eq!(count_codes(&app, id), 0);
    assert_eq!(reward_stock(&app, id), Some(0));
    let added = upload("code\nCINE-AAAA-1111\nCINE-BBBB-2222\n").await;
    assert_eq!(added.status, 303);
    assert_eq!(count_codes(&app, id), 2);
    // A code already in the pool refuses the next file whole.
    let again = upload("CINE-CCCC-3333\nCINE-BBBB-2222\n").await;
    assert_eq!(again.status, 422);
    assert!(again.texts("[data-testid=code-problems] tbody tr")[0].starts_with('2'));
    assert_eq!(count_codes(&app, id), 2);
    let generated = s
        .marketer
        .post_form(
            &format!("/studio/rewards/{id}/codes/generate"),
            &[("count", "3")],
        )
        .await;
    assert_eq!(generated.status, 303);
    assert_eq!(count_codes(&app, id), 5);
    assert_eq!(reward_stock(&app, id), Some(5));
    let bad = s
        .marketer
        .post_form(
            &format!("/studio/rewards/{id}/codes/generate"),
            &[("count", "0")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(field_error(&bad, "count").contains("1 to 10,000"));
    let page = s.marketer.get(&format!("/studio/rewards/{id}")).await;
    assert_eq!(page.texts("[data-testid=codes-free]"), vec!["5"]);
    assert!(!page.body.contains("CINE-AAAA-1111"));
    assert_eq!(count_codes(&app, id), 5);
}

#[actix_web::test]
async fn a_marketer_cannot_reach_the_orders() {
    let app = spawn_app().await;
    let s = shop(&app, "roles").await;
    assert_eq!(s.marketer.get("/admin/orders").await.status, 403);
    assert_eq!(s.marketer.get("/admin/orders.csv").await.status, 403);
    assert_eq!(s.admin.get("/admin/orders").await.status, 200);
    let home = s.admin.get("/admin").await;
    assert!(home.texts(".tile h2").contains(&"Orders".to_string()));
}

#[actix_web::test]
async fn admins_approve_reject_and_bulk_approve_orders() {
    let app = spawn_app().await;
    let s = shop(&app, "decide").await;
    let mug = add_reward(&app, &s, "MUG-1", "physical", 100, "10");
    earn(&app, &s, 1000, "bonus-1");
    let (a, b, c, d) = (
        order(&app, &s, mug, "1"),
        order(&app, &s, mug, "2"),
        order(&app, &s, mug, "1"),
        order(&app, &s, mug, "1"),
    );
    assert_eq!(balance(&app, &s.tenant, &s.participant), 500);
    let queue = s.admin.get("/admin/orders").await;
    assert_eq!(queue.status, 200);
    assert_eq!(queue.texts("[data-testid=orders] tbody tr").len(), 4);
    // Rejecting needs a reason: said next to the field, nothing decided.
    let no_reason = s
        .admin
        .post_form(&format!("/admin/orders/{b}/reject"), &[("reason", " ")])
        .await;
    assert_eq!(no_reason.status, 422);
    assert!(!field_error(&no_reason, "reason").is_empty());
    let rejected = s
        .admin
        .post_form(
            &format!("/admin/orders/{b}/reject"),
            &[("reason", "Out of season"), ("back", "/admin/orders")],
        )
        .await;
    assert_eq!(rejected.status, 303);
    assert_eq!(rejected.location.as_deref(), Some("/admin/orders"));
    assert_eq!(balance(&app, &s.tenant, &s.participant), 700);
    assert_eq!(reward_stock(&app, mug), Some(7));
    let approved = s
        .admin
        .post_form(&format!("/admin/orders/{a}/approve"), &[])
        .await;
    assert_eq!(approved.status, 303);
    let page = s.admin.get(&format!("/admin/orders/{a}")).await;
    assert_eq!(
        page.texts("[data-testid=status]"),
        vec!["Approved".to_string()]
    );
    // Deciding again is refused with its reason, not a server error.
    let twice = s
        .admin
        .post_form(&format!("/admin/orders/{a}/approve"), &[])
        .await;
    assert_eq!(twice.status, 409);
    assert_eq!(twice.texts("[data-testid=refusal]").len(), 1);
    let late = s
        .admin
        .post_form(&format!("/admin/orders/{b}/reject"), &[("reason", "Again")])
        .await;
    assert_eq!(late.status, 409);
    let bulk = s
        .admin
        .post_form(
            "/admin/orders/approve",
            &[
                ("id", &c.to_string()),
                ("id", &d.to_string()),
                ("id", &a.to_string()),
                ("back", "/admin/orders"),
            ],
        )
        .await;
    assert_eq!(bulk.status, 303);
    let after = s.admin.get("/admin/orders").await;
    assert_eq!(
        after.texts("[data-testid=bulk-outcome]"),
        vec!["2 approved, 1 skipped (already decided, your own, or no code left).".to_string()]
    );
    assert!(after.texts("[data-testid=orders] tbody tr").is_empty());
    let all = s.admin.get("/admin/orders?status=approved").await;
    assert_eq!(all.texts("[data-testid=orders] tbody tr").len(), 3);
    let rejected_list = s.admin.get("/admin/orders?status=rejected").await;
    assert_eq!(
        rejected_list.texts("[data-testid=orders] tbody tr").len(),
        1
    );
    // The points of approved orders stay spent.
    assert_eq!(balance(&app, &s.tenant, &s.participant), 700);
}

#[actix_web::test]
async fn another_tenants_admin_finds_neither_orders_nor_rewards() {
    let app = spawn_app().await;
    let a = shop(&app, "alpha").await;
    let b = shop(&app, "beta").await;
    let mug = add_reward(&app, &a, "MUG-1", "physical", 100, "10");
    earn(&app, &a, 500, "bonus-a");
    let id = order(&app, &a, mug, "1");
    assert_eq!(
        b.admin.get(&format!("/admin/orders/{id}")).await.status,
        404
    );
    assert_eq!(
        b.admin.get(&format!("/studio/rewards/{mug}")).await.status,
        404
    );
    let approve = b
        .admin
        .post_form(&format!("/admin/orders/{id}/approve"), &[])
        .await;
    assert_eq!(approve.status, 404);
    let line = line_of(&app, id);
    let ship = b
        .admin
        .post_form(
            &format!("/admin/orders/{id}/lines/{}/ship", line.id),
            &[("carrier", "La Poste"), ("tracking_number", "6A123")],
        )
        .await;
    assert_eq!(ship.status, 404);
    let queue = b.admin.get("/admin/orders?status=all").await;
    assert!(queue.texts("[data-testid=orders] tbody tr").is_empty());
    let csv = b.admin.get("/admin/orders.csv?status=all").await;
    assert_eq!(csv.body.lines().count(), 1);
    assert_eq!(
        a.admin.get(&format!("/admin/orders/{id}")).await.status,
        200
    );
}

#[actix_web::test]
async fn a_line_is_shipped_with_tracking_then_delivered_and_a_refund_gives_the_points_back() {
    let app = spawn_app().await;
    let s = shop(&app, "ship").await;
    let mug = add_reward(&app, &s, "MUG-1", "physical", 100, "10");
    earn(&app, &s, 1000, "bonus-1");
    let first = order(&app, &s, mug, "2");
    let second = order(&app, &s, mug, "1");
    for id in [first, second] {
        let done = s
            .admin
            .post_form(&format!("/admin/orders/{id}/approve"), &[])
            .await;
        assert_eq!(done.status, 303);
    }
    let line = line_of(&app, first);
    let path = |step: &str| format!("/admin/orders/{first}/lines/{}/{step}", line.id);
    // Delivering before shipping is refused as a step, not a server error.
    let early = s.admin.post_form(&path("deliver"), &[]).await;
    assert_eq!(early.status, 409);
    assert_eq!(
        early.texts("[data-testid=refusal]"),
        vec!["This step is not possible from the line's current status.".to_string()]
    );
    let missing = s
        .admin
        .post_form(
            &path("ship"),
            &[("carrier", "La Poste"), ("tracking_number", "")],
        )
        .await;
    assert_eq!(missing.status, 422);
    assert!(!field_error(&missing, "tracking_number").is_empty());
    assert_eq!(line_of(&app, first).status, "processing");
    let shipped = s
        .admin
        .post_form(
            &path("ship"),
            &[("carrier", "La Poste"), ("tracking_number", "6A12345678")],
        )
        .await;
    assert_eq!(shipped.status, 303);
    let page = s.admin.get(&format!("/admin/orders/{first}")).await;
    assert!(
        page.texts(&format!("[data-testid=tracking-{}]", line.id))[0]
            .starts_with("Shipped by La Poste, tracking number 6A12345678")
    );
    assert!(page.body.contains("12 rue de la Paix"));
    let delivered = s.admin.post_form(&path("deliver"), &[]).await;
    assert_eq!(delivered.status, 303);
    assert_eq!(line_of(&app, first).status, "delivered");
    // A delivered line is final.
    let refund_late = s
        .admin
        .post_form(&path("refund"), &[("reason", "Broken")])
        .await;
    assert_eq!(refund_late.status, 409);
    // The second order is refunded: its points come back, its stock too.
    assert_eq!(balance(&app, &s.tenant, &s.participant), 700);
    let stock_before = reward_stock(&app, mug).unwrap();
    let other = line_of(&app, second);
    let refund_path = format!("/admin/orders/{second}/lines/{}/refund", other.id);
    let no_reason = s.admin.post_form(&refund_path, &[("reason", "")]).await;
    assert_eq!(no_reason.status, 422);
    assert!(!field_error(&no_reason, "reason").is_empty());
    let refunded = s
        .admin
        .post_form(&refund_path, &[("reason", "Out of stock at the supplier")])
        .await;
    assert_eq!(refunded.status, 303);
    assert_eq!(balance(&app, &s.tenant, &s.participant), 800);
    assert_eq!(reward_stock(&app, mug), Some(stock_before + 1));
    assert_eq!(line_of(&app, second).status, "refunded");
    // A line of another order is not found under this order.
    let wrong = s
        .admin
        .post_form(
            &format!("/admin/orders/{first}/lines/{}/refund", other.id),
            &[("reason", "x")],
        )
        .await;
    assert_eq!(wrong.status, 404);
}

async fn upload_tracking(s: &Shop, text: String) -> common::Page {
    let form = s.admin.multipart_form().await.part(
        "file",
        Part::bytes(text.into_bytes()).file_name("tracking.csv"),
    );
    s.admin.post_multipart("/admin/orders/tracking", form).await
}

#[actix_web::test]
async fn tracking_numbers_are_imported_all_or_nothing() {
    let app = spawn_app().await;
    let s = shop(&app, "tracking").await;
    let mug = add_reward(&app, &s, "MUG-1", "physical", 100, "10");
    earn(&app, &s, 1000, "bonus-1");
    let ids = [order(&app, &s, mug, "1"), order(&app, &s, mug, "1")];
    for id in ids {
        let done = s
            .admin
            .post_form(&format!("/admin/orders/{id}/approve"), &[])
            .await;
        assert_eq!(done.status, 303);
    }
    let lines: Vec<OrderLineId> = ids.iter().map(|o| line_of(&app, *o).id).collect();
    let refused = upload_tracking(
        &s,
        format!(
            "line,carrier,tracking_number\n{},La Poste,6A1\n999999,La Poste,6A2\n{},,6A3\n",
            lines[0], lines[1]
        ),
    )
    .await;
    assert_eq!(refused.status, 422);
    let bad: Vec<String> = refused.texts("[data-testid=tracking-problems] tbody tr td:first-child");
    // Lines are read first: the empty carrier is named, nothing is shipped.
    assert_eq!(bad, vec!["4".to_string()]);
    assert!(refused
        .texts("[data-testid=tracking-problems] tbody tr")
        .join(" ")
        .contains("carrier is missing"));
    for o in ids {
        assert_eq!(line_of(&app, o).status, "processing");
    }
    // A line that cannot be shipped (unknown) refuses the whole file too.
    let unknown = upload_tracking(
        &s,
        format!(
            "line,carrier,tracking_number\n{},La Poste,6A1\n999999,La Poste,6A2\n",
            lines[0]
        ),
    )
    .await;
    assert_eq!(unknown.status, 422);
    assert_eq!(
        unknown.texts("[data-testid=tracking-problems] tbody tr td:first-child"),
        vec!["3".to_string()]
    );
    assert_eq!(line_of(&app, ids[0]).status, "processing");
    let good = upload_tracking(
        &s,
        format!(
            "line;carrier;tracking_number\n{};La Poste;6A1\n{};DHL;JD0002\n",
            lines[0], lines[1]
        ),
    )
    .await;
    assert_eq!(good.status, 303);
    let shipped: Vec<(String, String)> = ids
        .iter()
        .map(|o| {
            let l = line_of(&app, *o);
            (l.status, l.tracking_number)
        })
        .collect();
    assert_eq!(
        shipped,
        vec![
            ("shipped".to_string(), "6A1".to_string()),
            ("shipped".to_string(), "JD0002".to_string())
        ]
    );
}

#[actix_web::test]
async fn the_export_has_its_header_and_one_row_per_line_of_the_filtered_orders() {
    let app = spawn_app().await;
    let s = shop(&app, "export").await;
    let mug = add_reward(&app, &s, "MUG-1", "physical", 100, "10");
    let cap = add_reward(&app, &s, "CAP-1", "physical", 50, "");
    earn(&app, &s, 2000, "bonus-1");
    let ids = [
        order(&app, &s, mug, "1"),
        order(&app, &s, cap, "3"),
        order(&app, &s, mug, "2"),
    ];
    let approved = s
        .admin
        .post_form(&format!("/admin/orders/{}/approve", ids[0]), &[])
        .await;
    assert_eq!(approved.status, 303);
    let csv = s.admin.get("/admin/orders.csv?status=all").await;
    assert_eq!(csv.status, 200);
    let mut rows = csv.body.lines();
    assert_eq!(
        rows.next().unwrap(),
        relais::services::rewards::views::EXPORT_COLUMNS.join(",")
    );
    assert_eq!(rows.count(), 3);
    let pending = s.admin.get("/admin/orders.csv").await;
    assert_eq!(pending.body.lines().count(), 3);
    let by_reward = s
        .admin
        .get(&format!("/admin/orders.csv?status=all&reward={mug}"))
        .await;
    assert_eq!(by_reward.body.lines().count(), 3);
    assert!(by_reward.body.contains("12 rue de la Paix"));
    let processing = s
        .admin
        .get("/admin/orders.csv?status=all&line=processing")
        .await;
    assert_eq!(processing.body.lines().count(), 2);
    // The queue's link exports with the same filters.
    let queue = s.admin.get(&format!("/admin/orders?reward={cap}")).await;
    assert!(queue.body.contains(&format!(
        "href=\"/admin/orders.csv?status=pending&amp;reward={cap}&amp;\""
    )));
    assert_eq!(queue.texts("[data-testid=orders] tbody tr").len(), 1);
}

#[actix_web::test]
async fn the_auto_approval_threshold_is_set_on_the_orders_page() {
    let app = spawn_app().await;
    let s = shop(&app, "auto").await;
    let bad = s
        .admin
        .post_form(
            "/admin/orders/auto-approve",
            &[("auto_approve_below", "-3")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(!field_error(&bad, "auto_approve_below").is_empty());
    assert_eq!(bad.input_value("auto_approve_below").as_deref(), Some("-3"));
    let saved = s
        .admin
        .post_form(
            "/admin/orders/auto-approve",
            &[("auto_approve_below", "150")],
        )
        .await;
    assert_eq!(saved.status, 303);
    let page = s.admin.get("/admin/orders").await;
    assert_eq!(
        page.input_value("auto_approve_below").as_deref(),
        Some("150")
    );
    let mug = add_reward(&app, &s, "MUG-1", "physical", 100, "10");
    earn(&app, &s, 1000, "bonus-1");
    let small = order(&app, &s, mug, "1");
    let page = s.admin.get(&format!("/admin/orders/{small}")).await;
    assert_eq!(
        page.texts("[data-testid=status]"),
        vec!["Approved".to_string()]
    );
}
