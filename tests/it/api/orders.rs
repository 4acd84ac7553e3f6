//! Reward orders through the API (scope `fulfilment`): listed by status, read, moved
//! through fulfilment by the admin page's own service (e-mail, webhook, audit naming the
//! key), idempotent, 409 on a step not allowed, and every refusal.

use chrono::Utc;
use diesel::prelude::*;
use relais::db::schema::{audit_events, jobs, webhook_deliveries};
use relais::db::users::User;
use relais::domain::ledger::Points;
use relais::domain::{OrderId, RewardId};
use relais::services::audit::Actor;
use relais::services::ledger::{self, Meta};
use relais::services::rewards::catalog::{self, RewardInput};
use relais::services::rewards::redeem::{self, AddressFields, RedeemInput};
use relais::services::rewards::review;
use relais::services::webhooks::{self, EndpointInput};
use serde_json::json;

use super::progress::user_by_email;
use super::support::*;
use crate::common::{spawn_app, TestApp};

struct Shop {
    b: Brand,
    lea: User,
    /// Approved: a TV (ships), an experience (does not); pending: another TV.
    tv: OrderId,
    show: OrderId,
    waiting: OrderId,
}

fn reward(app: &TestApp, b: &Brand, code: &str, kind: &str) -> RewardId {
    let input = RewardInput {
        code: code.into(),
        name: format!("Reward {code}"),
        category: "Gadgets".into(),
        kind: kind.into(),
        points: "300".into(),
        stock: "5".into(),
        ..RewardInput::default()
    };
    catalog::create(
        &mut app.conn(),
        b.tenant.tenant_id(),
        &Actor::system("test"),
        &input,
    )
    .unwrap()
    .id
}

fn order(app: &TestApp, b: &Brand, who: &User, reward: RewardId) -> OrderId {
    let input = RedeemInput {
        quantity: "1".into(),
        address: AddressFields {
            address_name: "Léa Martin".into(),
            address_line1: "3 rue des Lilas".into(),
            address_postcode: "75011".into(),
            address_city: "Paris".into(),
            address_country: "France".into(),
            ..AddressFields::default()
        },
        ..RedeemInput::default()
    };
    redeem::redeem(
        &mut app.conn(),
        b.tenant.tenant_id(),
        who,
        reward,
        &input,
        Utc::now(),
    )
    .unwrap()
    .order
}

fn shop(app: &TestApp, slug: &str) -> Shop {
    let b = brand(app, slug);
    let tid = b.tenant.tenant_id();
    let lea = user_by_email(app, &b.tenant, &format!("lea@{slug}.example"));
    let admin = user_by_email(app, &b.tenant, &format!("admin@{slug}.example"));
    let meta = Meta::new("seed", Utc::now());
    ledger::earn(&mut app.conn(), tid, lea.id, Points(5000), &meta).unwrap();
    let (tv_reward, show_reward) = (
        reward(app, &b, "TV", "physical"),
        reward(app, &b, "SHOW", "experience"),
    );
    let tv = order(app, &b, &lea, tv_reward);
    let show = order(app, &b, &lea, show_reward);
    let waiting = order(app, &b, &lea, tv_reward);
    for id in [tv, show] {
        review::approve(&mut app.conn(), tid, &admin, id, Utc::now()).unwrap();
    }
    Shop {
        b,
        lea,
        tv,
        show,
        waiting,
    }
}

fn shipped_emails(app: &TestApp) -> i64 {
    jobs::table
        .filter(jobs::kind.eq("email"))
        .filter(
            jobs::payload
                .retrieve_as_text("template")
                .eq("order_shipped"),
        )
        .count()
        .get_result(&mut app.conn())
        .unwrap()
}

fn events(app: &TestApp) -> Vec<serde_json::Value> {
    webhook_deliveries::table
        .filter(webhook_deliveries::event_type.eq("order.status_changed"))
        .order(webhook_deliveries::id)
        .select(webhook_deliveries::payload)
        .load(&mut app.conn())
        .unwrap()
}

fn status_of(a: &Answer) -> Vec<String> {
    a.body["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["status"].as_str().unwrap().to_string())
        .collect()
}

#[actix_web::test]
async fn orders_are_listed_by_status_and_read_with_their_lines() {
    let app = spawn_app().await;
    let s = shop(&app, "acme");
    let (c, k) = (&s.b.client, &s.b.key);
    let all = get(c, "/api/v1/orders", k).await;
    assert_eq!(all.status, 200, "{:?}", all.body);
    let ids: Vec<i64> = all.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![s.tv.0, s.show.0, s.waiting.0]);
    let approved = get(c, "/api/v1/orders?status=approved&limit=1", k).await;
    assert_eq!(approved.body["items"][0]["id"], s.tv.0);
    let cursor = approved.body["next_cursor"].as_str().unwrap().to_string();
    let next = get(
        c,
        &format!("/api/v1/orders?status=approved&limit=1&cursor={cursor}"),
        k,
    )
    .await;
    assert_eq!(next.body["items"][0]["id"], s.show.0);
    let pending = get(c, "/api/v1/orders?status=pending", k).await;
    assert_eq!(pending.body["items"].as_array().unwrap().len(), 1);
    let processing = get(c, "/api/v1/orders?line_status=processing", k).await;
    assert_eq!(processing.body["items"].as_array().unwrap().len(), 2);

    let one = get(c, &format!("/api/v1/orders/{}", s.tv), k).await;
    assert_eq!(one.status, 200);
    assert_eq!(one.body["participant_email"], "lea@acme.example");
    assert_eq!(one.body["delivery_address"]["city"], "Paris");
    assert_eq!(one.body["lines"][0]["reward_code"], "TV");
    assert_eq!(status_of(&one), vec!["processing"]);

    let a = get(c, "/api/v1/orders?status=lost", k).await;
    assert_eq!((a.status, a.fields()), (400, vec!["status".to_string()]));
    let a = get(c, "/api/v1/orders?line_status=lost", k).await;
    assert_eq!(
        (a.status, a.fields()),
        (400, vec!["line_status".to_string()])
    );
    let a = get(c, "/api/v1/orders/x", k).await;
    assert_eq!((a.status, a.fields()), (400, vec!["id".to_string()]));
    assert_eq!(get(c, "/api/v1/orders/987654", k).await.status, 404);
}

#[actix_web::test]
async fn an_order_is_shipped_delivered_or_refunded_as_from_the_page() {
    let app = spawn_app().await;
    let s = shop(&app, "acme");
    let (c, k) = (&s.b.client, &s.b.key);
    let tid = s.b.tenant.tenant_id();
    webhooks::create(
        &mut app.conn(),
        tid,
        &Actor::system("test"),
        &EndpointInput {
            url: "http://127.0.0.1:9/hooks".into(),
            description: "ERP".into(),
            events: vec!["order.status_changed".into()],
            enabled: true,
        },
        true,
        Utc::now(),
    )
    .unwrap();
    let path = format!("/api/v1/orders/{}/status", s.tv);

    // Shipping needs the carrier and the tracking number: 422 naming both.
    let a = post(c, &path, k, &json!({"status": "shipped"})).await;
    assert_eq!(a.status, 422, "{:?}", a.body);
    let mut fields = a.fields();
    fields.sort();
    assert_eq!(fields, vec!["carrier", "tracking_number"]);

    let ship =
        json!({"status": "shipped", "carrier": "La Poste", "tracking_number": "6A123"}).to_string();
    let first = send(
        c,
        "POST",
        &path,
        Some(k),
        Some(ship.clone()),
        Some("ship-1"),
    )
    .await;
    assert_eq!(first.status, 200, "{:?}", first.body);
    assert_eq!(status_of(&first), vec!["shipped"]);
    assert_eq!(first.body["lines"][0]["tracking_number"], "6A123");
    // A retry replays the answer; nothing happens twice.
    let again = send(
        c,
        "POST",
        &path,
        Some(k),
        Some(ship.clone()),
        Some("ship-1"),
    )
    .await;
    assert_eq!((again.status, &again.body), (200, &first.body));
    assert_eq!(again.headers["idempotent-replayed"], "true");
    assert_eq!(shipped_emails(&app), 1, "the participant is e-mailed once");
    let sent = events(&app);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["data"]["line"]["status"], "shipped");
    assert_eq!(sent[0]["data"]["line"]["tracking_number"], "6A123");
    let (label, after): (String, Option<serde_json::Value>) = audit_events::table
        .filter(audit_events::tenant_id.eq(tid))
        .filter(audit_events::action.eq("order.line_updated"))
        .select((audit_events::actor_label, audit_events::after))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(label, "api");
    let after = after.unwrap();
    assert_eq!(
        after["api_key"]["name"],
        "ERP read+sell-in+sell-out+network+fulfilment"
    );

    // Shipped twice: 409, in the one error shape.
    let a = post(
        c,
        &path,
        k,
        &json!({"status": "shipped", "carrier": "DHL", "tracking_number": "X"}),
    )
    .await;
    assert_eq!((a.status, a.code()), (409, "conflict"));
    let a = post(c, &path, k, &json!({"status": "delivered"})).await;
    assert_eq!(
        (a.status, status_of(&a)),
        (200, vec!["delivered".to_string()])
    );
    let a = post(
        c,
        &path,
        k,
        &json!({"status": "refunded", "reason": "Broken"}),
    )
    .await;
    assert_eq!(a.status, 409, "no refund after delivery");
    assert_eq!(events(&app).len(), 2);

    // An experience does not ship; refunded with a reason, its points come back.
    let show = format!("/api/v1/orders/{}/status", s.show);
    let a = post(
        c,
        &show,
        k,
        &json!({"status": "shipped", "carrier": "DHL", "tracking_number": "X"}),
    )
    .await;
    assert_eq!(a.status, 409);
    let a = post(c, &show, k, &json!({"status": "refunded"})).await;
    assert_eq!((a.status, a.fields()), (422, vec!["reason".to_string()]));
    let before = crate::declarations::support::balance(&app, &s.b.tenant, &s.lea);
    let a = post(
        c,
        &show,
        k,
        &json!({"status": "refunded", "reason": "Event cancelled"}),
    )
    .await;
    assert_eq!(
        (a.status, status_of(&a)),
        (200, vec!["refunded".to_string()])
    );
    let after = crate::declarations::support::balance(&app, &s.b.tenant, &s.lea);
    assert_eq!(after - before, 300);

    // A pending order has no fulfilment yet.
    let waiting = format!("/api/v1/orders/{}/status", s.waiting);
    let a = post(c, &waiting, k, &json!({"status": "delivered"})).await;
    assert_eq!(a.status, 409);

    // Bad input names the field; nothing moves.
    let a = post(c, &waiting, k, &json!({"status": "lost"})).await;
    assert_eq!((a.status, a.fields()), (422, vec!["status".to_string()]));
    let a = post(
        c,
        &waiting,
        k,
        &json!({"status": "delivered", "lines": [999999]}),
    )
    .await;
    assert_eq!((a.status, a.fields()), (422, vec!["lines".to_string()]));
    let a = post(
        c,
        &waiting,
        k,
        &json!({"status": "delivered", "colour": "red"}),
    )
    .await;
    assert_eq!((a.status, a.fields()), (422, vec!["colour".to_string()]));
    let a = post(c, &waiting, k, &json!({"status": 3})).await;
    assert_eq!((a.status, a.fields()), (422, vec!["status".to_string()]));
    let a = send(c, "POST", &waiting, Some(k), Some("{".into()), None).await;
    assert_eq!((a.status, a.code()), (400, "malformed_json"));
    let a = post(
        c,
        "/api/v1/orders/987654/status",
        k,
        &json!({"status": "delivered"}),
    )
    .await;
    assert_eq!(a.status, 404);
    assert_eq!(events(&app).len(), 3, "only the refund was added");
}

#[actix_web::test]
async fn order_endpoints_refuse_missing_revoked_foreign_and_unscoped_keys() {
    let app = spawn_app().await;
    let s = shop(&app, "acme");
    let other = brand(&app, "globex");
    let tid = s.b.tenant.tenant_id();
    let revoked = key(&app, &s.b.tenant, ALL_SCOPES);
    let id = relais::services::api_keys::list(&mut app.conn(), tid)
        .unwrap()
        .into_iter()
        .find(|k| revoked.starts_with(&k.prefix))
        .unwrap()
        .id;
    relais::services::api_keys::revoke(&mut app.conn(), tid, &Actor::system("cli"), id, Utc::now())
        .unwrap();
    let unscoped = key(
        &app,
        &s.b.tenant,
        &["read", "sell-in", "sell-out", "network"],
    );
    let scoped = key(&app, &s.b.tenant, &["fulfilment"]);
    let deliver = json!({"status": "delivered"}).to_string();
    let endpoints = [
        ("GET", "/api/v1/orders".to_string(), None),
        ("GET", format!("/api/v1/orders/{}", s.tv), None),
        (
            "POST",
            format!("/api/v1/orders/{}/status", s.show),
            Some(deliver),
        ),
    ];
    for (method, path, body) in &endpoints {
        for k in [None, Some(revoked.as_str()), Some(other.key.as_str())] {
            let a = send(&s.b.client, method, path, k, body.clone(), None).await;
            assert_eq!((a.status, a.code()), (401, "unauthorized"), "{path} {k:?}");
        }
        let a = send(
            &s.b.client,
            method,
            path,
            Some(&unscoped),
            body.clone(),
            None,
        )
        .await;
        assert_eq!((a.status, a.code()), (403, "insufficient_scope"), "{path}");
        // Another tenant, with its own key at its own address: not found, or nothing.
        let a = send(
            &other.client,
            method,
            path,
            Some(&other.key),
            body.clone(),
            None,
        )
        .await;
        match a.status {
            404 => assert_eq!(a.code(), "not_found"),
            200 => assert!(a.body["items"].as_array().unwrap().is_empty(), "{path}"),
            s => panic!("{path}: {s} {:?}", a.body),
        }
        let a = send(&s.b.client, method, path, Some(&scoped), body.clone(), None).await;
        assert_eq!(a.status, 200, "{path}: {:?}", a.body);
    }
    let one = get(&s.b.client, &format!("/api/v1/orders/{}", s.show), &scoped).await;
    assert_eq!(status_of(&one), vec!["delivered"]);
}

#[actix_web::test]
async fn the_same_shipment_sent_five_times_at_once_ships_once() {
    let app = spawn_app().await;
    let s = shop(&app, "acme");
    let path = format!("/api/v1/orders/{}/status", s.tv);
    let ship = json!({"status": "shipped", "carrier": "DHL", "tracking_number": "JD0001"});
    let answers = at_once(
        &s.b.client,
        5,
        &path,
        &s.b.key,
        ship.to_string(),
        "ship-once",
    )
    .await;
    for a in &answers {
        assert_eq!(a.status, 200, "{:?}", a.body);
        assert_eq!(a.body, answers[0].body);
    }
    let replayed = answers
        .iter()
        .filter(|a| a.headers.contains_key("idempotent-replayed"))
        .count();
    assert_eq!(replayed, 4, "one effect, four replays");
    assert_eq!(shipped_emails(&app), 1);
    let updates: i64 = audit_events::table
        .filter(audit_events::action.eq("order.line_updated"))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(updates, 1);
}
