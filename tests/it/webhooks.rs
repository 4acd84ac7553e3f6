//! Outgoing webhooks against a real HTTP receiver: a delivery after an approval, signed
//! (checked here and by the README's own example); a 500 retried; a re-send; an endpoint
//! not subscribed gets nothing; another tenant's admin sees 404 and its events never
//! reach this tenant; marketers and participants 403; bad URLs and missing CSRF refused.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use chrono::{Duration, Utc};
use diesel::prelude::*;
use relais::db::schema::webhook_deliveries;
use relais::db::tenants::Tenant;
use relais::db::webhooks::{Delivery, Endpoint};
use relais::domain::webhooks::signature;
use relais::domain::Role;
use relais::services::audit::Actor;
use relais::services::webhooks::{self, endpoints, EndpointInput};

use super::declarations::support::*;
use crate::common::smtp::SmtpSink;
use crate::common::{spawn_app, TestApp, TestClient, PASSWORD};

#[derive(Debug, Clone)]
pub(crate) struct Received {
    pub(crate) headers: HashMap<String, String>,
    pub(crate) body: String,
}

/// A small HTTP server on 127.0.0.1 that keeps what it receives and answers the scripted
/// statuses in turn (then 200).
pub(crate) struct Receiver {
    pub(crate) url: String,
    got: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    pub(crate) async fn start(statuses: &[u16]) -> Receiver {
        let got = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(Mutex::new(VecDeque::from(statuses.to_vec())));
        let (g, s) = (got.clone(), script.clone());
        let server = HttpServer::new(move || {
            let (g, s) = (g.clone(), s.clone());
            App::new().default_service(web::to(move |req: HttpRequest, body: web::Bytes| {
                let (g, s) = (g.clone(), s.clone());
                async move {
                    let headers = req
                        .headers()
                        .iter()
                        .map(|(k, v)| (k.as_str().to_lowercase(), v.to_str().unwrap().into()))
                        .collect();
                    let body = String::from_utf8(body.to_vec()).unwrap();
                    g.lock().unwrap().push(Received { headers, body });
                    let code = s.lock().unwrap().pop_front().unwrap_or(200);
                    HttpResponse::build(actix_web::http::StatusCode::from_u16(code).unwrap())
                        .body(format!("receiver said {code}"))
                }
            }))
        })
        .workers(1)
        .bind(("127.0.0.1", 0))
        .unwrap();
        let port = server.addrs()[0].port();
        actix_web::rt::spawn(server.run());
        Receiver {
            url: format!("http://127.0.0.1:{port}/relais/hooks"),
            got,
        }
    }

    pub(crate) fn received(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }
}

fn input(url: &str, events: &[&str]) -> EndpointInput {
    EndpointInput {
        url: url.into(),
        description: "ERP".into(),
        events: events.iter().map(|e| e.to_string()).collect(),
        enabled: true,
    }
}

pub(crate) fn endpoint(app: &TestApp, tenant: &Tenant, url: &str, events: &[&str]) -> Endpoint {
    webhooks::create(
        &mut app.conn(),
        tenant.tenant_id(),
        &Actor::system("test"),
        &input(url, events),
        true,
        Utc::now(),
    )
    .unwrap()
}

pub(crate) fn secret_of(app: &TestApp, e: &Endpoint) -> String {
    let e = relais::db::webhooks::find(&mut app.conn(), e.tenant_id, e.id, false).unwrap();
    endpoints::secret(app.settings.security.secret_key.as_bytes(), &e)
}

fn deliveries(app: &TestApp) -> Vec<Delivery> {
    webhook_deliveries::table
        .order(webhook_deliveries::id)
        .select(Delivery::as_select())
        .load(&mut app.conn())
        .unwrap()
}

/// `t` and `v1` of a `Relais-Signature` header.
fn parts(header: &str) -> (i64, String) {
    let map: HashMap<&str, &str> = header
        .split(',')
        .filter_map(|p| p.split_once('='))
        .collect();
    (map["t"].parse().unwrap(), map["v1"].to_string())
}

pub(crate) fn assert_signed(r: &Received, secret: &str) {
    let (t, v1) = parts(&r.headers["relais-signature"]);
    assert_eq!(
        v1,
        signature(secret, t, &r.body),
        "the signature checks out"
    );
    assert!((Utc::now().timestamp() - t).abs() < 60, "a fresh timestamp");
    let body: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(r.headers["relais-event-id"], body["id"].as_str().unwrap());
    assert_eq!(
        r.headers["relais-event-type"],
        body["type"].as_str().unwrap()
    );
    assert_eq!(r.headers["content-type"], "application/json");
}

/// A declaration posted by the shop's participant, approved by the admin's page.
async fn approve_one(shop: &Shop, admin: &TestClient, invoice: &str) -> i64 {
    let id = id_of(&post_declaration(&shop.client, &good_fields(invoice), vec![]).await);
    let done = admin
        .post_form(
            &format!("/admin/declarations/{id}/approve"),
            &[("seen", "submitted")],
        )
        .await;
    assert_eq!(done.status, 303);
    id.0
}

/// Runs every due job at `now` (a worker is built once per test: it compiles the
/// templates).
pub(crate) async fn run_jobs(worker: &relais::jobs::Worker, now: chrono::DateTime<Utc>) {
    worker.run_due(now).await.unwrap();
}

/// The README's verification example (the Python block after `<!-- webhook-verify -->`),
/// run on a delivery as received: what it prints.
fn readme_verify(secret: &str, r: &Received) -> String {
    let readme = include_str!("../../README.md");
    let after = readme.split("<!-- webhook-verify -->").nth(1).unwrap();
    let code = after
        .split("```python\n")
        .nth(1)
        .unwrap()
        .split("\n```")
        .next()
        .unwrap();
    let mut child = std::process::Command::new("python3")
        .arg("-c")
        .arg(code)
        .env("RELAIS_WEBHOOK_SECRET", secret)
        .env("RELAIS_SIGNATURE", &r.headers["relais-signature"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(r.body.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[actix_web::test]
async fn an_approval_reaches_the_subscribed_endpoint_signed_and_the_readme_example_verifies_it() {
    let app = spawn_app().await;
    let shop = shop(&app, "acme").await;
    let admin = admin(&app, &shop.tenant).await;
    let erp = Receiver::start(&[]).await;
    let crm = Receiver::start(&[]).await;

    // The admin registers the ERP's endpoint through the page.
    let created = admin
        .post_form(
            "/admin/webhooks",
            &[
                ("url", &erp.url),
                ("description", "ERP"),
                ("events", "declaration.decided"),
                ("events", "order.status_changed"),
                ("enabled", "on"),
            ],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    let page_path = created.location.unwrap();
    let page = admin.get(&page_path).await;
    assert_eq!(page.status, 200);
    let secret = page.texts("[data-testid=secret]").remove(0);
    assert!(secret.starts_with("whsec_"));
    // The CRM only wants missions: it gets nothing from an approval.
    let crm_endpoint = endpoint(&app, &shop.tenant, &crm.url, &["mission.completed"]);

    let id = approve_one(&shop, &admin, "F-1").await;
    let queued = deliveries(&app);
    assert_eq!(
        queued.len(),
        1,
        "written with the approval, before any job ran"
    );
    assert_eq!(queued[0].status, "pending");
    assert!(erp.received().is_empty(), "nothing sent inside the request");

    let sink = SmtpSink::start().await;
    let worker = app.worker(sink.port);
    run_jobs(&worker, Utc::now()).await;
    let got = erp.received();
    assert_eq!(got.len(), 1);
    assert_signed(&got[0], &secret);
    let body: serde_json::Value = serde_json::from_str(&got[0].body).unwrap();
    assert_eq!(body["type"], "declaration.decided");
    assert!(body["id"].as_str().unwrap().starts_with("evt_"));
    assert!(body["created_at"].as_str().unwrap().ends_with('Z'));
    let data = &body["data"];
    assert_eq!(data["declaration_id"], id);
    assert_eq!(data["status"], "approved");
    assert_eq!(data["previous_status"], "submitted");
    assert_eq!(data["participant_id"], shop.participant.id.0);
    assert_eq!(data["points"], 46);
    assert_eq!(data["automatic"], false);
    assert!(
        !got[0].body.contains("lea@"),
        "no e-mail address in a payload"
    );
    assert!(crm.received().is_empty(), "not subscribed: nothing");

    // The README's example accepts the real delivery, and refuses it altered.
    assert_eq!(readme_verify(&secret, &got[0]), "valid");
    let mut altered = got[0].clone();
    altered.body = altered.body.replace("\"approved\"", "\"rejected\"");
    assert_eq!(readme_verify(&secret, &altered), "invalid");
    assert_eq!(readme_verify("whsec_wrong", &got[0]), "invalid");

    // The endpoint's page shows the delivery.
    let page = admin.get(&page_path).await;
    assert_eq!(page.texts("[data-testid=delivery]").len(), 1);
    assert_eq!(
        page.texts("[data-testid=delivery-status]"),
        vec!["Delivered"]
    );
    assert!(page.body.contains("receiver said 200"));
    let crm_page = admin
        .get(&format!("/admin/webhooks/{}", crm_endpoint.id))
        .await;
    assert_eq!(crm_page.texts("[data-testid=delivery]").len(), 0);

    // A rejection of the approved declaration (a reversal) is an event too; after a
    // rotation it is signed with the new secret.
    let rotated = admin.post_form(&format!("{page_path}/rotate"), &[]).await;
    assert_eq!(rotated.status, 303);
    let new_secret = admin
        .get(&page_path)
        .await
        .texts("[data-testid=secret]")
        .remove(0);
    assert_ne!(new_secret, secret);
    let rejected = admin
        .post_form(
            &format!("/admin/declarations/{id}/reject"),
            &[
                ("seen", "approved"),
                ("reason", "no_proof"),
                ("reason_text", ""),
            ],
        )
        .await;
    assert_eq!(rejected.status, 303);
    run_jobs(&worker, Utc::now()).await;
    let got = erp.received();
    assert_eq!(got.len(), 2, "{:?}", deliveries(&app));
    assert_signed(&got[1], &new_secret);
    let data: serde_json::Value = serde_json::from_str(&got[1].body).unwrap();
    assert_eq!(data["data"]["status"], "rejected");
    assert_eq!(data["data"]["reversed"], true);

    let actions: Vec<String> = relais::db::schema::audit_events::table
        .filter(relais::db::schema::audit_events::action.like("webhook.%"))
        .order(relais::db::schema::audit_events::id)
        .select(relais::db::schema::audit_events::action)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(
        actions,
        vec![
            "webhook.created",
            "webhook.created",
            "webhook.secret_rotated"
        ]
    );
}

#[actix_web::test]
async fn a_failed_delivery_is_retried_and_can_be_sent_again() {
    let app = spawn_app().await;
    let shop = shop(&app, "acme").await;
    let admin = admin(&app, &shop.tenant).await;
    let erp = Receiver::start(&[500]).await;
    let e = endpoint(&app, &shop.tenant, &erp.url, &["declaration.decided"]);
    let secret = secret_of(&app, &e);
    approve_one(&shop, &admin, "F-1").await;
    let sink = SmtpSink::start().await;
    let worker = app.worker(sink.port);

    run_jobs(&worker, Utc::now()).await;
    let d = deliveries(&app).remove(0);
    assert_eq!((d.status.as_str(), d.attempts), ("pending", 1));
    assert_eq!(d.last_status_code, Some(500));
    assert_eq!(d.last_response.as_deref(), Some("receiver said 500"));
    let page = admin.get(&format!("/admin/webhooks/{}", e.id)).await;
    assert!(page.body.contains("receiver said 500"));

    // Not before the backoff; then the retry succeeds.
    run_jobs(&worker, Utc::now()).await;
    assert_eq!(erp.received().len(), 1);
    run_jobs(&worker, Utc::now() + Duration::hours(1)).await;
    let got = erp.received();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].body, got[1].body, "the same event");
    assert_signed(&got[1], &secret);
    let d = deliveries(&app).remove(0);
    assert_eq!((d.status.as_str(), d.attempts), ("succeeded", 2));
    assert_eq!(d.last_status_code, Some(200));

    // Re-send: without the CSRF token refused, with it the same event is queued again.
    let path = format!("/admin/webhooks/{}/deliveries/{}/resend", e.id, d.id);
    let forged = admin.post_form_raw(&path, &[]).await;
    assert_eq!(forged.status, 403);
    assert_eq!(deliveries(&app).len(), 1);
    let resent = admin.post_form(&path, &[]).await;
    assert_eq!(resent.status, 303);
    let all = deliveries(&app);
    assert_eq!(all.len(), 2);
    assert_eq!(all[1].event_id, all[0].event_id);
    run_jobs(&worker, Utc::now()).await;
    let got = erp.received();
    assert_eq!(got.len(), 3);
    assert_eq!(got[2].body, got[0].body);
    assert_eq!(
        got[2].headers["relais-event-id"], got[0].headers["relais-event-id"],
        "the receiver can deduplicate"
    );
    let page = admin.get(&format!("/admin/webhooks/{}", e.id)).await;
    assert_eq!(page.texts("[data-testid=delivery]").len(), 2);
}

#[actix_web::test]
async fn a_delivery_failing_every_attempt_is_marked_failed_and_a_disabled_endpoint_gets_nothing() {
    let app = spawn_app().await;
    app.expect_failing_jobs();
    let shop = shop(&app, "acme").await;
    let admin = admin(&app, &shop.tenant).await;
    let down = Receiver::start(&[503; 20]).await;
    let e = endpoint(&app, &shop.tenant, &down.url, &["declaration.decided"]);
    approve_one(&shop, &admin, "F-1").await;
    let sink = SmtpSink::start().await;
    let worker = app.worker(sink.port);
    let mut now = Utc::now();
    for _ in 0..relais::services::jobs::DEFAULT_MAX_ATTEMPTS {
        run_jobs(&worker, now).await;
        now += Duration::hours(7);
    }
    let d = deliveries(&app).remove(0);
    assert_eq!(d.status, "failed");
    assert_eq!(d.attempts, relais::services::jobs::DEFAULT_MAX_ATTEMPTS);
    let page = admin.get(&format!("/admin/webhooks/{}", e.id)).await;
    assert_eq!(page.texts("[data-testid=delivery-status]"), vec!["Failed"]);

    // An unreachable endpoint fails with the connection's error, not a 500 of ours.
    let closed = endpoint(
        &app,
        &shop.tenant,
        "http://127.0.0.1:9/",
        &["declaration.decided"],
    );
    // Disabled: its deliveries are skipped, and re-sending is refused.
    let saved = admin
        .post_form(
            &format!("/admin/webhooks/{}", e.id),
            &[("url", &down.url), ("events", "declaration.decided")],
        )
        .await;
    assert_eq!(saved.status, 303);
    approve_one(&shop, &admin, "F-2").await;
    run_jobs(&worker, now).await;
    let mine: Vec<Delivery> = deliveries(&app)
        .into_iter()
        .filter(|d| d.endpoint_id == e.id)
        .collect();
    assert_eq!(
        mine.len(),
        1,
        "a disabled endpoint is not subscribed any more"
    );
    let to_closed: Vec<Delivery> = deliveries(&app)
        .into_iter()
        .filter(|d| d.endpoint_id == closed.id)
        .collect();
    assert_eq!(to_closed.len(), 1);
    assert_eq!(to_closed[0].status, "pending");
    assert_eq!(to_closed[0].last_status_code, None);
    assert!(!to_closed[0]
        .last_response
        .as_deref()
        .unwrap_or("")
        .is_empty());
    let resend = format!("/admin/webhooks/{}/deliveries/{}/resend", e.id, d.id);
    assert_eq!(admin.post_form(&resend, &[]).await.status, 303);
    assert!(admin
        .get(&format!("/admin/webhooks/{}", e.id))
        .await
        .body
        .contains("Enable the endpoint before sending again."));
    assert_eq!(down.received().len() as i32, d.attempts);
}

#[actix_web::test]
async fn bad_urls_missing_events_and_missing_csrf_are_refused_without_a_500() {
    let app = spawn_app().await;
    let (tenant, _) = app.create_tenant("acme", "Acme");
    let admin = admin(&app, &tenant).await;
    for (url, message) in [
        (
            "erp.example.com/hooks",
            "Enter an absolute address starting with https://",
        ),
        (
            "ftp://erp.example.com/",
            "Enter an absolute address starting with https://",
        ),
        (
            "https://user:pw@erp.example.com/",
            "Enter an absolute address",
        ),
        ("javascript:alert(1)", "Enter an absolute address"),
        ("", "This field is required."),
        (
            "https://erp.example.com/\u{1}x",
            "Enter an absolute address",
        ),
    ] {
        let page = admin
            .post_form(
                "/admin/webhooks",
                &[("url", url), ("events", "declaration.decided")],
            )
            .await;
        assert_eq!(page.status, 422, "{url}");
        let errors = page.texts("[data-field=url]");
        assert!(errors[0].contains(message), "{url}: {errors:?}");
        assert!(
            !page.body.contains('\u{1}'),
            "no control character shown back"
        );
    }
    let page = admin
        .post_form("/admin/webhooks", &[("url", "https://erp.example.com/")])
        .await;
    assert_eq!(page.status, 422);
    assert_eq!(
        page.texts("[data-field=events]"),
        vec!["Choose at least one event."]
    );
    let page = admin
        .post_form(
            "/admin/webhooks",
            &[
                ("url", "https://erp.example.com/"),
                ("events", "user.deleted"),
            ],
        )
        .await;
    assert_eq!(page.status, 422);
    let long = "x".repeat(201);
    let page = admin
        .post_form(
            "/admin/webhooks",
            &[
                ("url", "https://erp.example.com/"),
                ("description", &long),
                ("events", "mission.completed"),
            ],
        )
        .await;
    assert_eq!(page.status, 422);
    assert_eq!(page.texts("[data-field=description]").len(), 1);
    let forged = admin
        .post_form_raw(
            "/admin/webhooks",
            &[
                ("url", "https://erp.example.com/"),
                ("events", "mission.completed"),
            ],
        )
        .await;
    assert_eq!(forged.status, 403);
    assert!(webhooks::list(&mut app.conn(), tenant.tenant_id())
        .unwrap()
        .is_empty());

    // Production takes https only.
    let refused = webhooks::create(
        &mut app.conn(),
        tenant.tenant_id(),
        &Actor::system("test"),
        &input("http://erp.example.com/", &["mission.completed"]),
        false,
        Utc::now(),
    );
    match refused {
        Err(relais::services::ServiceError::Invalid(e)) => {
            assert_eq!(e["url"], "error-webhook-url-https")
        }
        other => panic!("{other:?}"),
    }

    // The change form refuses the same way, on the endpoint's page.
    let e = endpoint(
        &app,
        &tenant,
        "https://erp.example.com/",
        &["mission.completed"],
    );
    let page = admin
        .post_form(
            &format!("/admin/webhooks/{}", e.id),
            &[("url", "not a url"), ("events", "mission.completed")],
        )
        .await;
    assert_eq!(page.status, 422);
    assert_eq!(page.texts("[data-field=url]").len(), 1);
    let forged = admin
        .post_form_raw(&format!("/admin/webhooks/{}/delete", e.id), &[])
        .await;
    assert_eq!(forged.status, 403);
    let deleted = admin
        .post_form(&format!("/admin/webhooks/{}/delete", e.id), &[])
        .await;
    assert_eq!(deleted.status, 303);
    assert!(webhooks::list(&mut app.conn(), tenant.tenant_id())
        .unwrap()
        .is_empty());
}

#[actix_web::test]
async fn other_tenants_get_404_their_events_stay_theirs_and_other_roles_get_403() {
    let app = spawn_app().await;
    let shop = shop(&app, "acme").await;
    let erp = Receiver::start(&[]).await;
    let e = endpoint(&app, &shop.tenant, &erp.url, &["declaration.decided"]);
    let d = {
        // One delivery of acme's, to aim at.
        let admin = admin(&app, &shop.tenant).await;
        approve_one(&shop, &admin, "F-1").await;
        deliveries(&app).remove(0)
    };

    let other = super::declarations::support::shop(&app, "globex").await;
    let theirs = admin(&app, &other.tenant).await;
    let base = format!("/admin/webhooks/{}", e.id);
    assert_eq!(theirs.get(&base).await.status, 404);
    let fields = [("url", erp.url.as_str()), ("events", "declaration.decided")];
    assert_eq!(theirs.post_form(&base, &fields).await.status, 404);
    for action in ["rotate", "delete"] {
        let page = theirs.post_form(&format!("{base}/{action}"), &[]).await;
        assert_eq!(page.status, 404, "{action}");
    }
    let resend = format!("{base}/deliveries/{}/resend", d.id);
    assert_eq!(theirs.post_form(&resend, &[]).await.status, 404);
    assert!(!theirs.get("/admin/webhooks").await.body.contains(&erp.url));

    // Globex's approvals never reach acme's endpoint.
    approve_one(&other, &theirs, "G-1").await;
    assert_eq!(deliveries(&app).len(), 1);
    let sink = SmtpSink::start().await;
    let worker = app.worker(sink.port);
    run_jobs(&worker, Utc::now()).await;
    assert_eq!(erp.received().len(), 1);
    let body: serde_json::Value = serde_json::from_str(&erp.received()[0].body).unwrap();
    assert_eq!(body["data"]["participant_id"], shop.participant.id.0);

    // Marketers and participants are refused.
    let marketer = app.create_user(&shop.tenant, Role::Marketer, "m@acme.example", "Marc");
    let client = app.client(&app.host(&shop.tenant));
    assert_eq!(client.login(&marketer.email, PASSWORD).await.status, 303);
    assert_eq!(client.get("/admin/webhooks").await.status, 403);
    assert_eq!(client.get(&base).await.status, 403);
    assert_eq!(
        client
            .post_form(&format!("{base}/rotate"), &[])
            .await
            .status,
        403
    );
    assert_eq!(shop.client.get("/admin/webhooks").await.status, 403);
    assert_eq!(shop.client.post_form(&resend, &[]).await.status, 403);
    assert_eq!(deliveries(&app).len(), 1);
}

#[actix_web::test]
async fn an_order_s_approval_shipment_and_rejection_are_events_without_the_address() {
    use relais::db::rewards::orders;
    use relais::domain::ledger::Points;
    use relais::domain::rewards::Step;
    use relais::services::ledger::{self, Meta};
    use relais::services::rewards::catalog::{self, RewardInput};
    use relais::services::rewards::fulfil::{self, StepInput};
    use relais::services::rewards::redeem::{self, AddressFields, RedeemInput};
    use relais::services::rewards::review;

    let app = spawn_app().await;
    let (tenant, admin) = app.create_tenant("ship", "Ship");
    let tid = tenant.tenant_id();
    let partner = app.create_partner(&tenant, "P-1").id;
    let p = app.create_user(&tenant, Role::Participant, "ana@ship.example", "Ana");
    let p = app.join_partner(tid, p.id, partner);
    let meta = Meta::new("seed", Utc::now());
    ledger::earn(&mut app.conn(), tid, p.id, Points(1000), &meta).unwrap();
    let tv = catalog::create(
        &mut app.conn(),
        tid,
        &Actor::system("test"),
        &RewardInput {
            code: "TV".into(),
            name: "TV".into(),
            category: "Gadgets".into(),
            kind: "physical".into(),
            points: "300".into(),
            stock: "5".into(),
            ..RewardInput::default()
        },
    )
    .unwrap()
    .id;
    let e = endpoint(
        &app,
        &tenant,
        "http://127.0.0.1:9/",
        &["order.status_changed"],
    );
    let input = RedeemInput {
        quantity: "1".into(),
        address: AddressFields {
            address_name: "Ana Lima".into(),
            address_line1: "3 rue des Lilas".into(),
            address_postcode: "75011".into(),
            address_city: "Paris".into(),
            address_country: "France".into(),
            address_phone: "+33 6 12 34 56 78".into(),
            ..AddressFields::default()
        },
        ..RedeemInput::default()
    };
    let first = redeem::redeem(&mut app.conn(), tid, &p, tv, &input, Utc::now())
        .unwrap()
        .order;
    let second = redeem::redeem(&mut app.conn(), tid, &p, tv, &input, Utc::now())
        .unwrap()
        .order;
    assert!(
        deliveries(&app).is_empty(),
        "placing an order is not a change of status"
    );
    review::approve(&mut app.conn(), tid, &admin, first, Utc::now()).unwrap();
    let line = orders::lines_of(&mut app.conn(), tid, &[first]).unwrap()[0].id;
    let ship = StepInput {
        carrier: "La Poste".into(),
        tracking_number: "6A123456789".into(),
        reason: String::new(),
    };
    fulfil::step(
        &mut app.conn(),
        tid,
        &admin,
        line,
        Step::Ship,
        &ship,
        Utc::now(),
    )
    .unwrap();
    review::reject(
        &mut app.conn(),
        tid,
        &admin,
        second,
        "Out of stock",
        Utc::now(),
    )
    .unwrap();

    let all = deliveries(&app);
    assert_eq!(all.len(), 3);
    assert!(all
        .iter()
        .all(|d| d.endpoint_id == e.id && d.event_type == "order.status_changed"));
    let data: Vec<&serde_json::Value> = all.iter().map(|d| &d.payload["data"]).collect();
    assert_eq!(data[0]["order_id"], first.0);
    assert_eq!(
        (&data[0]["status"], &data[0]["previous_status"]),
        (&"approved".into(), &"pending".into())
    );
    assert_eq!(data[1]["line"]["status"], "shipped");
    assert_eq!(data[1]["line"]["tracking_number"], "6A123456789");
    assert_eq!(data[2]["status"], "rejected");
    assert_eq!(data[2]["order_id"], second.0);
    let text = serde_json::to_string(&data).unwrap();
    assert!(!text.contains("Lilas") && !text.contains("Ana"), "{text}");
    // Not sent in these tests: the jobs are dropped with the database.
}

#[actix_web::test]
async fn the_demo_has_a_paused_erp_endpoint_with_a_history_and_nothing_queued() {
    let app = spawn_app().await;
    let report = relais::services::demo::seed(&mut app.conn(), &app.storage()).unwrap();
    relais::services::demo::seed(&mut app.conn(), &app.storage()).unwrap();
    let tid = report.tenant.tenant_id();
    let endpoints = webhooks::list(&mut app.conn(), tid).unwrap();
    assert_eq!(endpoints.len(), 1, "once");
    assert!(!endpoints[0].enabled);
    let history = deliveries(&app);
    assert!(history.len() >= 3, "{history:?}");
    assert!(history.iter().any(|d| d.status == "failed"));
    let queued: i64 = relais::db::schema::jobs::table
        .filter(relais::db::schema::jobs::kind.eq("webhook"))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(queued, 0);
    let admin = app.client("respire.localhost");
    let email = relais::services::demo::DEMO_USERS[0].email;
    assert_eq!(
        admin
            .login(email, relais::services::demo::DEMO_PASSWORD)
            .await
            .status,
        303
    );
    let page = admin
        .get(&format!("/admin/webhooks/{}", endpoints[0].id))
        .await;
    assert_eq!(page.status, 200);
    assert_eq!(page.texts("[data-testid=delivery]").len(), history.len());
    assert_eq!(admin.get("/admin/webhooks").await.status, 200);
}
