//! The monthly leaderboard: its figures recomputed from the ledger's rows, region and
//! national scopes, participants and partners, month boundaries in the tenant's zone,
//! the participant's own rank outside the top, bad query strings, other tenants unseen.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use relais::db::schema::ledger_transactions;
use relais::db::tenants::Tenant;
use relais::db::users::User;
use relais::domain::badges::Month;
use relais::domain::ledger::Points;
use relais::domain::{PartnerId, TenantId, UserId};
use relais::services::audit::Actor;
use relais::services::leaderboard::{self, Wanted};
use relais::services::ledger::{self, Meta};
use relais::services::partners::{self, PartnerInput};

use super::declarations::support::add_participant;
use crate::common::{spawn_app, TestApp, TestClient, PASSWORD};

fn partner(app: &TestApp, t: &Tenant, code: &str, region: &str, country: &str) -> PartnerId {
    let input = PartnerInput {
        external_code: code.into(),
        name: format!("Shop {code}"),
        kind: "reseller".into(),
        brand_mode: "multi".into(),
        region: region.into(),
        country: country.into(),
        tier: "Gold".into(),
        potential: "3".into(),
    };
    partners::create(
        &mut app.conn(),
        t.tenant_id(),
        &Actor::system("test"),
        &input,
    )
    .unwrap()
    .id
}

fn earn(
    app: &TestApp,
    t: TenantId,
    user: &User,
    points: i64,
    at: DateTime<Utc>,
) -> relais::domain::TransactionId {
    let key = format!(
        "test:{}:{}:{}",
        user.id,
        points,
        at.timestamp_nanos_opt().unwrap()
    );
    ledger::earn(
        &mut app.conn(),
        t,
        user.user_id(),
        Points(points),
        &Meta::new(&key, at),
    )
    .unwrap()
    .id()
}

async fn login(app: &TestApp, t: &Tenant, email: &str) -> TestClient {
    let client = app.client(&app.host(t));
    assert_eq!(client.login(email, PASSWORD).await.status, 303);
    client
}

/// Points earned per user in `[from, to)`, straight from the ledger's rows.
fn recomputed(
    app: &TestApp,
    t: TenantId,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
) -> Vec<(UserId, i64)> {
    let rows: Vec<(i64, UserId, i64, String)> = ledger_transactions::table
        .filter(ledger_transactions::tenant_id.eq(t))
        .select((
            ledger_transactions::id,
            ledger_transactions::user_id,
            ledger_transactions::amount,
            ledger_transactions::kind,
        ))
        .filter(ledger_transactions::created_at.ge(from))
        .filter(ledger_transactions::created_at.lt(to))
        .load(&mut app.conn())
        .unwrap();
    let reversed: Vec<Option<i64>> = ledger_transactions::table
        .filter(ledger_transactions::tenant_id.eq(t))
        .select(ledger_transactions::reverses)
        .load(&mut app.conn())
        .unwrap();
    let mut sums = std::collections::BTreeMap::<UserId, i64>::new();
    for (id, user, amount, kind) in rows {
        if kind == "earn" && !reversed.contains(&Some(id)) {
            *sums.entry(user).or_default() += amount;
        }
    }
    let mut v: Vec<(UserId, i64)> = sums.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}

struct World {
    tenant: Tenant,
    a1: User,
    a2: User,
    b1: User,
    c1: User,
    d1: User,
}

fn world(app: &TestApp, slug: &str, zone: &str) -> World {
    let (tenant, _) = app.create_tenant_in(slug, &format!("{slug} brand"), zone, "EUR");
    let a = partner(app, &tenant, "A", "Nord", "FR");
    let b = partner(app, &tenant, "B", "Nord", "FR");
    let c = partner(app, &tenant, "C", "Sud", "FR");
    let d = partner(app, &tenant, "D", "Nord", "BE");
    let p = |partner, name: &str| {
        let email = format!("{}@{slug}.example", name.to_lowercase());
        add_participant(app, &tenant, partner, &email, name)
    };
    World {
        a1: p(a, "Alice"),
        a2: p(a, "Arthur"),
        b1: p(b, "Bruno"),
        c1: p(c, "Chloe"),
        d1: p(d, "Dirk"),
        tenant,
    }
}

#[actix_web::test]
async fn the_board_equals_the_ledger_by_scope_and_by_partner() {
    let app = spawn_app().await;
    let w = world(&app, "acme", "Europe/Paris");
    let tid = w.tenant.tenant_id();
    let now = Utc::now();
    let zone = w.tenant.zone();
    let month = Month::of(zone, now);
    let start = month.bounds(zone).0;
    let at = start + (now - start) / 2;
    earn(&app, tid, &w.a1, 100, at);
    earn(&app, tid, &w.a1, 50, at);
    earn(&app, tid, &w.a2, 70, at);
    let taken_back = earn(&app, tid, &w.a2, 500, at);
    ledger::reverse(
        &mut app.conn(),
        tid,
        taken_back,
        &Meta::new("rev", at).reason("error"),
    )
    .unwrap();
    earn(&app, tid, &w.b1, 200, at);
    earn(&app, tid, &w.c1, 300, at);
    earn(&app, tid, &w.d1, 1000, at);
    earn(&app, tid, &w.b1, 999, start - Duration::days(3));

    // The service's figures are the ledger's, participant by participant.
    let wanted = Wanted {
        scope: "national".into(),
        ..Wanted::default()
    };
    let board = leaderboard::monthly(&mut app.conn(), tid, &w.a1, &wanted, now).unwrap();
    let shown: Vec<(i64, i64)> = board.rows.iter().map(|r| (r.id, r.points)).collect();
    let fr = [w.a1.id, w.a2.id, w.b1.id, w.c1.id];
    let expected: Vec<(i64, i64)> = recomputed(&app, tid, month.bounds(zone))
        .into_iter()
        .filter(|(u, _)| fr.contains(u))
        .map(|(u, p)| (u.0, p))
        .collect();
    assert_eq!(shown, expected);
    assert_eq!(
        shown,
        [
            (w.c1.id.0, 300),
            (w.b1.id.0, 200),
            (w.a1.id.0, 150),
            (w.a2.id.0, 70)
        ]
    );
    assert_eq!(board.mine.as_ref().map(|r| r.rank), Some(3));

    // Over HTTP: the region by default, then the country, then partners.
    let client = login(&app, &w.tenant, "alice@acme.example").await;
    let page = client.get("/leaderboard").await;
    assert_eq!(page.status, 200);
    assert_eq!(
        page.texts("[data-testid=board] tbody td:nth-child(3)"),
        ["200", "150", "70"]
    );
    assert!(page.texts("[data-testid=my-rank]")[0].contains("2"));
    let page = client.get("/leaderboard?scope=national").await;
    assert_eq!(
        page.texts("[data-testid=board] tbody td:nth-child(3)"),
        ["300", "200", "150", "70"]
    );
    assert!(
        !page.body.contains("Dirk"),
        "another country is not on the national board"
    );
    let page = client
        .get("/leaderboard?scope=national&board=partners")
        .await;
    assert_eq!(
        page.texts("[data-testid=board] tbody td:nth-child(2)"),
        ["Shop C", "Shop A", "Shop B"]
    );
    assert_eq!(
        page.texts("[data-testid=board] tbody td:nth-child(3)"),
        ["300", "220", "200"]
    );
    let page = client.get("/leaderboard?board=partners").await;
    assert_eq!(
        page.texts("[data-testid=board] tbody td:nth-child(2)"),
        ["Shop A", "Shop B"]
    );
    // Last month: only the earn dated then.
    let last = month.minus(1).to_string();
    let page = client
        .get(&format!("/leaderboard?month={last}&scope=national"))
        .await;
    assert_eq!(
        page.texts("[data-testid=board] tbody td:nth-child(3)"),
        ["999"]
    );
    // The home page's figure.
    let rank = leaderboard::monthly_rank(&mut app.conn(), tid, &w.a1, now)
        .unwrap()
        .unwrap();
    assert_eq!((rank.rank, rank.points, rank.of), (3, 150, 4));
}

#[actix_web::test]
async fn months_begin_and_end_in_the_tenants_zone() {
    let app = spawn_app().await;
    let w = world(&app, "acme", "Asia/Jakarta");
    let tid = w.tenant.tenant_id();
    let now = Utc::now();
    let zone = w.tenant.zone();
    let month = Month::of(zone, now);
    let (start, _) = month.bounds(zone);
    // Midnight in Jakarta is 17:00 UTC the day before.
    assert_eq!(start.format("%H:%M").to_string(), "17:00");
    earn(&app, tid, &w.a1, 11, start - Duration::seconds(1));
    earn(&app, tid, &w.a1, 22, start);
    let wanted = |m: Month| Wanted {
        month: m.to_string(),
        scope: "national".into(),
        ..Wanted::default()
    };
    let this = leaderboard::monthly(&mut app.conn(), tid, &w.a1, &wanted(month), now).unwrap();
    assert_eq!(this.rows.iter().map(|r| r.points).collect::<Vec<_>>(), [22]);
    let before =
        leaderboard::monthly(&mut app.conn(), tid, &w.a1, &wanted(month.minus(1)), now).unwrap();
    assert_eq!(
        before.rows.iter().map(|r| r.points).collect::<Vec<_>>(),
        [11]
    );
    assert_eq!(before.month, month.minus(1).to_string());
}

#[actix_web::test]
async fn my_rank_shows_outside_the_top_and_bad_queries_show_the_defaults() {
    let app = spawn_app().await;
    let w = world(&app, "acme", "UTC");
    let other = world(&app, "globex", "UTC");
    let tid = w.tenant.tenant_id();
    let now = Utc::now();
    let a = relais::db::users::find(&mut app.conn(), tid, w.a1.user_id())
        .unwrap()
        .partner_id
        .unwrap();
    for i in 0..25 {
        let u = add_participant(
            &app,
            &w.tenant,
            a,
            &format!("p{i}@acme.example"),
            &format!("Seller {i:02}"),
        );
        earn(&app, tid, &u, 100 + i, now);
    }
    earn(&app, tid, &w.a1, 1, now);
    earn(&app, other.tenant.tenant_id(), &other.a1, 10_000, now);
    let client = login(&app, &w.tenant, "alice@acme.example").await;
    let page = client.get("/leaderboard").await;
    let rows = page.texts("[data-testid=board] tbody tr[data-id]");
    assert_eq!(rows.len(), 21, "the top twenty and my row");
    assert!(rows[20].starts_with("26"), "{:?}", rows[20]);
    assert!(page.texts("[data-testid=my-rank]")[0].contains("26"));
    assert!(
        !page.body.contains("10,000") && !page.body.contains("10000"),
        "another tenant's points"
    );

    for q in [
        "month=garbage",
        "month=2026-13",
        "month=1900-01",
        "month=9999-12&board=x&scope=%00",
        "month[]=1&board[]=2",
        "month=%FF%FE",
        "scope=region&board=people&month=",
    ] {
        let page = client.get(&format!("/leaderboard?{q}")).await;
        assert_eq!(page.status, 200, "{q}");
        assert_eq!(
            page.texts("[data-testid=board] tbody tr[data-id]").len(),
            21,
            "{q}"
        );
    }
    // Someone without points this month is told so.
    let newcomer = add_participant(&app, &w.tenant, a, "new@acme.example", "New");
    let _ = newcomer;
    let client = login(&app, &w.tenant, "new@acme.example").await;
    let page = client.get("/leaderboard").await;
    assert_eq!(page.status, 200);
    assert!(page.texts("[data-testid=my-rank]")[0].contains("not earned"));
}
