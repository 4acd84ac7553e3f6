//! Missions: set-up in the studio, quizzes and surveys done by participants, points
//! earned once, results, and every refusal with its message and nothing written.

use std::sync::{Arc, Barrier};

use chrono::{Duration, Utc};
use diesel::prelude::*;
use futures_util::future::join_all;
use relais::db::schema::{ledger_transactions, mission_attempts};
use relais::db::tenants::Tenant;
use relais::db::users::User;
use relais::domain::missions::MissionStatus;
use relais::domain::{MissionId, Role, Zone};
use relais::services::audit::Actor;
use relais::services::missions::{self, AnswerInput, MissionError, MissionInput, QuestionInput};
use relais::services::segments::{self, SegmentInput};

use super::declarations::support::{add_participant, add_partner, balance};
use crate::common::{spawn_app, TestApp, TestClient, PASSWORD};

struct Programme {
    tenant: Tenant,
    participant: User,
    client: TestClient,
}

async fn programme(app: &TestApp, slug: &str) -> Programme {
    let (tenant, _) = app.create_tenant(slug, &format!("{slug} brand"));
    let partner = add_partner(app, &tenant, "PH-75-0012", "Île-de-France");
    let email = format!("lea@{slug}.example");
    let participant = add_participant(app, &tenant, partner, &email, "Léa");
    let client = app.client(&app.host(&tenant));
    assert_eq!(client.login(&email, PASSWORD).await.status, 303);
    Programme {
        tenant,
        participant,
        client,
    }
}

fn actor() -> Actor {
    Actor::system("test")
}

/// A mission with these questions (kind, prompt, options with `*` on the correct ones),
/// published unless `draft`.
fn mission(
    app: &TestApp,
    tenant: &Tenant,
    kind: &str,
    edit: impl FnOnce(&mut MissionInput),
    questions: &[(&str, &str, &[&str])],
) -> MissionId {
    let today = Zone::UTC.today(Utc::now());
    let mut input = MissionInput {
        title: format!("A {kind}"),
        kind: kind.into(),
        points: "100".into(),
        starts_on: (today - Duration::days(1)).to_string(),
        ends_on: (today + Duration::days(10)).to_string(),
        completion_limit: "once".into(),
        pass_mark: "60".into(),
        max_attempts: "2".into(),
        ..MissionInput::default()
    };
    edit(&mut input);
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
    for (qkind, prompt, options) in questions {
        let q = QuestionInput {
            kind: (*qkind).into(),
            prompt: (*prompt).into(),
            required: !prompt.ends_with('?') || kind == "quiz",
            options: options
                .iter()
                .map(|o| o.trim_start_matches('*').to_string())
                .collect(),
            correct: options
                .iter()
                .enumerate()
                .filter(|(_, o)| o.starts_with('*'))
                .map(|(i, _)| (i + 1).to_string())
                .collect(),
            form_token: String::new(),
        };
        missions::add_question(&mut app.conn(), tid, &actor(), m.id, &q, Utc::now()).unwrap();
    }
    missions::set_status(
        &mut app.conn(),
        tid,
        &actor(),
        m.id,
        MissionStatus::Published,
        Utc::now(),
    )
    .unwrap();
    m.id
}

const QUIZ: &[(&str, &str, &[&str])] = &[
    ("single", "Capital of France", &["Lyon", "*Paris", "Nice"]),
    ("multiple", "Even numbers", &["*2", "3", "*4"]),
];

fn quiz(app: &TestApp, tenant: &Tenant) -> MissionId {
    mission(app, tenant, "quiz", |_| {}, QUIZ)
}

/// `(question id, option id)` of each option of a mission, by label.
fn option_ids(app: &TestApp, tenant: &Tenant, id: MissionId) -> Vec<(String, String, String)> {
    let qs = relais::db::missions::questions(&mut app.conn(), tenant.tenant_id(), id).unwrap();
    relais::db::missions::options(&mut app.conn(), tenant.tenant_id(), id)
        .unwrap()
        .into_iter()
        .map(|o| {
            let q = qs.iter().find(|q| q.id == o.question_id).unwrap();
            (format!("q{}", q.id), o.id.to_string(), o.label)
        })
        .collect()
}

/// The form fields answering with these labels.
fn pick(options: &[(String, String, String)], labels: &[&str]) -> Vec<(String, String)> {
    options
        .iter()
        .filter(|(_, _, l)| labels.contains(&l.as_str()))
        .map(|(q, o, _)| (q.clone(), o.clone()))
        .collect()
}

async fn start(client: &TestClient, id: MissionId) -> String {
    let page = client.get(&format!("/missions/{id}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let token = page.input_value("form_token").expect("a start form");
    let started = client
        .post_form(&format!("/missions/{id}/start"), &[("form_token", &token)])
        .await;
    assert_eq!(started.status, 303, "{}", started.body);
    let page = client.get(&format!("/missions/{id}")).await;
    page.input_value("attempt_id")
        .expect("an attempt in progress")
}

async fn answer(
    client: &TestClient,
    id: MissionId,
    attempt: &str,
    fields: &[(String, String)],
) -> crate::common::Page {
    let mut all: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    all.push(("attempt_id", attempt));
    client
        .post_form(&format!("/missions/{id}/quiz"), &all)
        .await
}

#[derive(QueryableByName)]
struct N {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// Rows in a table.
fn count(app: &TestApp, table: &str) -> i64 {
    diesel::sql_query(format!("SELECT count(*) AS n FROM {table}"))
        .get_result::<N>(&mut app.conn())
        .unwrap()
        .n
}

fn completions(app: &TestApp) -> i64 {
    count(app, "mission_completions")
}

fn earns(app: &TestApp) -> i64 {
    ledger_transactions::table
        .filter(ledger_transactions::cause_type.eq("mission"))
        .count()
        .get_result(&mut app.conn())
        .unwrap()
}

#[actix_web::test]
async fn a_marketer_sets_up_a_quiz_in_the_studio_and_published_rules_stay_put() {
    let app = spawn_app().await;
    let (tenant, _) = app.create_tenant("acme", "Acme");
    app.create_user(&tenant, Role::Marketer, "m@acme.example", "Marketer");
    let client = app.client(&app.host(&tenant));
    client.login("m@acme.example", PASSWORD).await;

    let form = client.get("/studio/missions/new").await;
    assert_eq!(form.status, 200);
    let token = form.input_value("form_token").unwrap();
    let today = Zone::UTC.today(Utc::now()).to_string();
    let fields = |title: &'static str, points: &'static str| {
        vec![
            ("title", title),
            ("kind", "quiz"),
            ("points", points),
            ("completion_limit", "once"),
            ("pass_mark", "80"),
            ("max_attempts", "3"),
        ]
    };
    // A bad value is shown next to its field and nothing is written.
    let mut bad = fields("Range quiz", "lots");
    bad.extend([("starts_on", today.as_str()), ("ends_on", today.as_str())]);
    bad.push(("form_token", &token));
    let refused = client.post_form("/studio/missions", &bad).await;
    assert_eq!(refused.status, 422);
    assert!(!refused.texts("[data-field=points]").is_empty());
    assert_eq!(
        missions::list(&mut app.conn(), tenant.tenant_id())
            .unwrap()
            .len(),
        0
    );

    let mut good = fields("Range quiz", "120");
    good.extend([("starts_on", today.as_str()), ("ends_on", today.as_str())]);
    good.push(("form_token", &token));
    let created = client.post_form("/studio/missions", &good).await;
    assert_eq!(created.status, 303, "{}", created.body);
    let again = client.post_form("/studio/missions", &good).await;
    assert_eq!(again.location, created.location, "one form, one mission");
    let at = created.location.unwrap();

    // Publishing without questions is refused, with the reason.
    let publish = client
        .post_form(&format!("{at}/status"), &[("status", "published")])
        .await;
    assert_eq!(publish.status, 409);
    assert!(publish.texts("[data-testid=refusal]")[0].contains("question"));

    let editor = client.get(&at).await;
    let qtoken = editor.input_value("form_token").unwrap();
    // A single choice with two correct options is refused.
    let q = |correct: &[&'static str], token: &str| {
        let mut f: Vec<(&str, String)> = vec![
            ("kind", "single".into()),
            ("prompt", "Which stick lasts 24 hours?".into()),
            ("option", "Fraîcheur".into()),
            ("option", "Coton".into()),
            ("option", "".into()),
            ("form_token", token.into()),
        ];
        f.extend(correct.iter().map(|c| ("correct", c.to_string())));
        f
    };
    let two = q(&["1", "2"], &qtoken);
    let two: Vec<(&str, &str)> = two.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = client.post_form(&format!("{at}/questions"), &two).await;
    assert_eq!(refused.status, 422);
    assert!(!refused.texts("[data-field=correct]").is_empty());
    let one = q(&["1"], &qtoken);
    let one: Vec<(&str, &str)> = one.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        client
            .post_form(&format!("{at}/questions"), &one)
            .await
            .status,
        303
    );
    let publish = client
        .post_form(&format!("{at}/status"), &[("status", "published")])
        .await;
    assert_eq!(publish.status, 303);

    // Published: the points are kept, the title and the last day may change.
    let mut changed = fields("Range quiz 2026", "500");
    changed.extend([("starts_on", today.as_str()), ("ends_on", today.as_str())]);
    let refused = client.post_form(&at, &changed).await;
    assert_eq!(refused.status, 422);
    assert!(!refused.texts("[data-field=points]").is_empty());
    let mut renamed = fields("Range quiz 2026", "120");
    renamed.extend([("starts_on", today.as_str()), ("ends_on", "2099-12-31")]);
    assert_eq!(client.post_form(&at, &renamed).await.status, 303);
    let list = client.get("/studio/missions").await;
    assert!(list.body.contains("Range quiz 2026"));
    // Questions of a published mission are locked too.
    let fresh = q(&["1"], &"z".repeat(32));
    let fresh: Vec<(&str, &str)> = fresh.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let locked = client.post_form(&format!("{at}/questions"), &fresh).await;
    assert_eq!(locked.status, 409);
}

#[actix_web::test]
async fn a_participant_fails_then_passes_a_quiz_and_earns_its_points_once() {
    let app = spawn_app().await;
    let p = programme(&app, "acme").await;
    let id = quiz(&app, &p.tenant);
    let options = option_ids(&app, &p.tenant, id);

    let list = p.client.get("/missions").await;
    assert_eq!(list.texts("[data-testid=todo] h3"), vec!["A quiz"]);

    // Before starting, not even the options reach the page.
    let intro = p.client.get(&format!("/missions/{id}")).await;
    assert!(!intro.body.contains("Lyon"));
    let attempt = start(&p.client, id).await;
    let during = p.client.get(&format!("/missions/{id}")).await;
    assert!(during.body.contains("Lyon"));
    assert!(
        !during.body.to_lowercase().contains("correct"),
        "no hint of the correct options before scoring"
    );

    // Half right: 50 % < 60 %.
    let page = answer(&p.client, id, &attempt, &pick(&options, &["Paris", "2"])).await;
    assert_eq!(page.status, 303);
    let after = p.client.get(&format!("/missions/{id}")).await;
    assert_eq!(after.texts("[data-testid=score]"), vec!["50 %"]);
    assert!(!after.texts("[data-testid=failed]").is_empty());
    assert!(
        after.texts("[data-testid=corrections]").is_empty(),
        "no corrections while a retry remains"
    );
    assert_eq!(balance(&app, &p.tenant, &p.participant), 0);

    let attempt = start(&p.client, id).await;
    let page = answer(
        &p.client,
        id,
        &attempt,
        &pick(&options, &["Paris", "2", "4"]),
    )
    .await;
    assert_eq!(page.status, 303);
    let after = p.client.get(&format!("/missions/{id}")).await;
    assert_eq!(after.texts("[data-testid=score]"), vec!["100 %"]);
    assert!(!after.texts("[data-testid=corrections]").is_empty());
    assert_eq!(balance(&app, &p.tenant, &p.participant), 100);
    assert_eq!(earns(&app), 1);
    let list = p.client.get("/missions").await;
    assert_eq!(list.texts("[data-testid=done] h3"), vec!["A quiz"]);
    let statement = p.client.get("/points").await;
    assert!(
        statement.body.contains("A quiz"),
        "the mission names the earn"
    );

    // Done: no third attempt.
    let again = p
        .client
        .post_form(
            &format!("/missions/{id}/start"),
            &[("form_token", "x".repeat(32).as_str())],
        )
        .await;
    assert_eq!(again.status, 409);
    assert!(again.texts("[data-testid=refusal]")[0].contains("already"));
}

#[actix_web::test]
async fn options_are_shuffled_per_attempt() {
    let app = spawn_app().await;
    let p = programme(&app, "acme").await;
    let labels: Vec<String> = (1..=8).map(|i| format!("Option {i}")).collect();
    let with_star: Vec<String> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| if i == 0 { format!("*{l}") } else { l.clone() })
        .collect();
    let refs: Vec<&str> = with_star.iter().map(String::as_str).collect();
    let id = mission(
        &app,
        &p.tenant,
        "quiz",
        |i| i.max_attempts = "20".into(),
        &[("single", "Pick", &refs)],
    );
    let mut orders = std::collections::BTreeSet::new();
    for _ in 0..4 {
        let attempt = start(&p.client, id).await;
        let page = p.client.get(&format!("/missions/{id}")).await;
        orders.insert(page.texts(".question label"));
        answer(&p.client, id, &attempt, &[]).await;
        // An unanswered quiz is refused; send a wrong answer to close the attempt.
        let options = option_ids(&app, &p.tenant, id);
        answer(&p.client, id, &attempt, &pick(&options, &["Option 2"])).await;
    }
    assert!(orders.len() > 1, "the order changes between attempts");
}

#[actix_web::test]
async fn bad_answers_are_refused_with_a_message_and_nothing_is_written() {
    let app = spawn_app().await;
    let p = programme(&app, "acme").await;
    let id = quiz(&app, &p.tenant);
    let other = quiz(&app, &p.tenant);
    let options = option_ids(&app, &p.tenant, id);
    let foreign = option_ids(&app, &p.tenant, other);
    let attempt = start(&p.client, id).await;
    let attempts_before = count(&app, "mission_attempts");

    // An option of the other question of this quiz.
    let paris = pick(&options, &["Paris"]);
    let four = pick(&options, &["4"]);
    let crossed = vec![
        (paris[0].0.clone(), four[0].1.clone()),
        (four[0].0.clone(), four[0].1.clone()),
    ];
    let page = answer(&p.client, id, &attempt, &crossed).await;
    assert_eq!(page.status, 422);
    assert!(page.texts(".field-error")[0].contains("does not belong"));
    // An option of another mission.
    let theirs = pick(&foreign, &["Paris"]);
    let mixed = vec![(paris[0].0.clone(), theirs[0].1.clone()), four[0].clone()];
    assert_eq!(answer(&p.client, id, &attempt, &mixed).await.status, 422);
    // A question of another mission.
    let page = answer(&p.client, id, &attempt, &theirs).await;
    assert_eq!(page.status, 409);
    assert!(page.texts("[data-testid=refusal]")[0].contains("not part of this mission"));
    // A question left unanswered.
    let page = answer(&p.client, id, &attempt, &paris).await;
    assert_eq!(page.status, 422);
    assert!(page.texts(".field-error")[0].contains("needs an answer"));

    let settled: i64 = mission_attempts::table
        .filter(mission_attempts::submitted_at.is_not_null())
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(settled, 0, "no attempt was scored");
    assert_eq!(count(&app, "mission_attempts"), attempts_before);
    assert_eq!(count(&app, "mission_answers"), 0);
}

#[actix_web::test]
async fn out_of_attempts_and_closed_quizzes_refuse_answers() {
    let app = spawn_app().await;
    let p = programme(&app, "acme").await;
    let id = quiz(&app, &p.tenant);
    let options = option_ids(&app, &p.tenant, id);
    for _ in 0..2 {
        let attempt = start(&p.client, id).await;
        answer(&p.client, id, &attempt, &pick(&options, &["Lyon", "3"])).await;
    }
    let page = p.client.get(&format!("/missions/{id}")).await;
    assert!(page.input_value("form_token").is_none(), "no start button");
    assert!(
        !page.texts("[data-testid=corrections]").is_empty(),
        "no retry left: corrections shown"
    );
    let refused = p
        .client
        .post_form(&format!("/missions/{id}/start"), &[("form_token", "")])
        .await;
    assert_eq!(refused.status, 409);
    assert!(refused.texts("[data-testid=refusal]")[0].contains("all your attempts"));
    let list = p.client.get("/missions").await;
    assert_eq!(list.texts("[data-testid=done] .badge-danger").len(), 1);

    // A quiz that closes while an attempt is open refuses its answers.
    let closing = quiz(&app, &p.tenant);
    let options = option_ids(&app, &p.tenant, closing);
    let attempt = start(&p.client, closing).await;
    diesel::update(relais::db::schema::missions::table)
        .filter(relais::db::schema::missions::id.eq(closing))
        .set(relais::db::schema::missions::ends_at.eq(Utc::now() - Duration::minutes(1)))
        .execute(&mut app.conn())
        .unwrap();
    let page = answer(
        &p.client,
        closing,
        &attempt,
        &pick(&options, &["Paris", "2", "4"]),
    )
    .await;
    assert_eq!(page.status, 409);
    assert!(page.texts("[data-testid=refusal]")[0].contains("closed"));
    assert_eq!(completions(&app), 0);
    assert_eq!(balance(&app, &p.tenant, &p.participant), 0);
    let list = p.client.get("/missions").await;
    assert_eq!(list.texts("[data-testid=expired] h3").len(), 1);
}

#[actix_web::test]
async fn the_time_limit_is_enforced_by_the_server() {
    let app = spawn_app().await;
    let p = programme(&app, "acme").await;
    let id = mission(
        &app,
        &p.tenant,
        "quiz",
        |i| i.time_limit_minutes = "1".into(),
        QUIZ,
    );
    let options = option_ids(&app, &p.tenant, id);
    let attempt = start(&p.client, id).await;
    let page = p.client.get(&format!("/missions/{id}")).await;
    assert_eq!(page.texts("[data-testid=deadline]").len(), 1);
    // The attempt began two minutes ago, as far as the server knows.
    diesel::update(mission_attempts::table)
        .set(mission_attempts::started_at.eq(Utc::now() - Duration::minutes(2)))
        .execute(&mut app.conn())
        .unwrap();
    let late = answer(
        &p.client,
        id,
        &attempt,
        &pick(&options, &["Paris", "2", "4"]),
    )
    .await;
    assert_eq!(late.status, 303);
    let after = p.client.get(&format!("/missions/{id}")).await;
    assert!(after.body.contains("Time was up"));
    assert_eq!(
        completions(&app),
        0,
        "a right answer sent too late earns nothing"
    );
    assert_eq!(
        after.texts("[data-testid=attempts-left]"),
        vec!["1 of 2 left"]
    );
}

const SURVEY: &[(&str, &str, &[&str])] = &[
    ("single", "Favourite format", &["Stick", "Spray"]),
    ("rating", "Display", &[]),
    ("long_text", "Anything else?", &[]),
];

#[actix_web::test]
async fn a_survey_is_answered_once_and_its_answers_are_counted_and_exported() {
    let app = spawn_app().await;
    let p = programme(&app, "acme").await;
    let id = mission(
        &app,
        &p.tenant,
        "survey",
        |i| i.points = "30".into(),
        SURVEY,
    );
    let options = option_ids(&app, &p.tenant, id);
    let form = p.client.get(&format!("/missions/{id}")).await;
    let token = form.input_value("form_token").unwrap();
    let (rating_q, _) = {
        let qs =
            relais::db::missions::questions(&mut app.conn(), p.tenant.tenant_id(), id).unwrap();
        (format!("q{}", qs[1].id), ())
    };
    let stick = pick(&options, &["Stick"]);
    // The rating is required: refused, with the message next to it, nothing written.
    let fields = vec![
        ("form_token", token.as_str()),
        (stick[0].0.as_str(), stick[0].1.as_str()),
    ];
    let refused = p
        .client
        .post_form(&format!("/missions/{id}/survey"), &fields)
        .await;
    assert_eq!(refused.status, 422);
    assert_eq!(
        refused.texts(&format!("[data-field={rating_q}]")),
        vec!["This question needs an answer."]
    );
    assert_eq!(count(&app, "mission_attempts"), 0);
    let mut fields = fields;
    fields.push((rating_q.as_str(), "9"));
    let refused = p
        .client
        .post_form(&format!("/missions/{id}/survey"), &fields)
        .await;
    assert_eq!(refused.status, 422);
    fields.pop();
    fields.push((rating_q.as_str(), "4"));
    let sent = p
        .client
        .post_form(&format!("/missions/{id}/survey"), &fields)
        .await;
    assert_eq!(sent.status, 303);
    let twice = p
        .client
        .post_form(&format!("/missions/{id}/survey"), &fields)
        .await;
    assert_eq!(
        twice.status, 303,
        "the same form again is the same submission"
    );
    assert_eq!(balance(&app, &p.tenant, &p.participant), 30);
    let done = p.client.get(&format!("/missions/{id}")).await;
    assert!(done.input_value("form_token").is_none());
    assert_eq!(done.texts("[data-testid=my-answers]").len(), 1);
    let other = p
        .client
        .post_form(
            &format!("/missions/{id}/survey"),
            &[
                ("form_token", "y".repeat(32).as_str()),
                (rating_q.as_str(), "5"),
            ],
        )
        .await;
    assert_eq!(other.status, 409);
    assert_eq!(completions(&app), 1);

    // The brand reads the results and exports them.
    app.create_user(&p.tenant, Role::Marketer, "m@acme.example", "Marketer");
    let studio = app.client(&app.host(&p.tenant));
    studio.login("m@acme.example", PASSWORD).await;
    let results = studio.get(&format!("/studio/missions/{id}/results")).await;
    assert_eq!(results.status, 200);
    assert_eq!(results.texts("[data-testid=eligible]"), vec!["1"]);
    assert_eq!(results.texts("[data-testid=completed]"), vec!["1"]);
    assert_eq!(results.texts("[data-testid=rate]"), vec!["100 %"]);
    let by_region = results.texts("[data-testid=by-region] tbody tr");
    assert_eq!(by_region.len(), 1, "{by_region:?}");
    assert!(by_region[0].contains("Île-de-France") && by_region[0].contains("100 %"));
    let by_partner = results.texts("[data-testid=by-partner] tbody tr");
    assert!(
        by_partner[0].contains("Pharmacie PH-75-0012"),
        "{by_partner:?}"
    );
    let stick_row = results.texts("[data-testid=choices-1] tbody tr");
    assert!(
        stick_row[0].contains("Stick") && stick_row[0].ends_with('1'),
        "{stick_row:?}"
    );
    let csv = studio
        .get(&format!("/studio/missions/{id}/results.csv"))
        .await;
    assert_eq!(csv.status, 200);
    let lines: Vec<&str> = csv.body.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0].contains("Favourite format"));
    assert!(lines[1].contains("Stick") && lines[1].contains("lea@acme.example"));
}

#[actix_web::test]
async fn missions_of_another_segment_or_tenant_are_not_found() {
    let app = spawn_app().await;
    let p = programme(&app, "acme").await;
    let tid = p.tenant.tenant_id();
    let elsewhere = add_partner(&app, &p.tenant, "PH-13-0007", "Provence");
    let segment = segments::create(
        &mut app.conn(),
        tid,
        &actor(),
        &SegmentInput {
            name: "South".into(),
            regions: vec!["Provence".into()],
            ..SegmentInput::default()
        },
    )
    .unwrap();
    let southern = mission(
        &app,
        &p.tenant,
        "quiz",
        |i| i.segments = vec![segment.id.to_string()],
        QUIZ,
    );
    let page = p.client.get(&format!("/missions/{southern}")).await;
    assert_eq!(page.status, 404);
    let start = p
        .client
        .post_form(
            &format!("/missions/{southern}/start"),
            &[("form_token", "")],
        )
        .await;
    assert_eq!(start.status, 404);
    assert!(p
        .client
        .get("/missions")
        .await
        .texts("[data-testid=todo] h3")
        .is_empty());
    // A participant of the segment sees it.
    add_participant(&app, &p.tenant, elsewhere, "sud@acme.example", "Sud");
    let south = app.client(&app.host(&p.tenant));
    south.login("sud@acme.example", PASSWORD).await;
    assert_eq!(
        south.get(&format!("/missions/{southern}")).await.status,
        200
    );

    // Another tenant's mission, by id.
    let other = programme(&app, "globex").await;
    let theirs = quiz(&app, &other.tenant);
    assert_eq!(
        p.client.get(&format!("/missions/{theirs}")).await.status,
        404
    );
    let survey = mission(&app, &other.tenant, "survey", |_| {}, SURVEY);
    let refused = p
        .client
        .post_form(&format!("/missions/{survey}/survey"), &[("form_token", "")])
        .await;
    assert_eq!(refused.status, 404);
    // Drafts are nobody's.
    let draft = missions::save(
        &mut app.conn(),
        tid,
        &actor(),
        Zone::UTC,
        None,
        &MissionInput {
            title: "Draft".into(),
            kind: "survey".into(),
            points: "1".into(),
            starts_on: "2026-01-01".into(),
            ends_on: "2099-01-01".into(),
            completion_limit: "once".into(),
            ..MissionInput::default()
        },
        Utc::now(),
    )
    .unwrap();
    assert_eq!(
        p.client
            .get(&format!("/missions/{}", draft.id))
            .await
            .status,
        404
    );
    assert_eq!(completions(&app), 0);
}

#[test]
fn a_once_only_survey_sent_many_times_at_once_earns_once() {
    let sys = actix_web::rt::System::new();
    let (app, p, id) = sys.block_on(async {
        let app = spawn_app().await;
        let p = programme(&app, "acme").await;
        let id = mission(&app, &p.tenant, "survey", |_| {}, &SURVEY[..1]);
        (app, p, id)
    });
    let options = option_ids(&app, &p.tenant, id);
    let stick = pick(&options, &["Stick"]);
    let n = 8;
    let barrier = Arc::new(Barrier::new(n));
    let handles: Vec<_> = (0..n)
        .map(|i| {
            let (url, barrier) = (app.database_url.clone(), barrier.clone());
            let (tid, user) = (p.tenant.tenant_id(), p.participant.clone());
            let input = AnswerInput {
                pairs: stick.clone(),
            };
            std::thread::spawn(move || {
                let mut conn = PgConnection::establish(&url).unwrap();
                barrier.wait();
                let token = format!("{i:0>32}");
                missions::submit_survey(
                    &mut conn,
                    tid,
                    &user,
                    id,
                    &token,
                    &input,
                    Utc::now(),
                    Zone::UTC,
                )
            })
        })
        .collect();
    let outcomes: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let ok = outcomes.iter().filter(|o| o.is_ok()).count();
    assert_eq!(ok, 1, "{outcomes:?}");
    assert!(outcomes.iter().all(|o| matches!(
        o,
        Ok(_) | Err(MissionError::Refused("error-mission-already-done"))
    )));
    assert_eq!(completions(&app), 1);
    assert_eq!(earns(&app), 1);
    assert_eq!(count(&app, "mission_attempts"), 1);
    assert_eq!(balance(&app, &p.tenant, &p.participant), 100);

    // Over HTTP too: the same quiz passed from five requests at once, with one attempt.
    let quiz_id = sys.block_on(async { quiz(&app, &p.tenant) });
    let options = option_ids(&app, &p.tenant, quiz_id);
    sys.block_on(async {
        let attempt = start(&p.client, quiz_id).await;
        let right = pick(&options, &["Paris", "2", "4"]);
        let pages = join_all((0..5).map(|_| answer(&p.client, quiz_id, &attempt, &right))).await;
        assert_eq!(pages.iter().filter(|p| p.status == 303).count(), 1);
        assert!(pages.iter().all(|p| p.status == 303 || p.status == 409));
    });
    assert_eq!(earns(&app), 2);
    assert_eq!(balance(&app, &p.tenant, &p.participant), 200);
}

#[actix_web::test]
async fn the_demo_seeds_missions_and_the_ledger_still_verifies() {
    let app = spawn_app().await;
    relais::services::demo::seed(&mut app.conn(), &app.storage()).unwrap();
    relais::services::demo::seed(&mut app.conn(), &app.storage()).unwrap();
    assert_eq!(
        completions(&app),
        6,
        "two quizzes passed, two surveys answered, one photo approved, one video watched"
    );
    let check = relais::services::ledger::verify(&mut app.conn(), None).unwrap();
    assert!(check.violations.is_empty(), "{:?}", check.violations);
}

#[actix_web::test]
async fn a_completed_mission_counts_once_for_a_missions_challenge() {
    use relais::db::challenges::scores;
    use relais::services::challenges::setup::{self as challenges, ChallengeInput};
    let app = spawn_app().await;
    let p = programme(&app, "mchallenge").await;
    let tid = p.tenant.tenant_id();
    let today = Zone::UTC.today(Utc::now());
    let mut input = ChallengeInput::blank(today);
    input.title = "Training month".into();
    input.objective = "missions".into();
    input.starts_on = (today - Duration::days(1)).to_string();
    input.ends_on = (today + Duration::days(20)).to_string();
    input.target_value = "2".into();
    let c = challenges::save(&mut app.conn(), tid, &actor(), None, &input, Utc::now()).unwrap();
    challenges::publish(&mut app.conn(), tid, &actor(), c.id, Utc::now()).unwrap();
    let id = mission(&app, &p.tenant, "survey", |_| {}, &SURVEY[..1]);
    let options = option_ids(&app, &p.tenant, id);
    let answers = AnswerInput {
        pairs: pick(&options, &["Stick"]),
    };
    let result = || {
        scores::score_of(&mut app.conn(), tid, c.id, p.participant.id)
            .unwrap()
            .unwrap()
            .result
    };
    assert_eq!(result(), 0);
    missions::submit_survey(
        &mut app.conn(),
        tid,
        &p.participant,
        id,
        &format!("{:0>32}", 1),
        &answers,
        Utc::now(),
        Zone::UTC,
    )
    .unwrap();
    assert_eq!(result(), 1, "the completion counts");
    let again = missions::submit_survey(
        &mut app.conn(),
        tid,
        &p.participant,
        id,
        &format!("{:0>32}", 2),
        &answers,
        Utc::now(),
        Zone::UTC,
    );
    assert!(again.is_err(), "a survey is answered once");
    assert_eq!(result(), 1, "and counts once");
}
