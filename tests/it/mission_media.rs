//! Photo and video missions: files uploaded in the studio and served by range only to
//! those who may see the mission, photo submissions reviewed by admins (points once,
//! e-mail sent), video watches that complete only when seen and the time has passed,
//! and every refusal with its message and nothing written.

use std::io::Cursor;
use std::sync::{Arc, Barrier};

use chrono::{Duration, Utc};
use diesel::prelude::*;
use futures_util::future::join_all;
use relais::db::schema::{media, mission_attempts, mission_completions};
use relais::db::tenants::Tenant;
use relais::db::users::User;
use relais::domain::{MissionId, Role, Zone};
use relais::services::audit::Actor;
use relais::services::missions::{self, video, MissionError};
use reqwest::multipart::Part;

use super::declarations::support::{add_participant, add_partner, balance};
use crate::common::smtp::SmtpSink;
use crate::common::{spawn_app, spawn_app_with, TestApp, TestClient, PASSWORD};

const DEMO_VIDEO: &[u8] = include_bytes!("../../src/services/demo_data/display-training.webm");

struct Shop {
    tenant: Tenant,
    participant: User,
    client: TestClient,
    marketer: TestClient,
    admin: TestClient,
}

async fn shop(app: &TestApp, slug: &str) -> Shop {
    let (tenant, admin) = app.create_tenant(slug, &format!("{slug} brand"));
    let partner = add_partner(app, &tenant, "PH-75-0012", "Île-de-France");
    let email = format!("lea@{slug}.example");
    let participant = add_participant(app, &tenant, partner, &email, "Léa");
    let host = app.host(&tenant);
    let client = app.client(&host);
    assert_eq!(client.login(&email, PASSWORD).await.status, 303);
    let m_email = format!("hugo@{slug}.example");
    app.create_user(&tenant, Role::Marketer, &m_email, "Hugo");
    let marketer = app.client(&host);
    assert_eq!(marketer.login(&m_email, PASSWORD).await.status, 303);
    let admin_client = app.client(&host);
    assert_eq!(admin_client.login(&admin.email, PASSWORD).await.status, 303);
    Shop {
        tenant,
        participant,
        client,
        marketer,
        admin: admin_client,
    }
}

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(w, h, image::Rgb([40, 120, 200]));
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// Creates a mission through the studio's form and returns its id.
async fn create(s: &Shop, kind: &str, extra: &[(&str, &str)]) -> MissionId {
    let form = s.marketer.get("/studio/missions/new").await;
    let token = form.input_value("form_token").unwrap();
    let today = Zone::UTC.today(Utc::now());
    let (start, end) = (
        (today - Duration::days(1)).to_string(),
        (today + Duration::days(10)).to_string(),
    );
    let mut fields: Vec<(&str, &str)> = vec![
        ("title", "Shelf photo"),
        ("kind", kind),
        ("points", "120"),
        ("starts_on", &start),
        ("ends_on", &end),
        ("completion_limit", "once"),
        ("pass_mark", "80"),
        ("max_attempts", "3"),
        ("photos_required", "1"),
        ("form_token", &token),
    ];
    fields.extend_from_slice(extra);
    let created = s.marketer.post_form("/studio/missions", &fields).await;
    assert_eq!(created.status, 303, "{}", created.body);
    created
        .location
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

async fn upload(
    s: &Shop,
    id: MissionId,
    role: &str,
    name: &str,
    bytes: Vec<u8>,
) -> crate::common::Page {
    let form = s
        .marketer
        .multipart_form()
        .await
        .text("duration_seconds", "")
        .part("file", Part::bytes(bytes).file_name(name.to_string()));
    s.marketer
        .post_multipart(&format!("/studio/missions/{id}/media/{role}"), form)
        .await
}

async fn publish(s: &Shop, id: MissionId) -> crate::common::Page {
    s.marketer
        .post_form(
            &format!("/studio/missions/{id}/status"),
            &[("status", "published")],
        )
        .await
}

async fn send_photos(
    s: &Shop,
    id: MissionId,
    token: &str,
    files: Vec<Vec<u8>>,
) -> crate::common::Page {
    let mut form = s
        .client
        .multipart_form()
        .await
        .text("form_token", token.to_string());
    for (i, f) in files.into_iter().enumerate() {
        form = form.part("photos", Part::bytes(f).file_name(format!("shelf-{i}.png")));
    }
    s.client
        .post_multipart(&format!("/missions/{id}/photos"), form)
        .await
}

fn attempts(app: &TestApp) -> i64 {
    mission_attempts::table
        .count()
        .get_result(&mut app.conn())
        .unwrap()
}

fn completions(app: &TestApp) -> i64 {
    mission_completions::table
        .count()
        .get_result(&mut app.conn())
        .unwrap()
}

#[actix_web::test]
async fn a_photo_mission_is_sent_reviewed_once_and_its_points_and_email_arrive() {
    let app = spawn_app().await;
    let s = shop(&app, "acme").await;
    let id = create(
        &s,
        "photo",
        &[("instructions", "The shelf, from the front")],
    )
    .await;
    let example = upload(&s, id, "example", "example.png", png(640, 480)).await;
    assert_eq!(example.status, 303, "{}", example.body);
    assert_eq!(publish(&s, id).await.status, 303);

    let page = s.client.get(&format!("/missions/{id}")).await;
    assert!(page.body.contains("The shelf, from the front"));
    assert!(page.body.contains("data-testid=\"example\""));
    let token = page.input_value("form_token").unwrap();

    // Refused, each with its message, and nothing written.
    let none = send_photos(&s, id, &token, vec![]).await;
    assert_eq!(none.status, 422);
    assert!(none.body.contains("Add at least one photo."));
    let six = send_photos(&s, id, &token, (0..6).map(|_| png(20, 20)).collect()).await;
    assert_eq!(six.status, 422);
    assert!(six.body.contains("At most 5 photos."));
    let text = send_photos(&s, id, &token, vec![b"not a photo, just words".to_vec()]).await;
    assert_eq!(text.status, 422);
    assert_eq!(attempts(&app), 0, "nothing written");

    // The same form sent three times at once makes one submission.
    let sent = join_all((0..3).map(|_| send_photos(&s, id, &token, vec![png(800, 600)]))).await;
    assert!(
        sent.iter().all(|p| p.status == 303),
        "{:?}",
        sent.iter().map(|p| p.status).collect::<Vec<_>>()
    );
    assert_eq!(attempts(&app), 1);
    let again = s.client.get(&format!("/missions/{id}")).await;
    assert!(again.body.contains("Awaiting review"));
    assert!(
        again.input_value("form_token").is_none(),
        "no new submission while one waits"
    );
    let list = s.client.get("/missions").await;
    assert!(list.body.contains("data-testid=\"awaiting\""));

    // The admin's queue shows it beside the example; a rejection needs a reason.
    let queue = s.admin.get("/admin/missions/reviews").await;
    assert_eq!(queue.status, 200, "{}", queue.body);
    assert!(queue.body.contains("Shelf photo") && queue.body.contains("Léa"));
    let attempt: i64 = mission_attempts::table
        .select(mission_attempts::id)
        .first(&mut app.conn())
        .unwrap();
    let thumb = s
        .admin
        .get(&format!("/missions/{id}/photos/{attempt}/1?thumb=true"))
        .await;
    assert_eq!(thumb.status, 200);
    let no_reason = s
        .admin
        .post_form(
            &format!("/admin/missions/reviews/{attempt}/reject"),
            &[("reason", "  ")],
        )
        .await;
    assert_eq!(no_reason.status, 422);
    assert!(no_reason.body.contains("aria-invalid=\"true\""));

    // Approve and reject race: one decision, points once, one e-mail.
    let approve_path = format!("/admin/missions/reviews/{attempt}/approve");
    let reject_path = format!("/admin/missions/reviews/{attempt}/reject");
    let (a, r) = futures_util::join!(
        s.admin.post_form(&approve_path, &[]),
        s.admin.post_form(&reject_path, &[("reason", "Blurred")])
    );
    assert_eq!(
        (a.status, r.status),
        (303.try_into().unwrap(), 303.try_into().unwrap())
    );
    let passed: Option<bool> = mission_attempts::table
        .select(mission_attempts::passed)
        .first(&mut app.conn())
        .unwrap();
    let earned = balance(&app, &s.tenant, &s.participant);
    match passed {
        Some(true) => assert_eq!(earned, 120),
        Some(false) => assert_eq!(earned, 0),
        None => panic!("undecided"),
    }
    let sink = SmtpSink::start().await;
    app.worker(sink.port).run_due(Utc::now()).await.unwrap();
    let mails = sink.messages();
    assert_eq!(mails.len(), 1, "one decision, one e-mail");
    if passed == Some(true) {
        assert_eq!(mails[0].subject(), "acme brand: your photos are approved");
        assert!(mails[0].text().contains("120 points credited"));
    } else {
        assert_eq!(
            mails[0].subject(),
            "acme brand: your photos were not approved"
        );
        assert!(mails[0].text().contains("Blurred"));
    }
    assert!(mails[0]
        .link(&format!("/missions/{id}"))
        .ends_with("?lang=en"));

    // Photos are the participant's and the admins': another participant gets a 404.
    let partner = add_partner(&app, &s.tenant, "PH-13-0007", "Provence");
    add_participant(&app, &s.tenant, partner, "max@acme.example", "Max");
    let other = app.client(&app.host(&s.tenant));
    assert_eq!(other.login("max@acme.example", PASSWORD).await.status, 303);
    let stolen = other
        .get(&format!("/missions/{id}/photos/{attempt}/1"))
        .await;
    assert_eq!(stolen.status, 404);
}

#[actix_web::test]
async fn a_reviewer_cannot_approve_their_own_submission() {
    let app = spawn_app().await;
    let s = shop(&app, "acme").await;
    let id = create(&s, "photo", &[]).await;
    assert_eq!(publish(&s, id).await.status, 303);
    let tid = s.tenant.tenant_id();
    let sent = missions::photo::submit_photos(
        &mut app.conn(),
        tid,
        &s.participant,
        id,
        "",
        vec![relais::services::declarations::proofs::ProofUpload {
            file_name: "a.png".into(),
            bytes: png(50, 50),
        }],
        Utc::now(),
        Zone::UTC,
    )
    .unwrap();
    let refused = missions::photo::decide(
        &mut app.conn(),
        tid,
        &s.participant,
        sent,
        &missions::photo::Decision::Approve,
        Utc::now(),
    );
    assert!(matches!(
        refused,
        Err(MissionError::Refused("error-review-own"))
    ));
    assert_eq!(completions(&app), 0);
}

#[actix_web::test]
async fn media_is_served_by_range_only_to_those_who_may_see_the_mission() {
    let app = spawn_app().await;
    let s = shop(&app, "acme").await;
    let id = create(&s, "video", &[]).await;

    let not_video = upload(
        &s,
        id,
        "video",
        "clip.mp4",
        b"plain text pretending".to_vec(),
    )
    .await;
    assert_eq!(not_video.status, 422);
    assert!(not_video
        .body
        .contains("Only MP4 or WebM videos are accepted"));
    let refused = publish(&s, id).await;
    assert_eq!(refused.status, 409);
    assert!(refused.body.contains("Upload the video"));
    let stored = upload(&s, id, "video", "training.webm", DEMO_VIDEO.to_vec()).await;
    assert_eq!(stored.status, 303, "{}", stored.body);
    let editor = s.marketer.get(&format!("/studio/missions/{id}")).await;
    assert!(editor.body.contains("Duration: 6 s"), "read from the file");
    assert_eq!(publish(&s, id).await.status, 303);
    let media_id: i64 = media::table
        .select(media::id)
        .first(&mut app.conn())
        .unwrap();
    let one = media::table
        .count()
        .get_result::<i64>(&mut app.conn())
        .unwrap();
    assert_eq!(one, 1, "the refused upload left nothing");

    let url = format!("{}/media/{media_id}", s.client.base);
    let part = s
        .client
        .http
        .get(&url)
        .header("Range", "bytes=0-99")
        .send()
        .await
        .unwrap();
    assert_eq!(part.status(), 206);
    assert_eq!(
        part.headers()["content-range"],
        format!("bytes 0-99/{}", DEMO_VIDEO.len()).as_str()
    );
    assert_eq!(part.headers()["content-type"], "video/webm");
    assert_eq!(part.bytes().await.unwrap().as_ref(), &DEMO_VIDEO[..100]);
    let tail = s
        .client
        .http
        .get(&url)
        .header("Range", "bytes=-10")
        .send()
        .await
        .unwrap();
    assert_eq!(tail.status(), 206);
    assert_eq!(
        tail.bytes().await.unwrap().as_ref(),
        &DEMO_VIDEO[DEMO_VIDEO.len() - 10..]
    );
    let whole = s.client.http.get(&url).send().await.unwrap();
    assert_eq!(whole.status(), 200);
    assert_eq!(whole.headers()["accept-ranges"], "bytes");
    assert_eq!(whole.bytes().await.unwrap().len(), DEMO_VIDEO.len());
    let beyond = s
        .client
        .http
        .get(&url)
        .header("Range", "bytes=999999-")
        .send()
        .await
        .unwrap();
    assert_eq!(beyond.status(), 416);

    // Another tenant's participant, by id: 404. Nobody signed in: the login page.
    let other = shop(&app, "globex").await;
    let theirs = other.client.get(&format!("/media/{media_id}")).await;
    assert_eq!(theirs.status, 404);
    let anonymous = app
        .client(&app.host(&s.tenant))
        .get(&format!("/media/{media_id}"))
        .await;
    assert_eq!(anonymous.status, 303);
}

#[actix_web::test]
async fn a_mission_of_another_segment_and_its_files_are_not_found() {
    let app = spawn_app().await;
    let s = shop(&app, "acme").await;
    let tid = s.tenant.tenant_id();
    let segment = relais::services::segments::create(
        &mut app.conn(),
        tid,
        &Actor::system("test"),
        &relais::services::segments::SegmentInput {
            name: "Provence".into(),
            regions: vec!["Provence".into()],
            ..Default::default()
        },
    )
    .unwrap();
    let segment_id = segment.id.to_string();
    let id = create(&s, "photo", &[("segments", &segment_id)]).await;
    assert_eq!(
        upload(&s, id, "cover", "c.png", png(300, 200)).await.status,
        303
    );
    assert_eq!(publish(&s, id).await.status, 303);
    let cover: i64 = media::table
        .select(media::id)
        .first(&mut app.conn())
        .unwrap();
    // Léa's partner is in Île-de-France: not in the segment.
    assert_eq!(s.client.get(&format!("/missions/{id}")).await.status, 404);
    assert_eq!(s.client.get(&format!("/media/{cover}")).await.status, 404);
    let form = s.client.multipart_form().await.text("form_token", "x");
    let sent = s
        .client
        .post_multipart(&format!("/missions/{id}/photos"), form)
        .await;
    assert_eq!(sent.status, 404);
    // Staff see it.
    assert_eq!(s.marketer.get(&format!("/media/{cover}")).await.status, 200);
    assert_eq!(attempts(&app), 0);
}

#[actix_web::test]
async fn an_oversized_video_is_refused_next_to_its_field() {
    let app = spawn_app_with(|s| s.storage.max_video_mb = 0).await;
    let s = shop(&app, "acme").await;
    let id = create(&s, "video", &[]).await;
    let big = upload(&s, id, "video", "training.webm", DEMO_VIDEO.to_vec()).await;
    assert_eq!(big.status, 422);
    assert!(big.body.contains("This file is over the size limit."));
    let none: i64 = media::table.count().get_result(&mut app.conn()).unwrap();
    assert_eq!(none, 0);
}

async fn post_json(
    client: &TestClient,
    path: &str,
    body: serde_json::Value,
) -> (u16, serde_json::Value) {
    let token = client.csrf().await;
    let res = client
        .http
        .post(format!("{}{path}", client.base))
        .header("X-CSRF-Token", token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(serde_json::Value::Null))
}

#[actix_web::test]
async fn a_video_completes_only_when_seen_and_the_time_has_passed_and_earns_once() {
    let app = spawn_app().await;
    let s = shop(&app, "acme").await;
    let id = create(&s, "video", &[]).await;
    assert_eq!(
        upload(&s, id, "video", "t.webm", DEMO_VIDEO.to_vec())
            .await
            .status,
        303
    );
    assert_eq!(publish(&s, id).await.status, 303);
    let path = format!("/missions/{id}/watch");

    let (status, body) = post_json(&s.client, &path, serde_json::json!({"ranges": [[0, 6]]})).await;
    assert_eq!(status, 409, "never started");
    assert_eq!(body["error"]["code"], "error-video-not-started");
    assert_eq!(body["error"]["fields"][0]["field"], "ranges");

    let (status, _) = post_json(&s.client, &format!("{path}/start"), serde_json::json!({})).await;
    assert_eq!(status, 200);
    let (status, body) =
        post_json(&s.client, &path, serde_json::json!({"ranges": [[0, 100]]})).await;
    assert_eq!(status, 422, "more than the video holds");
    assert_eq!(
        body["error"]["message"],
        "This progress report does not match the video."
    );
    let (status, body) = post_json(&s.client, &path, serde_json::json!({"ranges": "lots"})).await;
    assert_eq!(status, 422);
    assert_eq!(body["error"]["code"], "error-video-progress");

    // Everything seen at once, seconds after the start: not watched yet.
    let (status, body) = post_json(&s.client, &path, serde_json::json!({"ranges": [[0, 6]]})).await;
    assert_eq!(status, 200);
    assert_eq!(body["seen_percent"], 100);
    assert_eq!(body["watched"], false);
    assert_eq!(completions(&app), 0);

    // Later, reports racing on real connections: completed once, points once.
    let later = Utc::now() + Duration::seconds(10);
    let barrier = Arc::new(Barrier::new(4));
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let (pool, barrier) = (app.pool.clone(), barrier.clone());
            let (tid, user) = (s.tenant.tenant_id(), s.participant.clone());
            std::thread::spawn(move || {
                let mut conn = pool.get().unwrap();
                barrier.wait();
                video::report(&mut conn, tid, &user, id, &[(5.0, 6.0)], later, Zone::UTC)
            })
        })
        .collect();
    let outcomes: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let completed = outcomes
        .iter()
        .filter(|o| matches!(o, Ok(p) if p.completed))
        .count();
    assert_eq!(completed, 1, "{outcomes:?}");
    assert_eq!(completions(&app), 1);
    assert_eq!(balance(&app, &s.tenant, &s.participant), 120);
    let page = s.client.get(&format!("/missions/{id}")).await;
    assert!(page.body.contains("data-testid=\"watched\""));
}

#[actix_web::test]
async fn a_follow_up_quiz_opens_only_once_the_video_is_watched() {
    let app = spawn_app().await;
    let s = shop(&app, "acme").await;
    let id = create(&s, "video", &[]).await;
    assert_eq!(
        upload(&s, id, "video", "t.webm", DEMO_VIDEO.to_vec())
            .await
            .status,
        303
    );
    let added = s
        .marketer
        .post_form(
            &format!("/studio/missions/{id}/questions"),
            &[
                ("kind", "single"),
                ("prompt", "First rule?"),
                ("option", "Eye level"),
                ("option", "Floor"),
                ("correct", "1"),
                ("form_token", "q1"),
            ],
        )
        .await;
    assert_eq!(added.status, 303, "{}", added.body);
    assert_eq!(publish(&s, id).await.status, 303);
    let (tid, now) = (s.tenant.tenant_id(), Utc::now());
    let early = missions::start_quiz(&mut app.conn(), tid, &s.participant, id, "", now, Zone::UTC);
    assert!(matches!(
        early,
        Err(MissionError::Refused("error-video-not-watched"))
    ));
    video::start_watch(&mut app.conn(), tid, &s.participant, id, now, Zone::UTC).unwrap();
    let later = now + Duration::seconds(7);
    let p = video::report(
        &mut app.conn(),
        tid,
        &s.participant,
        id,
        &[(0.0, 6.0)],
        later,
        Zone::UTC,
    )
    .unwrap();
    assert!(p.watched && p.quiz_open && !p.completed);
    assert_eq!(completions(&app), 0, "the quiz decides");
    missions::start_quiz(
        &mut app.conn(),
        tid,
        &s.participant,
        id,
        "",
        later,
        Zone::UTC,
    )
    .unwrap();
}

#[actix_web::test]
async fn an_admin_bulk_approves_submissions_filtered_by_region() {
    let app = spawn_app().await;
    let s = shop(&app, "acme").await;
    let id = create(&s, "photo", &[]).await;
    assert_eq!(publish(&s, id).await.status, 303);
    let south = add_partner(&app, &s.tenant, "PH-13-0007", "Provence");
    let max = add_participant(&app, &s.tenant, south, "max@acme.example", "Max");
    let tid = s.tenant.tenant_id();
    let mut sent = vec![];
    for who in [&s.participant, &max] {
        let upload = relais::services::declarations::proofs::ProofUpload {
            file_name: "shelf.png".into(),
            bytes: png(60, 40),
        };
        sent.push(
            missions::photo::submit_photos(
                &mut app.conn(),
                tid,
                who,
                id,
                "",
                vec![upload],
                Utc::now(),
                Zone::UTC,
            )
            .unwrap(),
        );
    }
    let provence = s.admin.get("/admin/missions/reviews?region=Provence").await;
    assert_eq!(provence.status, 200);
    assert!(provence.body.contains("Max") && !provence.body.contains("Léa"));
    let unknown = s.admin.get("/admin/missions/reviews?partner=NOPE").await;
    assert!(unknown.body.contains("NOPE"), "the unknown code is said");

    let ids: Vec<String> = sent.iter().map(|a| a.to_string()).collect();
    let mut fields: Vec<(&str, &str)> = ids.iter().map(|i| ("id", i.as_str())).collect();
    fields.push(("back", "/admin/missions/reviews?region=Provence"));
    let done = s
        .admin
        .post_form("/admin/missions/reviews/approve", &fields)
        .await;
    assert_eq!(done.status, 303);
    assert_eq!(
        done.location.as_deref(),
        Some("/admin/missions/reviews?region=Provence")
    );
    assert_eq!(completions(&app), 2);
    assert_eq!(balance(&app, &s.tenant, &max), 120);
    let again = s
        .admin
        .post_form("/admin/missions/reviews/approve", &fields)
        .await;
    assert_eq!(again.status, 303);
    let outcome = s.admin.get("/admin/missions/reviews").await;
    assert!(outcome.body.contains("data-testid=\"bulk-outcome\""));
    assert_eq!(completions(&app), 2, "decided ones are skipped");
}

/// The storage service against an S3-compatible server (moto's, from PyPI; `scripts/test`
/// installs it and builds the tests with `--features s3`): a video uploaded in the
/// studio lands in the bucket and is served back by range.
#[cfg(feature = "s3")]
#[actix_web::test]
async fn files_can_live_in_an_s3_compatible_bucket() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let python = std::env::var("RELAIS_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    let _server = tokio::process::Command::new(python)
        .args(["-m", "moto.server", "-p", &port.to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("moto's S3 server: pip install 'moto[server]'");
    let endpoint = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    let mut created = false;
    for _ in 0..100 {
        if let Ok(r) = http.put(format!("{endpoint}/relais-media")).send().await {
            created = r.status().is_success();
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(created, "the bucket");
    // Each test is a process of its own (nextest): the variables are this test's.
    std::env::set_var("AWS_ACCESS_KEY_ID", "relais");
    std::env::set_var("AWS_SECRET_ACCESS_KEY", "relais-secret");
    let app = spawn_app_with(|s| {
        s.storage.backend = relais::config::StorageBackend::S3;
        s.storage.bucket = "relais-media".into();
        s.storage.endpoint = endpoint.clone();
        s.storage.region = "us-east-1".into();
    })
    .await;
    let s = shop(&app, "acme").await;
    let id = create(&s, "video", &[]).await;
    assert_eq!(
        upload(&s, id, "video", "t.webm", DEMO_VIDEO.to_vec())
            .await
            .status,
        303
    );
    let key: String = media::table
        .select(media::storage_key)
        .first(&mut app.conn())
        .unwrap();
    // In the bucket (read back through the store), not in the local folder.
    let stored = app.storage().get(&key, None).await.unwrap();
    assert_eq!(stored.len(), DEMO_VIDEO.len());
    let local = app.settings.root.join("target/test-media").join(&key);
    assert!(!local.exists(), "not on the local disk");
    assert_eq!(publish(&s, id).await.status, 303);
    let media_id: i64 = media::table
        .select(media::id)
        .first(&mut app.conn())
        .unwrap();
    let part = s
        .client
        .http
        .get(format!("{}/media/{media_id}", s.client.base))
        .header("Range", "bytes=100-199")
        .send()
        .await
        .unwrap();
    assert_eq!(part.status(), 206);
    assert_eq!(part.bytes().await.unwrap().as_ref(), &DEMO_VIDEO[100..200]);
}
