//! Challenges: set-up and publication, live scores that equal a recomputation from raw
//! declarations, the multiplier, leaderboards, closing and awarding exactly once (twice
//! in a row and on two workers at once), the targets file refused whole, and who may see
//! a challenge.

use std::collections::BTreeMap;
use std::sync::{Arc, Barrier};

use chrono::{Duration, Utc};
use diesel::prelude::*;
use rand::{RngExt, SeedableRng};
use relais::db::challenges::scores::{self, Board};
use relais::db::schema::{challenge_awards, jobs, ledger_transactions};
use relais::db::tenants::Tenant;
use relais::db::users::User;
use relais::domain::challenges::{ChallengeStatus, RankBasis};
use relais::domain::declarations::{ListedReason, Reason, Rules, Status};
use relais::domain::{ChallengeId, DeclarationId, TenantId, Zone};
use relais::services::audit::Actor;
use relais::services::challenges::setup::{self, ChallengeInput};
use relais::services::challenges::{close, views};
use relais::services::declarations::{self as declarations, DeclarationInput, LineInput};

use super::declarations::support::*;
use crate::common::{spawn_app, TestApp, PASSWORD};

fn actor() -> Actor {
    Actor::system("test")
}

fn day(offset: i64) -> String {
    (Zone::UTC.today(Utc::now()) + Duration::days(offset)).to_string()
}

/// A challenge on units of `products` (SKU ids as strings), from 20 days ago to 10 days
/// ahead, target 10 for each participant, tiers 80 → 100, 100 → 300, 120 → 600, a prize
/// of 50 for rank 1; `edit` changes anything.
fn challenge(
    app: &TestApp,
    tenant: &Tenant,
    edit: impl FnOnce(&mut ChallengeInput),
) -> ChallengeId {
    let mut input = ChallengeInput::blank(Zone::UTC.today(Utc::now()));
    input.title = "Spring sticks".into();
    input.starts_on = day(-20);
    input.ends_on = day(10);
    input.prizes[0] = "50".into();
    edit(&mut input);
    setup::save(
        &mut app.conn(),
        tenant.tenant_id(),
        &actor(),
        None,
        &input,
        Utc::now(),
    )
    .unwrap()
    .id
}

fn publish(app: &TestApp, tenant: &Tenant, id: ChallengeId) {
    setup::publish(
        &mut app.conn(),
        tenant.tenant_id(),
        &actor(),
        id,
        Utc::now(),
    )
    .unwrap();
}

fn input(sale_date: &str, invoice: &str, lines: &[(&str, i32)]) -> DeclarationInput {
    DeclarationInput {
        sale_date: sale_date.into(),
        channel: "in_store".into(),
        invoice_ref: invoice.into(),
        lines: lines
            .iter()
            .map(|(p, q)| LineInput {
                product: p.to_string(),
                quantity: q.to_string(),
                unit_price: String::new(),
            })
            .collect(),
        ..DeclarationInput::default()
    }
}

fn declare(
    app: &TestApp,
    tid: TenantId,
    who: &User,
    sale_date: &str,
    invoice: &str,
    lines: &[(&str, i32)],
) -> (DeclarationId, i64) {
    let d = declarations::declare(
        &mut app.conn(),
        tid,
        who,
        &input(sale_date, invoice, lines),
        vec![],
        Utc::now(),
    )
    .unwrap()
    .declaration;
    (d.id, d.points)
}

fn approve(app: &TestApp, tid: TenantId, id: DeclarationId) {
    declarations::approve(
        &mut app.conn(),
        tid,
        &actor(),
        id,
        Status::Submitted,
        Utc::now(),
    )
    .unwrap();
}

fn reverse(app: &TestApp, tid: TenantId, id: DeclarationId) {
    let reason = Reason::Listed(ListedReason::parse("duplicate").unwrap());
    declarations::reject(
        &mut app.conn(),
        tid,
        &actor(),
        id,
        Status::Approved,
        &reason,
        Utc::now(),
    )
    .unwrap();
}

fn score(app: &TestApp, tid: TenantId, id: ChallengeId, who: &User) -> i64 {
    scores::score_of(&mut app.conn(), tid, id, who.id)
        .unwrap()
        .map_or(0, |s| s.result)
}

fn loose_rules(app: &TestApp, tenant: &Tenant) {
    set_rules(
        app,
        tenant,
        Rules {
            max_declarations_per_day: 100,
            max_quantity_per_line: 50,
            ..Rules::default()
        },
    );
}

#[actix_web::test]
async fn approvals_move_the_score_reversals_take_it_back_and_the_multiplier_applies() {
    let app = spawn_app().await;
    let shop = shop(&app, "acme").await;
    let tid = shop.tenant.tenant_id();
    loose_rules(&app, &shop.tenant);
    let stick = shop.stick.id.to_string();
    let id = challenge(&app, &shop.tenant, |c| {
        c.products = vec![stick.clone()];
        c.multiplier = "2".into();
    });
    // A draft doubles nothing; publication counts what was approved in its window.
    let (before, points) = declare(
        &app,
        tid,
        &shop.participant,
        &day(-1),
        "D-0",
        &[("STK-50", 1)],
    );
    assert_eq!(points, 10);
    approve(&app, tid, before);
    publish(&app, &shop.tenant, id);
    assert_eq!(
        score(&app, tid, id, &shop.participant),
        1,
        "approved before publication"
    );

    // 5 sticks (×2: 100 points) and 3 roll-ons (not in the product set: 24 points).
    let (d1, points) = declare(
        &app,
        tid,
        &shop.participant,
        &day(-2),
        "D-1",
        &[("STK-50", 5), ("ROL-50", 3)],
    );
    assert_eq!(points, 5 * 10 * 2 + 3 * 8);
    assert_eq!(
        score(&app, tid, id, &shop.participant),
        1,
        "submitted is not approved"
    );
    approve(&app, tid, d1);
    assert_eq!(score(&app, tid, id, &shop.participant), 6);
    let partner = scores::partner_score_of(&mut app.conn(), tid, id, shop.partner_id)
        .unwrap()
        .unwrap();
    assert_eq!((partner.result, partner.target), (6, Some(10)));
    // A sale before the start counts for nothing, even approved during the challenge.
    let (early, points) = declare(
        &app,
        tid,
        &shop.participant,
        &day(-25),
        "D-2",
        &[("STK-50", 4)],
    );
    assert_eq!(points, 40, "no multiplier outside the window");
    approve(&app, tid, early);
    assert_eq!(score(&app, tid, id, &shop.participant), 6);
    // The reversal takes back exactly what the approval added, once.
    reverse(&app, tid, d1);
    assert_eq!(score(&app, tid, id, &shop.participant), 1);
    let partner = scores::partner_score_of(&mut app.conn(), tid, id, shop.partner_id)
        .unwrap()
        .unwrap();
    assert_eq!(partner.result, 1);

    // Exactly 100 %: the 100 % tier (300) and the rank-1 prize (50).
    let (d3, _) = declare(
        &app,
        tid,
        &shop.participant,
        &day(-1),
        "D-3",
        &[("STK-50", 9)],
    );
    approve(&app, tid, d3);
    let page = shop.client.get(&format!("/challenges/{id}")).await;
    assert_eq!(page.status, 200);
    assert_eq!(
        page.texts("[data-testid=my-progress] [data-testid=result]"),
        vec!["10"]
    );
    assert_eq!(
        page.texts("[data-testid=own-row] td:first-child"),
        vec!["1"]
    );
    let list = shop.client.get("/challenges").await;
    assert_eq!(
        list.texts("[data-testid=active] .challenge-card h3"),
        vec!["Spring sticks"]
    );

    let balance_before = balance(&app, &shop.tenant, &shop.participant);
    let at = Utc::now() + Duration::days(30);
    let done = close::advance(&mut app.conn(), tid, id, at).unwrap();
    assert_eq!(
        (done.status, done.awarded),
        (Some(ChallengeStatus::Awarded), 1)
    );
    let again = close::advance(&mut app.conn(), tid, id, at).unwrap();
    assert_eq!(again.awarded, 0, "closing twice awards once");
    assert_eq!(
        balance(&app, &shop.tenant, &shop.participant),
        balance_before + 350
    );
    let keys: Vec<String> = ledger_transactions::table
        .filter(ledger_transactions::idempotency_key.like("challenge:%"))
        .select(ledger_transactions::idempotency_key)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(
        keys,
        vec![format!("challenge:{id}:award:{}", shop.participant.id)]
    );
    let emails: i64 = jobs::table
        .filter(jobs::kind.eq("email"))
        .filter(
            jobs::payload
                .retrieve_as_text("template")
                .eq("challenge_results"),
        )
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(emails, 1);
    // Frozen: a reversal after the award leaves the results as they were.
    reverse(&app, tid, d3);
    assert_eq!(score(&app, tid, id, &shop.participant), 10);
    let page = shop.client.get(&format!("/challenges/{id}")).await;
    assert_eq!(page.texts("[data-testid=awarded]").len(), 1);
    // The statement names the challenge.
    let statement = shop.client.get("/points").await;
    assert!(
        statement.body.contains("Spring sticks"),
        "the award is on the statement"
    );
}

#[actix_web::test]
async fn scores_and_leaderboards_equal_a_recomputation_from_raw_declarations() {
    let app = spawn_app().await;
    let shop = shop(&app, "oracle").await;
    let tid = shop.tenant.tenant_id();
    loose_rules(&app, &shop.tenant);
    let second = add_partner(&app, &shop.tenant, "PH-69-0001", "Rhône");
    let mut people = vec![shop.participant.clone()];
    for n in 0..5 {
        let partner = if n % 2 == 0 { second } else { shop.partner_id };
        people.push(add_participant(
            &app,
            &shop.tenant,
            partner,
            &format!("p{n}@oracle.example"),
            &format!("P{n}"),
        ));
    }
    let stick = shop.stick.id.to_string();
    let id = challenge(&app, &shop.tenant, |c| {
        c.products = vec![stick.clone()];
        c.target_value = "7".into();
    });
    let mut rng = rand::rngs::StdRng::seed_from_u64(11);
    let mut approved: Vec<(DeclarationId, usize, i64, i64)> = vec![];
    for n in 0..60 {
        // Published a third of the way: what came before is counted by the publication.
        if n == 20 {
            publish(&app, &shop.tenant, id);
        }
        let who = rng.random_range(0..people.len());
        let offset = -rng.random_range(0..30);
        let sticks = rng.random_range(1..6);
        let rolls = rng.random_range(0..3);
        let mut lines = vec![("STK-50", sticks)];
        if rolls > 0 {
            lines.push(("ROL-50", rolls));
        }
        let (d, _) = declare(
            &app,
            tid,
            &people[who],
            &day(offset),
            &format!("O-{n}"),
            &lines,
        );
        match rng.random_range(0..10) {
            0..=5 => {
                approve(&app, tid, d);
                approved.push((d, who, offset, i64::from(sticks)));
            }
            6 | 7 => {
                approve(&app, tid, d);
                reverse(&app, tid, d);
            }
            _ => {} // left submitted
        }
    }
    // A few more reversals of approved ones.
    for _ in 0..5 {
        let i = rng.random_range(0..approved.len());
        let (d, ..) = approved.remove(i);
        reverse(&app, tid, d);
    }
    let mut expected: BTreeMap<usize, i64> = BTreeMap::new();
    for (_, who, offset, sticks) in &approved {
        if *offset >= -20 {
            *expected.entry(*who).or_default() += sticks;
        }
    }
    for (i, p) in people.iter().enumerate() {
        assert_eq!(
            score(&app, tid, id, p),
            expected.get(&i).copied().unwrap_or(0),
            "participant {i}"
        );
    }
    let mut by_partner: BTreeMap<i64, i64> = BTreeMap::new();
    for (i, p) in people.iter().enumerate() {
        *by_partner.entry(p.partner_id.unwrap().0).or_default() +=
            expected.get(&i).copied().unwrap_or(0);
    }
    for (partner, total) in &by_partner {
        let s = scores::partner_score_of(
            &mut app.conn(),
            tid,
            id,
            relais::domain::PartnerId(*partner),
        )
        .unwrap()
        .unwrap();
        assert_eq!(s.result, *total);
        assert_eq!(
            s.target,
            Some(
                7 * people
                    .iter()
                    .filter(|p| p.partner_id.unwrap().0 == *partner)
                    .count() as i64
            )
        );
    }
    // The leaderboard is the results sorted (ties: whoever reached it first, then id).
    let board = scores::top(
        &mut app.conn(),
        tid,
        id,
        Board::Participants,
        RankBasis::Result,
        50,
    )
    .unwrap();
    let results: Vec<i64> = board.iter().map(|r| r.result).collect();
    let mut sorted = results.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(results, sorted);
    assert_eq!(board.len(), people.len());
    for (n, row) in board.iter().enumerate() {
        let (rank, around) = scores::standing(
            &mut app.conn(),
            tid,
            id,
            Board::Participants,
            RankBasis::Result,
            row.id,
            1,
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            rank,
            n as i64 + 1,
            "a participant's rank is their place on the board"
        );
        let mine = around.iter().find(|r| r.id == row.id).unwrap();
        assert_eq!(mine.rank, rank);
        assert!(around.len() <= 3);
    }
}

#[actix_web::test]
async fn concurrent_approvals_keep_the_scores_exact() {
    let app = spawn_app().await;
    let shop = shop(&app, "race").await;
    let tid = shop.tenant.tenant_id();
    loose_rules(&app, &shop.tenant);
    let id = challenge(&app, &shop.tenant, |_| {});
    let mut people = vec![shop.participant.clone()];
    for n in 0..7 {
        people.push(add_participant(
            &app,
            &shop.tenant,
            shop.partner_id,
            &format!("r{n}@race.example"),
            &format!("R{n}"),
        ));
    }
    publish(&app, &shop.tenant, id);
    let mut ids = vec![];
    for (n, p) in people.iter().enumerate() {
        for k in 0..2 {
            ids.push(
                declare(
                    &app,
                    tid,
                    p,
                    &day(-1),
                    &format!("C-{n}-{k}"),
                    &[("STK-50", 3)],
                )
                .0,
            );
        }
    }
    let barrier = Arc::new(Barrier::new(ids.len()));
    let handles: Vec<_> = ids
        .iter()
        .map(|d| {
            let (url, barrier, d) = (app.database_url.clone(), barrier.clone(), *d);
            std::thread::spawn(move || {
                let mut conn = PgConnection::establish(&url).unwrap();
                barrier.wait();
                declarations::approve(
                    &mut conn,
                    tid,
                    &Actor::system("test"),
                    d,
                    Status::Submitted,
                    Utc::now(),
                )
                .unwrap();
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    for p in &people {
        assert_eq!(score(&app, tid, id, p), 6);
    }
    let partner = scores::partner_score_of(&mut app.conn(), tid, id, shop.partner_id)
        .unwrap()
        .unwrap();
    assert_eq!(partner.result, 6 * people.len() as i64);
}

#[actix_web::test]
async fn two_workers_closing_at_once_award_each_participant_once() {
    let app = spawn_app().await;
    let shop = shop(&app, "twice").await;
    let tid = shop.tenant.tenant_id();
    loose_rules(&app, &shop.tenant);
    let mut people = vec![shop.participant.clone()];
    for n in 0..11 {
        people.push(add_participant(
            &app,
            &shop.tenant,
            shop.partner_id,
            &format!("w{n}@twice.example"),
            &format!("W{n}"),
        ));
    }
    let id = challenge(&app, &shop.tenant, |c| c.target_value = "2".into());
    publish(&app, &shop.tenant, id);
    for (n, p) in people.iter().enumerate() {
        let (d, _) = declare(
            &app,
            tid,
            p,
            &day(-1),
            &format!("T-{n}"),
            &[("STK-50", (n % 4) as i32 + 1)],
        );
        approve(&app, tid, d);
    }
    let at = Utc::now() + Duration::days(30);
    let barrier = Arc::new(Barrier::new(2));
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let (url, barrier) = (app.database_url.clone(), barrier.clone());
            std::thread::spawn(move || {
                let mut conn = PgConnection::establish(&url).unwrap();
                barrier.wait();
                close::advance(&mut conn, tid, id, at).unwrap()
            })
        })
        .collect();
    let awarded: usize = handles.into_iter().map(|h| h.join().unwrap().awarded).sum();
    assert_eq!(awarded, people.len());
    let rows: i64 = challenge_awards::table
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(rows, people.len() as i64);
    let postings: i64 = ledger_transactions::table
        .filter(ledger_transactions::idempotency_key.like(format!("challenge:{id}:%")))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    // 1 unit of a target of 2 is 50 %: no tier; everyone else earns.
    let expected = people
        .iter()
        .enumerate()
        .filter(|(n, _)| n % 4 != 0)
        .count() as i64
        + 1;
    assert!(
        postings >= expected - 1 && postings <= people.len() as i64,
        "{postings} postings"
    );
    let ranks: Vec<i32> = challenge_awards::table
        .order(challenge_awards::rank)
        .select(challenge_awards::rank)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(
        ranks,
        (1..=people.len() as i32).collect::<Vec<_>>(),
        "every rank held once"
    );
    let status = views::results(&mut app.conn(), tid, id).unwrap();
    assert_eq!(status.challenge.status, "awarded");
    assert_eq!(status.awarded, people.len() as i64);
}

#[actix_web::test]
async fn outsiders_never_see_a_challenge() {
    let app = spawn_app().await;
    let other = shop(&app, "other").await;
    let shop = shop(&app, "seen").await;
    let tid = shop.tenant.tenant_id();
    // A segment of another region, with a participant in it.
    let lyon = add_partner(&app, &shop.tenant, "PH-69-0001", "Rhône");
    let karim = add_participant(&app, &shop.tenant, lyon, "karim@seen.example", "Karim");
    let input = relais::services::segments::SegmentInput {
        name: "Rhône".into(),
        regions: vec!["Rhône".into()],
        form_token: "segment-1".into(),
        ..Default::default()
    };
    let segment =
        relais::services::segments::create(&mut app.conn(), tid, &actor(), &input).unwrap();
    let id = challenge(&app, &shop.tenant, |c| {
        c.segments = vec![segment.id.to_string()]
    });
    publish(&app, &shop.tenant, id);
    let enrolled = setup::enrolled(&mut app.conn(), tid, id).unwrap();
    assert_eq!(
        enrolled.iter().map(|e| e.0).collect::<Vec<_>>(),
        vec![karim.id]
    );
    assert_eq!(
        shop.client.get(&format!("/challenges/{id}")).await.status,
        404,
        "another segment"
    );
    assert_eq!(
        other.client.get(&format!("/challenges/{id}")).await.status,
        404,
        "another tenant"
    );
    assert!(shop
        .client
        .get("/challenges")
        .await
        .texts(".challenge-card")
        .is_empty());
    let karim_client = app.client(&app.host(&shop.tenant));
    assert_eq!(
        karim_client
            .login("karim@seen.example", PASSWORD)
            .await
            .status,
        303
    );
    assert_eq!(
        karim_client.get(&format!("/challenges/{id}")).await.status,
        200
    );
    let draft = challenge(&app, &shop.tenant, |c| c.title = "Draft".into());
    assert_eq!(
        karim_client
            .get(&format!("/challenges/{draft}"))
            .await
            .status,
        404,
        "a draft"
    );
    let staff = admin(&app, &shop.tenant).await;
    assert_eq!(
        staff.get(&format!("/studio/challenges/{id}")).await.status,
        200
    );
    let other_admin = admin(&app, &other.tenant).await;
    assert_eq!(
        other_admin
            .get(&format!("/studio/challenges/{id}"))
            .await
            .status,
        404
    );
    assert_eq!(
        other_admin
            .get(&format!("/studio/challenges/{id}/results"))
            .await
            .status,
        404
    );
    assert_eq!(
        other_admin
            .get(&format!("/studio/challenges/{id}/results.csv"))
            .await
            .status,
        404
    );
    // The banner: an image by content, shown to whom may see the challenge only.
    let text = reqwest::multipart::Part::bytes(b"not an image".to_vec()).file_name("b.png");
    let refused = staff
        .post_multipart(
            &format!("/studio/challenges/{id}/banner"),
            staff.multipart_form().await.part("file", text),
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(!field_error(&refused, "banner").is_empty());
    let image = reqwest::multipart::Part::bytes(png()).file_name("banner.png");
    let saved = staff
        .post_multipart(
            &format!("/studio/challenges/{id}/banner"),
            staff.multipart_form().await.part("file", image),
        )
        .await;
    assert_eq!(saved.status, 303);
    let banner = format!("/challenges/{id}/banner");
    assert_eq!(karim_client.get(&banner).await.status, 200);
    assert_eq!(
        shop.client.get(&banner).await.status,
        404,
        "another segment"
    );
    assert_eq!(
        other.client.get(&banner).await.status,
        404,
        "another tenant"
    );
    assert_eq!(
        karim_client
            .get(&format!("/challenges/{draft}/banner"))
            .await
            .status,
        404
    );
    // Another tenant's marketer cannot publish or upload targets to it either.
    let page = other_admin
        .post_form(&format!("/studio/challenges/{draft}/publish"), &[])
        .await;
    assert_eq!(page.status, 404);
}

#[actix_web::test]
async fn the_studio_form_says_what_is_wrong_and_a_targets_file_is_taken_whole_or_not_at_all() {
    let app = spawn_app().await;
    let shop = shop(&app, "studio").await;
    let tid = shop.tenant.tenant_id();
    let staff = admin(&app, &shop.tenant).await;
    let form = staff.get("/studio/challenges/new").await;
    assert_eq!(form.status, 200);
    let token = form.input_value("form_token").unwrap();
    let bad = staff
        .post_form(
            "/studio/challenges",
            &[
                ("form_token", token.as_str()),
                ("title", "Summer"),
                ("starts_on", &day(5)),
                ("ends_on", &day(1)),
                ("objective", "units"),
                ("scope", "participant"),
                ("target_mode", "upload"),
                ("target_value", "0"),
                ("rank_basis", "attainment"),
                ("multiplier", "x2"),
                ("tier_percent", "100"),
                ("tier_points", ""),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    for field in ["ends_on", "target_value", "multiplier", "tier_1"] {
        assert!(
            !field_error(&bad, field).is_empty(),
            "{field} has its message"
        );
    }
    let good = staff
        .post_form(
            "/studio/challenges",
            &[
                ("form_token", token.as_str()),
                ("title", "Summer"),
                ("starts_on", &day(1)),
                ("ends_on", &day(30)),
                ("objective", "units"),
                ("scope", "participant"),
                ("target_mode", "upload"),
                ("target_value", "5"),
                ("rank_basis", "attainment"),
                ("tier_percent", "100"),
                ("tier_points", "200"),
            ],
        )
        .await;
    assert_eq!(good.status, 303);
    let location = good.location.clone().unwrap();
    // The same form sent twice creates one challenge.
    let twice = staff
        .post_form(
            "/studio/challenges",
            &[
                ("form_token", token.as_str()),
                ("title", "Summer"),
                ("starts_on", &day(1)),
                ("ends_on", &day(30)),
                ("objective", "units"),
                ("scope", "participant"),
                ("target_mode", "upload"),
                ("target_value", "5"),
                ("rank_basis", "result"),
            ],
        )
        .await;
    assert_eq!(twice.location.clone().unwrap(), location);
    let id: i64 = location.rsplit('/').next().unwrap().parse().unwrap();
    // Nobody uploaded yet: publishing is refused and says why.
    let refused = staff
        .post_form(&format!("/studio/challenges/{id}/publish"), &[])
        .await;
    assert_eq!(refused.status, 409);
    assert_eq!(refused.texts("[data-testid=refusal]").len(), 1);
    let upload = |csv: &'static str| {
        let staff = &staff;
        async move {
            let part =
                reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("targets.csv");
            let form = staff.multipart_form().await.part("file", part);
            staff
                .post_multipart(&format!("/studio/challenges/{id}/targets"), form)
                .await
        }
    };
    let refused = upload(
        "email,target\nlea@studio.example,12\nnobody@studio.example,9\nlea@studio.example,x\n",
    )
    .await;
    assert_eq!(refused.status, 422);
    assert_eq!(refused.texts("[data-testid=target-errors] li").len(), 2);
    let cid = ChallengeId(id);
    assert!(
        relais::db::challenges::uploaded_targets(&mut app.conn(), tid, cid)
            .unwrap()
            .is_empty(),
        "nothing kept"
    );
    let taken = upload("email;target\nLEA@studio.example;12\n").await;
    assert_eq!(taken.status, 303);
    let page = staff.get(&format!("/studio/challenges/{id}")).await;
    assert_eq!(page.texts("[data-testid=preview-count]").len(), 1);
    assert!(page
        .texts("[data-testid=preview-spread] td")
        .contains(&"12".to_string()));
    let published = staff
        .post_form(&format!("/studio/challenges/{id}/publish"), &[])
        .await;
    assert_eq!(published.status, 303);
    let enrolled = setup::enrolled(&mut app.conn(), tid, cid).unwrap();
    assert_eq!(enrolled, vec![(shop.participant.id, Some(12))]);
    // Published: the rules are locked, the texts are not.
    let page = staff.get(&format!("/studio/challenges/{id}")).await;
    assert_eq!(page.texts("[data-testid=locked-hint]").len(), 1);
    let renamed = staff
        .post_form(
            &format!("/studio/challenges/{id}"),
            &[
                ("title", "Summer cup"),
                ("description", ""),
                ("ends_on", &day(30)),
            ],
        )
        .await;
    assert_eq!(renamed.status, 303);
    let earlier = staff
        .post_form(
            &format!("/studio/challenges/{id}"),
            &[
                ("title", "Summer cup"),
                ("description", ""),
                ("ends_on", &day(20)),
            ],
        )
        .await;
    assert_eq!(earlier.status, 422);
    assert!(!field_error(&earlier, "ends_on").is_empty());
    let c = relais::db::challenges::find(&mut app.conn(), tid, cid).unwrap();
    assert_eq!(
        (c.title.as_str(), c.status.as_str()),
        ("Summer cup", "scheduled")
    );
}

#[actix_web::test]
async fn the_demo_has_an_awarded_a_running_and_a_scheduled_challenge() {
    use relais::services::demo_challenges::{SPRING, SUMMER, WINTER};
    let app = spawn_app().await;
    let seeded = relais::services::demo::seed(&mut app.conn(), &app.storage()).unwrap();
    relais::services::demo::seed(&mut app.conn(), &app.storage()).unwrap();
    let tid = seeded.tenant.tenant_id();
    let all = relais::db::challenges::list(&mut app.conn(), tid).unwrap();
    let status = |title: &str| {
        all.iter()
            .find(|c| c.title == title)
            .unwrap()
            .status
            .clone()
    };
    assert_eq!(all.len(), 3, "seeding twice adds nothing");
    assert_eq!(status(WINTER), "awarded");
    assert_eq!(status(SPRING), "active");
    assert_eq!(status(SUMMER), "scheduled");
    let spring = all.iter().find(|c| c.title == SPRING).unwrap();
    let targets: std::collections::BTreeSet<Option<i64>> =
        setup::enrolled(&mut app.conn(), tid, spring.id)
            .unwrap()
            .into_iter()
            .map(|e| e.1)
            .collect();
    assert!(
        targets.len() > 1,
        "personalised targets differ: {targets:?}"
    );
    let board = scores::top(
        &mut app.conn(),
        tid,
        spring.id,
        Board::Participants,
        RankBasis::Result,
        5,
    )
    .unwrap();
    assert!(board[0].result > 0, "the spring's past approvals count");
    assert!(
        relais::db::challenges::banner(&mut app.conn(), tid, spring.id)
            .unwrap()
            .is_some(),
        "the spring challenge has its banner"
    );
    let winter = all.iter().find(|c| c.title == WINTER).unwrap();
    let awarded = views::results(&mut app.conn(), tid, winter.id).unwrap();
    assert!(awarded.points_awarded > 0 && awarded.awarded > 0);
    let check = relais::services::ledger::verify(&mut app.conn(), None).unwrap();
    assert!(check.violations.is_empty(), "{:?}", check.violations);
}

#[actix_web::test]
async fn reversals_racing_the_close_neither_deadlock_nor_change_frozen_results() {
    let app = spawn_app().await;
    let shop = shop(&app, "freeze").await;
    let tid = shop.tenant.tenant_id();
    loose_rules(&app, &shop.tenant);
    let mut people = vec![shop.participant.clone()];
    for n in 0..5 {
        people.push(add_participant(
            &app,
            &shop.tenant,
            shop.partner_id,
            &format!("f{n}@freeze.example"),
            &format!("F{n}"),
        ));
    }
    let id = challenge(&app, &shop.tenant, |c| c.target_value = "4".into());
    publish(&app, &shop.tenant, id);
    let mut approved = vec![];
    for (n, p) in people.iter().enumerate() {
        let (d, _) = declare(&app, tid, p, &day(-1), &format!("Z-{n}"), &[("STK-50", 4)]);
        approve(&app, tid, d);
        approved.push(d);
    }
    let at = Utc::now() + Duration::days(30);
    let barrier = Arc::new(Barrier::new(2 + approved.len()));
    let mut handles = vec![];
    for _ in 0..2 {
        let (url, barrier) = (app.database_url.clone(), barrier.clone());
        handles.push(std::thread::spawn(move || {
            let mut conn = PgConnection::establish(&url).unwrap();
            barrier.wait();
            close::advance(&mut conn, tid, id, at)
                .map(|_| ())
                .map_err(|e| e.to_string())
        }));
    }
    for d in &approved {
        let (url, barrier, d) = (app.database_url.clone(), barrier.clone(), *d);
        handles.push(std::thread::spawn(move || {
            let mut conn = PgConnection::establish(&url).unwrap();
            barrier.wait();
            let reason = Reason::Listed(ListedReason::parse("duplicate").unwrap());
            declarations::reject(
                &mut conn,
                tid,
                &Actor::system("test"),
                d,
                Status::Approved,
                &reason,
                Utc::now(),
            )
            .map(|_| ())
            .map_err(|e| e.to_string())
        }));
    }
    for h in handles {
        h.join().unwrap().expect("no deadlock, no error");
    }
    let awards: Vec<(relais::domain::UserId, i64)> = challenge_awards::table
        .select((challenge_awards::participant_id, challenge_awards::result))
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(awards.len(), people.len());
    for (who, result) in awards {
        let s = scores::score_of(&mut app.conn(), tid, id, who)
            .unwrap()
            .unwrap();
        assert_eq!(s.result, result, "the award is the frozen result");
    }
}
