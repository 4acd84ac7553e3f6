//! Badges: each rule at its exact threshold, streaks broken by a gap week, a month's
//! missions, podiums, once under concurrent approvals (points once through the ledger,
//! one e-mail), the studio's settings (audited, bad input refused), the participant's
//! page, the backfill, and another tenant's badges out of sight.

use std::sync::{Arc, Barrier};

use chrono::{Duration, NaiveDate, Utc};
use diesel::prelude::*;
use relais::db::declarations::{self as rows, NewDeclaration};
use relais::db::schema::{audit_events, badge_awards, jobs, ledger_transactions};
use relais::db::tenants::Tenant;
use relais::db::users::User;
use relais::domain::badges::{BadgeRule, Month};
use relais::domain::declarations::Status;
use relais::domain::missions::MissionStatus;
use relais::domain::{DeclarationId, PartnerId, Zone};
use relais::services::audit::Actor;
use relais::services::badges::{self, settings::BadgeInput};
use relais::services::declarations as review;
use relais::services::ledger;
use relais::services::missions::{self, AnswerInput, MissionInput, QuestionInput};

use super::declarations::support::{add_participant, add_partner, balance, png, shop, Shop};
use crate::common::{spawn_app, TestApp};

fn reviewer() -> Actor {
    Actor::system("test")
}

/// A submitted declaration of `who` with this sale date and points.
fn submitted(
    app: &TestApp,
    t: &Tenant,
    who: &User,
    partner: PartnerId,
    day: NaiveDate,
    points: i64,
) -> DeclarationId {
    let now = Utc::now();
    let invoice = format!("INV-{}", rand_suffix());
    rows::insert(
        &mut app.conn(),
        &NewDeclaration {
            tenant_id: t.tenant_id(),
            participant_id: who.user_id(),
            partner_id: partner,
            sale_date: day,
            channel: "in_store",
            invoice_ref: &invoice,
            flags: vec![],
            customer_type: None,
            feedback: None,
            source: "portal",
            points,
            amount_minor: 1000,
            created_at: now,
            updated_at: now,
        },
    )
    .unwrap()
    .id
}

fn rand_suffix() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::SeqCst).to_string()
}

fn approve(app: &TestApp, t: &Tenant, id: DeclarationId) {
    review::approve(
        &mut app.conn(),
        t.tenant_id(),
        &reviewer(),
        id,
        Status::Submitted,
        Utc::now(),
    )
    .unwrap();
}

fn declare_and_approve(app: &TestApp, s: &Shop, day: NaiveDate, points: i64) {
    let id = submitted(app, &s.tenant, &s.participant, s.partner_id, day, points);
    approve(app, &s.tenant, id);
}

fn earned(app: &TestApp, t: &Tenant, user: &User) -> Vec<String> {
    let mut v: Vec<String> = badge_awards::table
        .filter(badge_awards::tenant_id.eq(t.tenant_id()))
        .filter(badge_awards::user_id.eq(user.user_id()))
        .select(badge_awards::badge)
        .load(&mut app.conn())
        .unwrap();
    v.sort();
    v
}

fn badge_emails(app: &TestApp, t: &Tenant) -> Vec<serde_json::Value> {
    jobs::table
        .filter(jobs::tenant_id.eq(t.tenant_id()))
        .filter(jobs::kind.eq("email"))
        .select(jobs::payload)
        .load::<serde_json::Value>(&mut app.conn())
        .unwrap()
        .into_iter()
        .filter(|p| p["template"] == "badge_earned")
        .collect()
}

fn badge_earns(app: &TestApp, t: &Tenant) -> Vec<(String, i64)> {
    ledger_transactions::table
        .filter(ledger_transactions::tenant_id.eq(t.tenant_id()))
        .filter(ledger_transactions::cause_type.eq("badge"))
        .select((
            ledger_transactions::idempotency_key,
            ledger_transactions::amount,
        ))
        .order(ledger_transactions::id)
        .load(&mut app.conn())
        .unwrap()
}

fn set_badge(app: &TestApp, t: &Tenant, rule: BadgeRule, points: i64, weeks: i32, active: bool) {
    let input = BadgeInput {
        points: points.to_string(),
        streak_weeks: weeks.to_string(),
        active,
        ..BadgeInput::default()
    };
    badges::update(
        &mut app.conn(),
        t.tenant_id(),
        &reviewer(),
        rule,
        &input,
        Utc::now(),
    )
    .unwrap();
}

fn verified(app: &TestApp) {
    let v = ledger::verify(&mut app.conn(), None).unwrap();
    assert!(v.violations.is_empty(), "{:?}", v.violations);
}

#[actix_web::test]
async fn thresholds_are_met_exactly_at_one_ten_fifty_and_a_hundred() {
    let app = spawn_app().await;
    let s = shop(&app, "acme").await;
    set_badge(&app, &s.tenant, BadgeRule::Declarations10, 25, 4, true);
    let day = Utc::now().date_naive();
    declare_and_approve(&app, &s, day, 10);
    assert_eq!(
        earned(&app, &s.tenant, &s.participant),
        ["first_declaration"]
    );
    for _ in 1..9 {
        declare_and_approve(&app, &s, day, 10);
    }
    assert_eq!(
        earned(&app, &s.tenant, &s.participant).len(),
        1,
        "nine approved: not yet ten"
    );
    declare_and_approve(&app, &s, day, 10);
    assert_eq!(
        earned(&app, &s.tenant, &s.participant),
        ["declarations_10", "first_declaration"]
    );
    // A submitted (not approved) declaration does not count.
    submitted(&app, &s.tenant, &s.participant, s.partner_id, day, 10);
    for n in 11..50 {
        declare_and_approve(&app, &s, day, 10);
        assert_eq!(
            earned(&app, &s.tenant, &s.participant).len(),
            2,
            "{n} approved"
        );
    }
    declare_and_approve(&app, &s, day, 10);
    assert!(earned(&app, &s.tenant, &s.participant).contains(&"declarations_50".to_string()));
    for _ in 51..100 {
        declare_and_approve(&app, &s, day, 10);
    }
    assert_eq!(
        earned(&app, &s.tenant, &s.participant).len(),
        3,
        "99 approved"
    );
    declare_and_approve(&app, &s, day, 10);
    assert_eq!(
        earned(&app, &s.tenant, &s.participant).len(),
        4,
        "100 approved"
    );

    // Points only where the badge has some, once, through the ledger.
    let key = format!("badge:{}:declarations_10", s.participant.user_id());
    assert_eq!(badge_earns(&app, &s.tenant), [(key, 25)]);
    assert_eq!(balance(&app, &s.tenant, &s.participant), 100 * 10 + 25);
    // One e-mail per badge, in the participant's language with the badge's name.
    let mails = badge_emails(&app, &s.tenant);
    assert_eq!(mails.len(), 4);
    assert!(mails
        .iter()
        .any(|m| m["args"]["badge"] == "declarations-10" && m["args"]["points"] == 25));
    verified(&app);
}

#[actix_web::test]
async fn a_streak_needs_consecutive_iso_weeks_and_a_gap_week_breaks_it() {
    let app = spawn_app().await;
    let s = shop(&app, "acme").await;
    set_badge(&app, &s.tenant, BadgeRule::StreakWeeks, 0, 3, true);
    let monday = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    let week = |n: i64, day: i64| monday + Duration::days(7 * n + day);
    // Weeks 0 and 1 (Sunday of week 1), a gap at week 2, then weeks 3 and 4.
    declare_and_approve(&app, &s, week(0, 0), 5);
    declare_and_approve(&app, &s, week(1, 6), 5);
    declare_and_approve(&app, &s, week(3, 2), 5);
    declare_and_approve(&app, &s, week(4, 0), 5);
    assert!(!earned(&app, &s.tenant, &s.participant).contains(&"streak_weeks".into()));
    // Two sales in one week count as one week.
    declare_and_approve(&app, &s, week(4, 6), 5);
    assert!(!earned(&app, &s.tenant, &s.participant).contains(&"streak_weeks".into()));
    // A rejected declaration of week 5 does not count …
    let id = submitted(&app, &s.tenant, &s.participant, s.partner_id, week(5, 1), 5);
    review::reject(
        &mut app.conn(),
        s.tenant.tenant_id(),
        &reviewer(),
        id,
        Status::Submitted,
        &relais::domain::declarations::Reason::Written("not a sale".into()),
        Utc::now(),
    )
    .unwrap();
    assert!(!earned(&app, &s.tenant, &s.participant).contains(&"streak_weeks".into()));
    // … an approved one does: weeks 3, 4, 5.
    declare_and_approve(&app, &s, week(5, 3), 5);
    assert!(earned(&app, &s.tenant, &s.participant).contains(&"streak_weeks".into()));
}

#[actix_web::test]
async fn a_switched_off_badge_is_not_awarded_and_the_backfill_awards_it_later_once() {
    let app = spawn_app().await;
    let s = shop(&app, "acme").await;
    set_badge(&app, &s.tenant, BadgeRule::FirstDeclaration, 7, 4, false);
    declare_and_approve(&app, &s, Utc::now().date_naive(), 10);
    assert!(earned(&app, &s.tenant, &s.participant).is_empty());
    set_badge(&app, &s.tenant, BadgeRule::FirstDeclaration, 7, 4, true);
    let tid = s.tenant.tenant_id();
    assert_eq!(
        badges::backfill(&mut app.conn(), tid, Utc::now()).unwrap(),
        1
    );
    assert_eq!(
        badges::backfill(&mut app.conn(), tid, Utc::now()).unwrap(),
        0
    );
    assert_eq!(
        earned(&app, &s.tenant, &s.participant),
        ["first_declaration"]
    );
    assert_eq!(balance(&app, &s.tenant, &s.participant), 17);
    assert_eq!(badge_emails(&app, &s.tenant).len(), 1);
    verified(&app);
}

#[test]
fn many_approvals_at_once_award_each_badge_once_with_its_points_and_one_email() {
    let sys = actix_web::rt::System::new();
    let (app, s) = sys.block_on(async {
        let app = spawn_app().await;
        let s = shop(&app, "acme").await;
        (app, s)
    });
    set_badge(&app, &s.tenant, BadgeRule::FirstDeclaration, 5, 4, true);
    set_badge(&app, &s.tenant, BadgeRule::Declarations10, 30, 4, true);
    set_badge(&app, &s.tenant, BadgeRule::StreakWeeks, 40, 2, true);
    let today = Utc::now().date_naive();
    let n = 24;
    // Two weeks of sales, zero-point declarations among them (they take no ledger lock
    // of their own before the badges' one).
    let ids: Vec<DeclarationId> = (0..n)
        .map(|i| {
            let day = today - Duration::days(7 * (i % 2));
            submitted(
                &app,
                &s.tenant,
                &s.participant,
                s.partner_id,
                day,
                (i % 3) * 10,
            )
        })
        .collect();
    let barrier = Arc::new(Barrier::new(ids.len()));
    let handles: Vec<_> = ids
        .into_iter()
        .map(|id| {
            let (url, barrier, tid) = (
                app.database_url.clone(),
                barrier.clone(),
                s.tenant.tenant_id(),
            );
            std::thread::spawn(move || {
                let mut conn = PgConnection::establish(&url).unwrap();
                barrier.wait();
                review::approve(
                    &mut conn,
                    tid,
                    &reviewer(),
                    id,
                    Status::Submitted,
                    Utc::now(),
                )
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap().unwrap();
    }
    assert_eq!(
        earned(&app, &s.tenant, &s.participant),
        ["declarations_10", "first_declaration", "streak_weeks"]
    );
    let earns = badge_earns(&app, &s.tenant);
    assert_eq!(earns.len(), 3, "{earns:?}");
    assert_eq!(earns.iter().map(|e| e.1).sum::<i64>(), 75);
    let declared: i64 = (0..n).map(|i| (i % 3) * 10).sum();
    assert_eq!(balance(&app, &s.tenant, &s.participant), declared + 75);
    assert_eq!(badge_emails(&app, &s.tenant).len(), 3);
    verified(&app);
}

const SURVEY: &[(&str, &str, &[&str])] = &[("single", "Favourite format", &["Stick", "Spray"])];

fn survey(
    app: &TestApp,
    t: &Tenant,
    starts: NaiveDate,
    ends: NaiveDate,
) -> relais::domain::MissionId {
    let actor = reviewer();
    let input = MissionInput {
        title: "Survey".into(),
        kind: "survey".into(),
        points: "10".into(),
        starts_on: starts.to_string(),
        ends_on: ends.to_string(),
        completion_limit: "once".into(),
        pass_mark: "60".into(),
        max_attempts: "2".into(),
        ..MissionInput::default()
    };
    let tid = t.tenant_id();
    let m = missions::save(
        &mut app.conn(),
        tid,
        &actor,
        Zone::UTC,
        None,
        &input,
        Utc::now(),
    )
    .unwrap();
    for (kind, prompt, options) in SURVEY {
        let q = QuestionInput {
            kind: (*kind).into(),
            prompt: (*prompt).into(),
            required: true,
            options: options.iter().map(|o| o.to_string()).collect(),
            correct: vec![],
            form_token: String::new(),
        };
        missions::add_question(&mut app.conn(), tid, &actor, m.id, &q, Utc::now()).unwrap();
    }
    missions::set_status(
        &mut app.conn(),
        tid,
        &actor,
        m.id,
        MissionStatus::Published,
        Utc::now(),
    )
    .unwrap();
    m.id
}

fn answer(app: &TestApp, t: &Tenant, who: &User, id: relais::domain::MissionId) {
    let options = relais::db::missions::options(&mut app.conn(), t.tenant_id(), id).unwrap();
    let o = &options[0];
    let input = AnswerInput {
        pairs: vec![(format!("q{}", o.question_id), o.id.to_string())],
    };
    let token = format!("{:0>32}", rand_suffix());
    missions::submit_survey(
        &mut app.conn(),
        t.tenant_id(),
        who,
        id,
        &token,
        &input,
        Utc::now(),
        Zone::UTC,
    )
    .unwrap();
}

#[actix_web::test]
async fn every_mission_of_the_month_done_earns_the_month_badge() {
    let app = spawn_app().await;
    let s = shop(&app, "acme").await;
    let month = Month::of(Zone::UTC, Utc::now());
    let first = month.first_day();
    let last = month.next().first_day() - Duration::days(1);
    let a = survey(&app, &s.tenant, first, last);
    let b = survey(&app, &s.tenant, first, last);
    // Runs into next month: not a mission "of the month".
    let _long = survey(&app, &s.tenant, first, last + Duration::days(10));
    answer(&app, &s.tenant, &s.participant, a);
    assert!(!earned(&app, &s.tenant, &s.participant).contains(&"month_missions".into()));
    answer(&app, &s.tenant, &s.participant, b);
    assert!(earned(&app, &s.tenant, &s.participant).contains(&"month_missions".into()));
}

#[actix_web::test]
async fn a_podium_needs_ranks_one_to_three_and_a_result() {
    let app = spawn_app().await;
    let s = shop(&app, "acme").await;
    let tid = s.tenant.tenant_id();
    let catalog = badges::catalog(&mut app.conn(), tid).unwrap();
    let other = add_participant(&app, &s.tenant, s.partner_id, "max@acme.example", "Max");
    let now = Utc::now();
    let award = |u: &User, standing| {
        badges::challenge_awarded(&mut app.conn(), tid, &catalog, u.user_id(), standing, now)
            .unwrap()
    };
    assert!(!award(&other, (4, 10)));
    assert!(!award(&other, (1, 0)));
    assert!(award(&s.participant, (3, 1)));
    assert!(!award(&s.participant, (1, 50)), "once");
    assert_eq!(
        earned(&app, &s.tenant, &s.participant),
        ["challenge_podium"]
    );
    assert!(earned(&app, &s.tenant, &other).is_empty());
}

#[actix_web::test]
async fn the_badges_page_shows_earned_and_locked_badges_and_another_tenant_sees_none() {
    let app = spawn_app().await;
    let s = shop(&app, "acme").await;
    let other = shop(&app, "globex").await;
    declare_and_approve(&app, &s, Utc::now().date_naive(), 10);
    let page = s.client.get("/badges").await;
    assert_eq!(page.status, 200);
    assert_eq!(page.texts("[data-testid=earned] h3"), ["First sale"]);
    assert_eq!(
        page.texts("[data-testid=locked] h3").len(),
        BadgeRule::ALL.len() - 1
    );
    assert!(page.body.contains("Have 10 declarations approved."));
    let page = other.client.get("/badges").await;
    assert!(page.texts("[data-testid=earned] h3").is_empty());
    let recent = badges::recent_for(
        &mut app.conn(),
        other.tenant.tenant_id(),
        s.participant.user_id(),
        5,
    )
    .unwrap();
    assert!(
        recent.is_empty(),
        "a user id of another tenant finds nothing"
    );
    let recent = badges::recent_for(
        &mut app.conn(),
        s.tenant.tenant_id(),
        s.participant.user_id(),
        5,
    )
    .unwrap();
    assert_eq!(recent.len(), 1);
    serde_json::to_string(&recent).unwrap();
}

#[actix_web::test]
async fn a_marketer_renames_a_badge_gives_it_points_and_an_image_and_bad_input_is_refused() {
    let app = spawn_app().await;
    let s = shop(&app, "acme").await;
    let other = shop(&app, "globex").await;
    let admin = super::declarations::support::admin(&app, &s.tenant).await;
    let page = admin.get("/studio/badges").await;
    assert_eq!(page.status, 200);
    assert_eq!(
        page.texts("[data-testid=badges] tbody tr").len(),
        BadgeRule::ALL.len()
    );
    assert_eq!(admin.get("/studio/badges/nonsense").await.status, 404);

    let bad = admin
        .post_form(
            "/studio/badges/streak_weeks",
            &[
                ("name", &"x".repeat(81)),
                ("points", "-3"),
                ("streak_weeks", "99"),
                ("active", "on"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    for field in ["name", "points", "streak_weeks"] {
        assert!(
            !bad.texts(&format!("[data-field={field}]")).is_empty(),
            "{field}"
        );
    }
    let good = admin
        .post_form(
            "/studio/badges/first_declaration",
            &[
                ("name", "Premier pas"),
                ("description", ""),
                ("points", "15"),
                ("active", "on"),
            ],
        )
        .await;
    assert_eq!(good.status, 303);
    let audits: i64 = audit_events::table
        .filter(audit_events::action.eq("badge.updated"))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(audits, 1);

    // The image is checked by its content.
    let form = admin.multipart_form().await.part(
        "file",
        reqwest::multipart::Part::bytes(b"not an image".to_vec()).file_name("x.png"),
    );
    let refused = admin
        .post_multipart("/studio/badges/first_declaration/image", form)
        .await;
    assert_eq!(refused.status, 422);
    assert!(!refused.texts("[data-field=image]").is_empty());
    let form = admin.multipart_form().await.part(
        "file",
        reqwest::multipart::Part::bytes(png()).file_name("b.png"),
    );
    assert_eq!(
        admin
            .post_multipart("/studio/badges/first_declaration/image", form)
            .await
            .status,
        303
    );

    declare_and_approve(&app, &s, Utc::now().date_naive(), 10);
    let page = s.client.get("/badges").await;
    assert_eq!(page.texts("[data-testid=earned] h3"), ["Premier pas"]);
    assert_eq!(
        s.client.get("/badges/first_declaration/image").await.status,
        200
    );
    assert_eq!(balance(&app, &s.tenant, &s.participant), 25);
    // Another tenant keeps its own badges: the standard name, no image.
    assert_eq!(
        other
            .client
            .get("/badges/first_declaration/image")
            .await
            .status,
        404
    );
    declare_and_approve(&app, &other, Utc::now().date_naive(), 10);
    let page = other.client.get("/badges").await;
    assert_eq!(page.texts("[data-testid=earned] h3"), ["First sale"]);
    assert_eq!(balance(&app, &other.tenant, &other.participant), 10);
    // Participants do not reach the studio.
    assert_ne!(s.client.get("/studio/badges").await.status, 200);
}

#[actix_web::test]
async fn the_demo_has_badges_and_its_ledger_still_verifies() {
    let app = spawn_app().await;
    let report = relais::services::demo::seed(&mut app.conn(), &app.storage()).unwrap();
    let n: i64 = badge_awards::table
        .filter(badge_awards::tenant_id.eq(report.tenant.tenant_id()))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert!(n > 3, "demo participants earned badges: {n}");
    verified(&app);
    // Seeding again awards nothing more.
    relais::services::demo::seed(&mut app.conn(), &app.storage()).unwrap();
    let again: i64 = badge_awards::table
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(again, n);
    let _ = add_partner;
}
