//! Missions and challenges through the API: pages and single reads as the studio lists
//! them, a participant's progress as their portal shows it, and every refusal (missing,
//! revoked, other tenant's and unscoped keys; bad ids, cursors and parameters).

use chrono::{Duration, Utc};
use relais::db::tenants::Tenant;
use relais::db::users::User;
use relais::domain::declarations::Status;
use relais::domain::missions::MissionStatus;
use relais::domain::{ChallengeId, MissionId, Zone};
use relais::services::audit::Actor;
use relais::services::challenges::close;
use relais::services::challenges::setup::{self, ChallengeInput};
use relais::services::declarations::{self, DeclarationInput, LineInput};
use relais::services::missions::{self, photo, AnswerInput, MissionInput, QuestionInput};

use super::support::*;
use crate::common::{spawn_app, TestApp};

fn actor() -> Actor {
    Actor::system("test")
}

/// A user of the tenant (participant or admin) by e-mail.
pub fn user_by_email(app: &TestApp, tenant: &Tenant, email: &str) -> User {
    relais::db::users::find_by_email(&mut app.conn(), tenant.tenant_id(), email)
        .unwrap()
        .unwrap()
}

/// A mission of `kind` from yesterday to in ten days, published unless `draft`; a
/// survey gets one optional question.
pub fn mission(app: &TestApp, tenant: &Tenant, kind: &str, title: &str, draft: bool) -> MissionId {
    let today = Zone::UTC.today(Utc::now());
    let input = MissionInput {
        title: title.into(),
        kind: kind.into(),
        points: "30".into(),
        starts_on: (today - Duration::days(1)).to_string(),
        ends_on: (today + Duration::days(10)).to_string(),
        completion_limit: "once".into(),
        photos_required: "1".into(),
        ..MissionInput::default()
    };
    let tid = tenant.tenant_id();
    let m = missions::save(
        &mut app.conn(),
        tid,
        &actor(),
        Zone::UTC,
        None,
        &input,
        Utc::now(),
    )
    .unwrap();
    if kind == "survey" {
        let q = QuestionInput {
            kind: "short_text".into(),
            prompt: "Anything to add?".into(),
            required: false,
            options: vec![],
            correct: vec![],
            form_token: String::new(),
        };
        missions::add_question(&mut app.conn(), tid, &actor(), m.id, &q, Utc::now()).unwrap();
    }
    if !draft {
        missions::set_status(
            &mut app.conn(),
            tid,
            &actor(),
            m.id,
            MissionStatus::Published,
            Utc::now(),
        )
        .unwrap();
    }
    m.id
}

/// The participant answers the survey (its one question left empty).
pub fn answer_survey(app: &TestApp, tenant: &Tenant, who: &User, id: MissionId) {
    missions::submit_survey(
        &mut app.conn(),
        tenant.tenant_id(),
        who,
        id,
        "",
        &AnswerInput { pairs: vec![] },
        Utc::now(),
        Zone::UTC,
    )
    .unwrap();
}

fn png() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(40, 30, image::Rgb([40, 120, 200]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// A running challenge on units of every product, target 10 per participant, tiers
/// 80 / 100 / 120 %, a prize for rank 1, published.
pub fn challenge(app: &TestApp, tenant: &Tenant) -> ChallengeId {
    let today = Zone::UTC.today(Utc::now());
    let mut input = ChallengeInput::blank(today);
    input.title = "Spring sticks".into();
    input.starts_on = (today - Duration::days(20)).to_string();
    input.ends_on = (today + Duration::days(10)).to_string();
    input.prizes[0] = "50".into();
    let tid = tenant.tenant_id();
    let id = setup::save(&mut app.conn(), tid, &actor(), None, &input, Utc::now())
        .unwrap()
        .id;
    setup::publish(&mut app.conn(), tid, &actor(), id, Utc::now()).unwrap();
    id
}

/// A sale of `quantity` sticks declared today and approved.
pub fn sale(app: &TestApp, tenant: &Tenant, who: &User, invoice: &str, quantity: i32) {
    let tid = tenant.tenant_id();
    let input = DeclarationInput {
        sale_date: Zone::UTC.today(Utc::now()).to_string(),
        channel: "in_store".into(),
        invoice_ref: invoice.into(),
        lines: vec![LineInput {
            product: "STK-50".into(),
            quantity: quantity.to_string(),
            unit_price: String::new(),
        }],
        ..DeclarationInput::default()
    };
    let d = declarations::declare(&mut app.conn(), tid, who, &input, vec![], Utc::now())
        .unwrap()
        .declaration;
    if d.status == "submitted" {
        declarations::approve(
            &mut app.conn(),
            tid,
            &actor(),
            d.id,
            Status::Submitted,
            Utc::now(),
        )
        .unwrap();
    }
}

/// Declarations limits that let a test declare many units a day.
pub fn loose_rules(app: &TestApp, tenant: &Tenant) {
    crate::declarations::support::set_rules(
        app,
        tenant,
        relais::domain::declarations::Rules {
            max_declarations_per_day: 100,
            max_quantity_per_line: 50,
            ..relais::domain::declarations::Rules::default()
        },
    );
}

/// Awards the challenge as its clock would after its end.
pub fn award(app: &TestApp, tenant: &Tenant, id: ChallengeId) {
    let at = Utc::now() + Duration::days(30);
    close::advance(&mut app.conn(), tenant.tenant_id(), id, at).unwrap();
}

#[actix_web::test]
async fn missions_are_listed_read_and_a_participant_s_progress_shows_their_state() {
    let app = spawn_app().await;
    let b = brand(&app, "acme");
    let c = &b.client;
    let lea = user_by_email(&app, &b.tenant, "lea@acme.example");
    let survey = mission(&app, &b.tenant, "survey", "Your shop", false);
    let shelf = mission(&app, &b.tenant, "photo", "Shelf photo", false);
    let draft = mission(&app, &b.tenant, "survey", "Not yet", true);

    // Pages in id order, each mission once.
    let first = get(c, "/api/v1/missions?limit=2", &b.key).await;
    assert_eq!(first.status, 200, "{:?}", first.body);
    let ids: Vec<i64> = first.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![survey.0, shelf.0]);
    let cursor = first.body["next_cursor"].as_str().unwrap().to_string();
    let next = get(
        c,
        &format!("/api/v1/missions?limit=2&cursor={cursor}"),
        &b.key,
    )
    .await;
    assert_eq!(next.body["items"][0]["id"], draft.0);
    assert_eq!(next.body["items"][0]["status"], "draft");
    assert!(next.body["next_cursor"].is_null());

    let one = get(c, &format!("/api/v1/missions/{}", survey.0), &b.key).await;
    assert_eq!(one.status, 200);
    assert_eq!(
        (&one.body["title"], &one.body["kind"], &one.body["status"]),
        (&"Your shop".into(), &"survey".into(), &"published".into())
    );
    assert_eq!(
        (one.body["questions"].as_i64(), one.body["points"].as_i64()),
        (Some(1), Some(30))
    );

    // Before anything is done: both published missions to do, never the draft.
    let path = "/api/v1/participants/lea@acme.example/missions";
    let mine = get(c, path, &b.key).await;
    assert_eq!(mine.status, 200, "{:?}", mine.body);
    assert_eq!(mine.body["email"], "lea@acme.example");
    let states = |a: &Answer| -> Vec<(i64, String, i64, i64, Option<String>)> {
        a.body["missions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                (
                    m["mission_id"].as_i64().unwrap(),
                    m["state"].as_str().unwrap().to_string(),
                    m["completions"].as_i64().unwrap(),
                    m["points_earned"].as_i64().unwrap(),
                    m["submission"].as_str().map(str::to_string),
                )
            })
            .collect()
    };
    let mut got = states(&mine);
    got.sort();
    assert_eq!(
        got,
        vec![
            (survey.0, "todo".into(), 0, 0, None),
            (shelf.0, "todo".into(), 0, 0, None)
        ]
    );

    // The survey answered, photos sent: done with its points, and awaiting review.
    answer_survey(&app, &b.tenant, &lea, survey);
    let tid = b.tenant.tenant_id();
    let sent = photo::submit_photos(
        &mut app.conn(),
        tid,
        &lea,
        shelf,
        "",
        vec![relais::services::declarations::proofs::ProofUpload {
            file_name: "shelf.png".into(),
            bytes: png(),
        }],
        Utc::now(),
        Zone::UTC,
    )
    .unwrap();
    let mut got = states(&get(c, path, &b.key).await);
    got.sort();
    assert_eq!(
        got,
        vec![
            (survey.0, "done".into(), 1, 30, None),
            (
                shelf.0,
                "awaiting_review".into(),
                0,
                0,
                Some("pending".into())
            )
        ]
    );
    // Rejected: to do again, the last submission says so.
    let admin = user_by_email(&app, &b.tenant, "admin@acme.example");
    photo::decide(
        &mut app.conn(),
        tid,
        &admin,
        sent,
        &photo::Decision::Reject("Blurry".into()),
        Utc::now(),
    )
    .unwrap();
    let got = states(&get(c, path, &b.key).await);
    let shelf_state = got.iter().find(|m| m.0 == shelf.0).unwrap();
    assert_eq!(
        (shelf_state.1.as_str(), shelf_state.4.as_deref()),
        ("todo", Some("rejected"))
    );

    // Bad input names its field; unknown ids and people are 404.
    let a = get(c, "/api/v1/missions/abc", &b.key).await;
    assert_eq!((a.status, a.fields()), (400, vec!["id".to_string()]));
    let a = get(c, "/api/v1/missions?limit=0", &b.key).await;
    assert_eq!((a.status, a.fields()), (400, vec!["limit".to_string()]));
    let a = get(c, "/api/v1/missions?cursor=nope", &b.key).await;
    assert_eq!((a.status, a.fields()), (400, vec!["cursor".to_string()]));
    let a = get(c, "/api/v1/missions?colour=red", &b.key).await;
    assert_eq!((a.status, a.fields()), (400, vec!["colour".to_string()]));
    assert_eq!(get(c, "/api/v1/missions/999999", &b.key).await.status, 404);
    let a = get(
        c,
        "/api/v1/participants/nobody@acme.example/missions",
        &b.key,
    )
    .await;
    assert_eq!((a.status, a.code()), (404, "not_found"));
    // The admin is no participant.
    let a = get(
        c,
        "/api/v1/participants/admin@acme.example/missions",
        &b.key,
    )
    .await;
    assert_eq!(a.status, 404);
}

#[actix_web::test]
async fn challenges_are_listed_read_and_a_participant_sees_score_target_and_rank() {
    let app = spawn_app().await;
    let b = brand(&app, "acme");
    let c = &b.client;
    let lea = user_by_email(&app, &b.tenant, "lea@acme.example");
    loose_rules(&app, &b.tenant);
    let id = challenge(&app, &b.tenant);
    sale(&app, &b.tenant, &lea, "F-1", 3);

    let list = get(c, "/api/v1/challenges", &b.key).await;
    assert_eq!(list.status, 200, "{:?}", list.body);
    let item = &list.body["items"][0];
    assert_eq!(item["id"], id.0);
    assert_eq!(item["title"], "Spring sticks");
    assert_eq!(item["participants"], 1);
    assert_eq!(item["tiers"].as_array().unwrap().len(), 3);
    assert_eq!(item["tiers"][1]["percent"], 100);
    assert_eq!(item["prizes"][0]["rank"], 1);
    assert_eq!(item["prizes"][0]["points"], 50);
    let one = get(c, &format!("/api/v1/challenges/{}", id.0), &b.key).await;
    assert_eq!((one.status, &one.body["objective"]), (200, &"units".into()));

    let path = "/api/v1/participants/lea@acme.example/challenges";
    let mine = get(c, path, &b.key).await;
    assert_eq!(mine.status, 200, "{:?}", mine.body);
    let ch = &mine.body["challenges"][0];
    assert_eq!(ch["challenge_id"], id.0);
    assert_eq!(ch["phase"], "active");
    assert_eq!(
        (
            ch["score"].as_i64(),
            ch["target"].as_i64(),
            ch["attainment_percent"].as_i64(),
            ch["rank"].as_i64(),
            ch["ranked"].as_i64()
        ),
        (Some(3), Some(10), Some(30), Some(1), Some(1))
    );
    assert!(ch["tier_percent"].is_null());
    assert!(ch["award"].is_null());

    // Nine more units reach the 120 % tier; once awarded, the award is there too.
    sale(&app, &b.tenant, &lea, "F-2", 9);
    award(&app, &b.tenant, id);
    let ch = get(c, path, &b.key).await.body["challenges"][0].clone();
    assert_eq!(ch["score"], 12);
    assert_eq!(ch["tier_percent"], 120);
    assert_eq!(ch["award"]["rank"], 1);
    assert_eq!(ch["award"]["points"], 650);
    let one = get(c, &format!("/api/v1/challenges/{}", id.0), &b.key).await;
    assert_eq!(one.body["status"], "awarded");

    let a = get(c, "/api/v1/challenges/-4", &b.key).await;
    assert_eq!((a.status, a.fields()), (400, vec!["id".to_string()]));
    assert_eq!(
        get(c, "/api/v1/challenges/424242", &b.key).await.status,
        404
    );
    let a = get(
        c,
        "/api/v1/participants/nobody@acme.example/challenges",
        &b.key,
    )
    .await;
    assert_eq!(a.status, 404);
}

#[actix_web::test]
async fn every_progress_endpoint_refuses_missing_revoked_foreign_and_unscoped_keys() {
    let app = spawn_app().await;
    let b = brand(&app, "acme");
    let other = brand(&app, "globex");
    let m = mission(&app, &b.tenant, "survey", "Your shop", false);
    let ch = challenge(&app, &b.tenant);
    let revoked = key(&app, &b.tenant, ALL_SCOPES);
    let id = relais::services::api_keys::list(&mut app.conn(), b.tenant.tenant_id())
        .unwrap()
        .into_iter()
        .find(|k| revoked.starts_with(&k.prefix))
        .unwrap()
        .id;
    relais::services::api_keys::revoke(
        &mut app.conn(),
        b.tenant.tenant_id(),
        &actor(),
        id,
        Utc::now(),
    )
    .unwrap();
    let paths = [
        "/api/v1/missions".to_string(),
        format!("/api/v1/missions/{}", m.0),
        "/api/v1/challenges".to_string(),
        format!("/api/v1/challenges/{}", ch.0),
        "/api/v1/participants/lea@acme.example/missions".to_string(),
        "/api/v1/participants/lea@acme.example/challenges".to_string(),
    ];
    let unscoped = key(
        &app,
        &b.tenant,
        &["sell-in", "sell-out", "network", "fulfilment"],
    );
    let scoped = key(&app, &b.tenant, &["read"]);
    for path in &paths {
        for k in [None, Some(revoked.as_str()), Some(other.key.as_str())] {
            let a = send(&b.client, "GET", path, k, None, None).await;
            assert_eq!((a.status, a.code()), (401, "unauthorized"), "{path} {k:?}");
        }
        let a = get(&b.client, path, &unscoped).await;
        assert_eq!((a.status, a.code()), (403, "insufficient_scope"), "{path}");
        let a = get(&b.client, path, &scoped).await;
        assert_eq!(a.status, 200, "{path}: {:?}", a.body);
        // The other tenant, with its own key on its own address, sees none of it.
        let a = get(&other.client, path, &other.key).await;
        match a.status {
            404 => assert_eq!(a.code(), "not_found"),
            200 => {
                let items = a.body["items"].as_array().unwrap();
                assert!(items.is_empty(), "{path}: {items:?}");
            }
            s => panic!("{path}: {s}"),
        }
    }
}
