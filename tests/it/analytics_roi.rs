//! Sell-through (sell-in vs approved sell-out by week, partner and product; the partners
//! to animate and the draft challenge started for them) and results across challenges
//! (participation, attainment buckets, incremental against the reference period, points
//! cost): figures equal a recomputation from the raw rows on random data, filters
//! combine, reversals are followed, other tenants see nothing, participants are refused.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate, Utc};
use diesel::prelude::*;
use rand::{RngExt, SeedableRng};
use relais::db::analytics_roi::Filter;
use relais::db::schema::ledger_transactions;
use relais::db::stock::{self, NewSellIn};
use relais::db::tenants::Tenant;
use relais::db::users::User;
use relais::domain::declarations::{ListedReason, Reason, Rules, Status};
use relais::domain::{ChallengeId, DeclarationId, PartnerId, ProductId, Role, Zone};
use relais::services::analytics_roi::{challenges as roi, sell_through};
use relais::services::audit::Actor;
use relais::services::challenges::close;
use relais::services::challenges::setup::{self, ChallengeInput};
use relais::services::declarations::{self as declarations, DeclarationInput, LineInput};
use relais::services::partners::{self, PartnerInput};
use relais::services::products::{self, ProductInput};

use super::declarations::support::set_rules;
use crate::common::{spawn_app, TestApp, TestClient, PASSWORD};

fn actor() -> Actor {
    Actor::system("test")
}

fn today() -> NaiveDate {
    Zone::UTC.today(Utc::now())
}

fn partner(app: &TestApp, tenant: &Tenant, code: &str, kind: &str, region: &str) -> PartnerId {
    let input = PartnerInput {
        external_code: code.into(),
        name: format!("Shop {code}"),
        kind: kind.into(),
        brand_mode: "multi".into(),
        region: region.into(),
        country: "FR".into(),
        tier: String::new(),
        potential: "3".into(),
    };
    partners::create(&mut app.conn(), tenant.tenant_id(), &actor(), &input)
        .unwrap()
        .id
}

fn product(app: &TestApp, tenant: &Tenant, sku: &str, category: &str) -> ProductId {
    let input = ProductInput {
        sku: sku.into(),
        name: format!("Product {sku}"),
        category: category.into(),
        unit_price: "10".into(),
        points_per_unit: "1".into(),
    };
    products::create(&mut app.conn(), tenant.tenant_id(), &actor(), &input)
        .unwrap()
        .id
}

fn sell_in(app: &TestApp, tenant: &Tenant, key: &str, row: (PartnerId, ProductId, NaiveDate, i32)) {
    let (partner_id, product_id, sold_on, quantity) = row;
    let new = NewSellIn {
        tenant_id: tenant.id,
        partner_id,
        product_id,
        sold_on,
        quantity,
        amount_minor: i64::from(quantity) * 1000,
        import_key: key,
    };
    assert_eq!(stock::insert_sell_in(&mut app.conn(), &[new]).unwrap(), 1);
}

fn seller(app: &TestApp, tenant: &Tenant, partner: PartnerId, n: usize) -> User {
    let email = format!("seller{n}-{partner}@{}.example", tenant.slug);
    let u = app.create_user(tenant, Role::Participant, &email, &format!("Seller {n}"));
    app.join_partner(tenant.tenant_id(), u.user_id(), partner)
}

/// A declaration of one line sold `days_ago`, approved.
fn sold(
    app: &TestApp,
    tenant: &Tenant,
    who: &User,
    sku: &str,
    days_ago: i64,
    qty: i32,
) -> DeclarationId {
    let at = Utc::now() - Duration::days(days_ago);
    let input = DeclarationInput {
        sale_date: Zone::UTC.date_of(at).to_string(),
        channel: "in_store".into(),
        invoice_ref: format!(
            "INV-{}-{days_ago}-{sku}-{qty}-{}",
            who.id,
            rand::random::<u32>()
        ),
        lines: vec![LineInput {
            product: sku.into(),
            quantity: qty.to_string(),
            unit_price: String::new(),
        }],
        ..DeclarationInput::default()
    };
    let tid = tenant.tenant_id();
    let d = declarations::declare(&mut app.conn(), tid, who, &input, vec![], at)
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
    d.id
}

fn reverse(app: &TestApp, tenant: &Tenant, id: DeclarationId) {
    let reason = Reason::Listed(ListedReason::parse("duplicate").unwrap());
    declarations::reject(
        &mut app.conn(),
        tenant.tenant_id(),
        &actor(),
        id,
        Status::Approved,
        &reason,
        Utc::now(),
    )
    .unwrap();
}

fn loose_rules(app: &TestApp, tenant: &Tenant) {
    set_rules(
        app,
        tenant,
        Rules {
            window_days: 365,
            max_declarations_per_day: 100,
            max_quantity_per_line: 50,
            ..Rules::default()
        },
    );
}

async fn marketer(app: &TestApp, tenant: &Tenant) -> TestClient {
    let email = format!("hugo@{}.example", tenant.slug);
    app.create_user(tenant, Role::Marketer, &email, "Hugo");
    let client = app.client(&app.host(tenant));
    client.login(&email, PASSWORD).await;
    client
}

/// A raw fact of the oracle: partner index, product index, day, quantity.
#[derive(Clone, Copy, Debug)]
struct Fact {
    partner: usize,
    product: usize,
    day: NaiveDate,
    qty: i64,
}

struct Net {
    /// (code, kind, region) of each partner, and its id.
    partners: Vec<(&'static str, &'static str, &'static str, PartnerId)>,
    /// (sku, category) of each product, and its id.
    products: Vec<(&'static str, &'static str, ProductId)>,
    sell_in: Vec<Fact>,
    /// Approved and not reversed.
    sell_out: Vec<Fact>,
}

impl Net {
    fn keeps(&self, f: &Filter, fact: &Fact) -> bool {
        let (_, kind, region, pid) = self.partners[fact.partner];
        let (_, category, prid) = self.products[fact.product];
        f.partner.is_none_or(|p| p == pid)
            && f.product.is_none_or(|p| p == prid)
            && f.region.as_deref().is_none_or(|r| r == region)
            && f.kind.as_deref().is_none_or(|k| k == kind)
            && f.category.as_deref().is_none_or(|c| c == category)
    }
}

fn monday(d: NaiveDate) -> NaiveDate {
    use chrono::Datelike;
    d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
}

/// Random sell-in and sell-out in three partners and three products; some approvals
/// reversed.
async fn random_network(app: &TestApp, tenant: &Tenant, seed: u64) -> Net {
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    loose_rules(app, tenant);
    let partners: Vec<_> = [
        ("P-A", "reseller", "North"),
        ("P-B", "distributor", "North"),
        ("P-C", "reseller", "South"),
    ]
    .into_iter()
    .map(|(c, k, r)| (c, k, r, partner(app, tenant, c, k, r)))
    .collect();
    let products: Vec<_> = [("STK", "Sticks"), ("SPR", "Sprays"), ("ROL", "Sticks")]
        .into_iter()
        .map(|(s, c)| (s, c, product(app, tenant, s, c)))
        .collect();
    let sellers: Vec<User> = partners
        .iter()
        .enumerate()
        .map(|(n, p)| seller(app, tenant, p.3, n))
        .collect();
    let mut net = Net {
        partners,
        products,
        sell_in: vec![],
        sell_out: vec![],
    };
    for n in 0..25 {
        let f = Fact {
            partner: rng.random_range(0..3),
            product: rng.random_range(0..3),
            day: today() - Duration::days(rng.random_range(0..140)),
            qty: rng.random_range(1..60),
        };
        let row = (
            net.partners[f.partner].3,
            net.products[f.product].2,
            f.day,
            f.qty as i32,
        );
        sell_in(app, tenant, &format!("k{n}"), row);
        net.sell_in.push(f);
    }
    for n in 0..45 {
        let days_ago = rng.random_range(1..125);
        let f = Fact {
            partner: rng.random_range(0..3),
            product: rng.random_range(0..3),
            day: Zone::UTC.date_of(Utc::now() - Duration::days(days_ago)),
            qty: rng.random_range(1..20),
        };
        let who = &sellers[f.partner];
        let id = sold(
            app,
            tenant,
            who,
            net.products[f.product].0,
            days_ago,
            f.qty as i32,
        );
        if n % 7 == 3 {
            reverse(app, tenant, id); // approved, then rejected: counts for nothing
        } else {
            net.sell_out.push(f);
        }
    }
    net
}

#[actix_web::test]
async fn sell_through_figures_equal_a_recomputation_from_raw_rows_under_every_filter() {
    let app = spawn_app().await;
    let (tenant, _) = app.create_tenant("acme", "Acme");
    let net = random_network(&app, &tenant, 7).await;
    let (a, c) = (net.partners[0].3, net.partners[2].3);
    let filters = vec![
        Filter::default(),
        Filter {
            region: Some("North".into()),
            ..Filter::default()
        },
        Filter {
            kind: Some("reseller".into()),
            category: Some("Sticks".into()),
            ..Filter::default()
        },
        Filter {
            region: Some("North".into()),
            kind: Some("reseller".into()),
            ..Filter::default()
        },
        Filter {
            partner: Some(c),
            product: Some(net.products[1].2),
            ..Filter::default()
        },
        Filter {
            partner: Some(a),
            region: Some("South".into()),
            ..Filter::default()
        },
    ];
    let periods = [
        (None, None),
        (
            Some(today() - Duration::days(100)),
            Some(today() - Duration::days(9)),
        ),
    ];
    let (mut seen_slowing, mut seen_sold) = (0, 0);
    for filter in &filters {
        for (from, to) in periods {
            let q = sell_through::Query {
                from,
                to,
                filter: filter.clone(),
            };
            let tid = tenant.tenant_id();
            let view = sell_through::view(&mut app.conn(), tid, &q, today()).unwrap();
            let (from, to) = (view.from, view.to);
            assert_eq!(to, to.min(today()));
            let kept = |facts: &[Fact]| -> Vec<Fact> {
                facts
                    .iter()
                    .copied()
                    .filter(|f| net.keeps(filter, f))
                    .collect()
            };
            let (si, so) = (kept(&net.sell_in), kept(&net.sell_out));
            // Weeks: every Monday of the period, sums of the days inside it.
            let mut weeks: BTreeMap<NaiveDate, (i64, i64)> = BTreeMap::new();
            let mut w = monday(from);
            while w <= to {
                weeks.insert(w, (0, 0));
                w += Duration::weeks(1);
            }
            let inside = |d: NaiveDate| d >= from && d <= to;
            for f in si.iter().filter(|f| inside(f.day)) {
                weeks.get_mut(&monday(f.day)).unwrap().0 += f.qty;
            }
            for f in so.iter().filter(|f| inside(f.day)) {
                weeks.get_mut(&monday(f.day)).unwrap().1 += f.qty;
            }
            let got: BTreeMap<NaiveDate, (i64, i64)> = view
                .weeks
                .iter()
                .map(|w| (w.week, (w.sell_in, w.sell_out)))
                .collect();
            assert_eq!(got, weeks, "weeks under {filter:?} {from}..{to}");
            // Partners: sell-in and sell-out in the period, stock up to its end.
            let mut expected: BTreeMap<String, (i64, i64, i64)> = BTreeMap::new();
            for f in &si {
                let e = expected
                    .entry(net.partners[f.partner].0.into())
                    .or_default();
                e.0 += if inside(f.day) { f.qty } else { 0 };
                e.2 += if f.day <= to { f.qty } else { 0 };
            }
            for f in &so {
                let e = expected
                    .entry(net.partners[f.partner].0.into())
                    .or_default();
                e.1 += if inside(f.day) { f.qty } else { 0 };
                e.2 -= if f.day <= to { f.qty } else { 0 };
            }
            let got: BTreeMap<String, (i64, i64, i64)> = view
                .partners
                .iter()
                .map(|p| (p.code.clone(), (p.sell_in, p.sell_out, p.implied_stock)))
                .collect();
            assert_eq!(got, expected, "partners under {filter:?} {from}..{to}");
            assert_eq!(view.sell_out, expected.values().map(|e| e.1).sum::<i64>());
            // Slowing: last 4 weeks against the 12 before, as of the period's end (the
            // partner filter does not apply: the list is of partners).
            let unpartnered = Filter {
                partner: None,
                ..filter.clone()
            };
            let mut pace: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
            for f in net.sell_out.iter().filter(|f| net.keeps(&unpartnered, f)) {
                let age = (to - f.day).num_days();
                let e = pace.entry(net.partners[f.partner].0).or_default();
                if (0..28).contains(&age) {
                    e.0 += f.qty;
                } else if (28..112).contains(&age) {
                    e.1 += f.qty;
                }
            }
            let slowing: Vec<&str> = pace
                .iter()
                .filter(|(_, (recent, trailing))| *trailing > 0 && recent * 12 < trailing * 4)
                .map(|(code, _)| *code)
                .collect();
            let got: Vec<&str> = view.slowing.iter().map(|s| s.pace.code.as_str()).collect();
            assert_eq!(got, slowing, "slowing under {filter:?} as of {to}");
            seen_slowing += slowing.len();
            seen_sold += view.sell_out;
        }
    }
    assert!(
        seen_slowing > 0 && seen_sold > 0,
        "the random data is not trivial"
    );
    // The page shows the same figures.
    let hugo = marketer(&app, &tenant).await;
    let page = hugo
        .get("/studio/analytics/sell-through?region=North")
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    let q = sell_through::Query {
        filter: filters[1].clone(),
        ..Default::default()
    };
    let view = sell_through::view(&mut app.conn(), tenant.tenant_id(), &q, today()).unwrap();
    let cells = page.texts("[data-testid=weeks] tbody td:nth-child(3)");
    let expected: Vec<String> = view.weeks.iter().map(|w| w.sell_out.to_string()).collect();
    assert_eq!(cells, expected);
    assert_eq!(
        page.texts("[data-testid=partners] tbody tr").len(),
        view.partners.len()
    );
    assert_eq!(page.texts("[data-testid=chart-weeks-chart] svg").len(), 1);
    // Every table exports: its header, one line per row.
    let tables = [
        ("weeks", "week,sell_in,sell_out", view.weeks.len()),
        (
            "partners",
            "partner_code,partner,region,sell_in,sell_out,implied_stock,stock_out_risks,overstocks",
            view.partners.len(),
        ),
        (
            "products",
            "sku,product,category,sell_in,sell_out,implied_stock,stock_out_risks,overstocks",
            view.products.len(),
        ),
        (
            "slowing",
            "partner_code,partner,region,partner_kind,recent_units,trailing_units,pace_percent",
            view.slowing.len(),
        ),
    ];
    for (table, header, rows) in tables {
        let (status, text) = csv(
            &hugo,
            &format!("/studio/analytics/sell-through/{table}.csv?region=North"),
        )
        .await;
        assert_eq!(status, 200, "{table}");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], header, "{table}");
        assert_eq!(lines.len(), rows + 1, "{table}: {text}");
    }
    let (_, weeks) = csv(
        &hugo,
        "/studio/analytics/sell-through/weeks.csv?region=North",
    )
    .await;
    let expected: Vec<String> = view
        .weeks
        .iter()
        .map(|w| format!("{},{},{}", w.week, w.sell_in, w.sell_out))
        .collect();
    assert_eq!(weeks.lines().skip(1).collect::<Vec<_>>(), expected);
    // French Excel: a byte order mark and semicolons.
    let (_, fr) = csv(
        &hugo,
        "/studio/analytics/sell-through/weeks.csv?region=North&format=excel-fr",
    )
    .await;
    assert!(fr.starts_with("\u{feff}week;sell_in;sell_out\n"), "{fr}");
    assert_eq!(
        csv(&hugo, "/studio/analytics/sell-through/nothing.csv")
            .await
            .0,
        404
    );
}

/// Status and body of a download.
async fn csv(client: &TestClient, path: &str) -> (u16, String) {
    let res = client
        .http
        .get(format!("{}{path}", client.base))
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    if status == 200 {
        assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    }
    (status, res.text().await.unwrap())
}

/// A challenge on every product from 20 days ago to 10 days ahead, fixed target 10, tiers
/// 80 → 100, 100 → 300, 120 → 600.
fn challenge(
    app: &TestApp,
    tenant: &Tenant,
    edit: impl FnOnce(&mut ChallengeInput),
) -> ChallengeId {
    let mut input = ChallengeInput::blank(today());
    input.title = "Spring sticks".into();
    input.starts_on = (today() - Duration::days(20)).to_string();
    input.ends_on = (today() + Duration::days(10)).to_string();
    edit(&mut input);
    let tid = tenant.tenant_id();
    let id = setup::save(&mut app.conn(), tid, &actor(), None, &input, Utc::now())
        .unwrap()
        .id;
    setup::publish(&mut app.conn(), tid, &actor(), id, Utc::now()).unwrap();
    id
}

#[actix_web::test]
async fn challenge_results_equal_a_recomputation_and_follow_reversals_and_awards() {
    let app = spawn_app().await;
    let (tenant, _) = app.create_tenant("acme", "Acme");
    let tid = tenant.tenant_id();
    loose_rules(&app, &tenant);
    let mut rng = rand::rngs::StdRng::seed_from_u64(11);
    let shops = [
        partner(&app, &tenant, "P-A", "reseller", "North"),
        partner(&app, &tenant, "P-B", "reseller", "South"),
    ];
    product(&app, &tenant, "STK", "Sticks");
    product(&app, &tenant, "SPR", "Sprays");
    let people: Vec<User> = (0..6)
        .map(|n| seller(&app, &tenant, shops[n % 2], n))
        .collect();
    let id = challenge(&app, &tenant, |_| {});
    // The challenge lasts 31 days: its reference is the 31 days before it.
    let first = today() - Duration::days(20);
    let reference = (first - Duration::days(31), first - Duration::days(1));
    let mut facts: Vec<(usize, NaiveDate, i64, DeclarationId)> = vec![];
    for _ in 0..40 {
        let who = rng.random_range(0..people.len() - 1); // the last one never sells
        let days_ago = rng.random_range(1..60);
        let qty = rng.random_range(1..8);
        let sku = if rng.random_bool(0.5) { "STK" } else { "SPR" };
        let d = sold(&app, &tenant, &people[who], sku, days_ago, qty as i32);
        let day = Zone::UTC.date_of(Utc::now() - Duration::days(days_ago));
        facts.push((who, day, qty, d));
    }
    // Some approvals are reversed after the fact.
    let reversed: Vec<DeclarationId> = facts.iter().step_by(6).map(|f| f.3).collect();
    for d in &reversed {
        reverse(&app, &tenant, *d);
    }
    let check = |awarded: bool| {
        let live: Vec<_> = facts.iter().filter(|f| !reversed.contains(&f.3)).collect();
        let window = |d: NaiveDate| d >= first && d <= today() + Duration::days(10);
        let in_ref = |d: NaiveDate| d >= reference.0 && d <= reference.1;
        let mut result = vec![0i64; people.len()];
        let mut before = vec![0i64; people.len()];
        for f in &live {
            if window(f.1) {
                result[f.0] += f.2;
            }
            if in_ref(f.1) {
                before[f.0] += f.2;
            }
        }
        let mut buckets = [0i64; 5];
        for r in &result {
            // Quarters of the target of 10, with floats as an independent check.
            let share = *r as f64 / 10.0;
            let b = if share >= 1.0 {
                4
            } else {
                (share * 4.0).floor() as usize
            };
            buckets[b] += 1;
        }
        let points: i64 = ledger_transactions::table
            .filter(ledger_transactions::tenant_id.eq(tenant.id))
            .filter(ledger_transactions::idempotency_key.like(format!("challenge:{id}:award:%")))
            .select(ledger_transactions::amount)
            .load::<i64>(&mut app.conn())
            .unwrap()
            .iter()
            .sum();
        assert_eq!(points > 0, awarded);
        let detail = roi::detail(&mut app.conn(), tid, id).unwrap();
        let l = &detail.line;
        assert_eq!(l.challenge.eligible, people.len() as i64);
        assert_eq!(
            l.challenge.progressing,
            result.iter().filter(|r| **r > 0).count() as i64
        );
        assert_eq!(l.distribution, buckets);
        assert_eq!(l.total, result.iter().sum::<i64>());
        assert_eq!(l.reference, reference);
        assert!(!l.reference_given);
        assert_eq!(l.reference_total, before.iter().sum::<i64>());
        let incremental = l.total - l.reference_total;
        assert_eq!(l.incremental, incremental);
        assert_eq!(l.challenge.points, points);
        let roi = (incremental > 0).then(|| points * 100 / incremental);
        assert_eq!(l.per_unit_hundredths, roi);
        let by_subject: BTreeMap<i64, (i64, i64)> = detail
            .subjects
            .iter()
            .map(|s| (s.row.id, (s.row.result, s.reference)))
            .collect();
        for (n, p) in people.iter().enumerate() {
            assert_eq!(
                by_subject[&p.id.0],
                (result[n], before[n]),
                "participant {n}"
            );
        }
        // The list across challenges has the same line.
        let all = roi::overview(&mut app.conn(), tid, roi::period(None, None, today())).unwrap();
        assert_eq!(all.lines.len(), 1);
        assert_eq!(all.lines[0].distribution, buckets);
        assert_eq!(all.lines[0].incremental, incremental);
    };
    check(false);
    // Closed and awarded: the points cost is the awards' ledger transactions.
    let at = Utc::now() + Duration::days(30);
    close::advance(&mut app.conn(), tid, id, at).unwrap();
    check(true);

    let hugo = marketer(&app, &tenant).await;
    let list = hugo.get("/studio/analytics/challenges").await;
    assert_eq!(list.status, 200, "{}", list.body);
    assert_eq!(list.texts("[data-testid=challenges] tbody tr").len(), 1);
    let page = hugo
        .get(&format!("/studio/analytics/challenges/{id}"))
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(
        page.texts("[data-testid=subjects] tbody tr").len(),
        people.len()
    );
    assert_eq!(
        page.texts("[data-testid=chart-distribution-chart] svg")
            .len(),
        1
    );
    let (status, text) = csv(&hugo, "/studio/analytics/challenges.csv").await;
    assert_eq!(status, 200);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("challenge_id,title,status,"));
    assert_eq!(lines.len(), 2);
    let (status, text) = csv(&hugo, &format!("/studio/analytics/challenges/{id}.csv")).await;
    assert_eq!(status, 200);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "participant_id,name,partner,reference,result,incremental,target,percent_of_target,points_awarded"
    );
    assert_eq!(lines.len(), people.len() + 1);
    let (_, fr) = csv(
        &hugo,
        &format!("/studio/analytics/challenges/{id}.csv?format=excel-fr"),
    )
    .await;
    assert!(fr.starts_with("\u{feff}participant_id;name;"));
}

#[actix_web::test]
async fn the_draft_button_starts_a_draft_for_exactly_the_listed_partners() {
    let app = spawn_app().await;
    let (tenant, _) = app.create_tenant("acme", "Acme");
    let tid = tenant.tenant_id();
    loose_rules(&app, &tenant);
    let slow = partner(&app, &tenant, "P-SLOW", "reseller", "North");
    let steady = partner(&app, &tenant, "P-STEADY", "reseller", "North");
    let other = partner(&app, &tenant, "P-SOUTH", "reseller", "South");
    product(&app, &tenant, "STK", "Sticks");
    let (s1, s2, s3) = (
        seller(&app, &tenant, slow, 1),
        seller(&app, &tenant, steady, 2),
        seller(&app, &tenant, other, 3),
    );
    // Slow: 10 a week, then 2 a week. Steady: 5 a week throughout. South: slows too.
    for week in 0..16 {
        let days_ago = week * 7 + 2;
        let recent = week < 4;
        sold(
            &app,
            &tenant,
            &s1,
            "STK",
            days_ago,
            if recent { 2 } else { 10 },
        );
        sold(&app, &tenant, &s2, "STK", days_ago, 5);
        sold(
            &app,
            &tenant,
            &s3,
            "STK",
            days_ago,
            if recent { 1 } else { 9 },
        );
    }
    let hugo = marketer(&app, &tenant).await;
    let page = hugo
        .get("/studio/analytics/sell-through?region=North")
        .await;
    assert_eq!(page.status, 200);
    let listed: Vec<String> = {
        let doc = scraper::Html::parse_document(&page.body);
        let sel = scraper::Selector::parse("[data-testid=slowing] tbody tr").unwrap();
        doc.select(&sel)
            .map(|r| r.value().attr("data-partner").unwrap().to_string())
            .collect()
    };
    assert_eq!(listed, vec!["P-SLOW"]);
    let token = page.input_value("form_token").unwrap();
    let csrf = page.csrf_token().unwrap();
    let to = today().to_string();
    let fields = [
        ("form_token", token.as_str()),
        ("to", to.as_str()),
        ("region", "North"),
    ];
    // Without the CSRF token: refused, nothing created.
    let forged = hugo
        .post_form_raw("/studio/analytics/sell-through/draft", &fields)
        .await;
    assert_eq!(forged.status, 403);
    assert!(relais::db::challenges::list(&mut app.conn(), tid)
        .unwrap()
        .is_empty());
    let mut with_csrf = fields.to_vec();
    with_csrf.push(("csrf_token", &csrf));
    let sent = hugo
        .post_form_raw("/studio/analytics/sell-through/draft", &with_csrf)
        .await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let all = relais::db::challenges::list(&mut app.conn(), tid).unwrap();
    assert_eq!(all.len(), 1);
    let c = &all[0];
    assert_eq!(c.status, "draft");
    assert_eq!(
        sent.location.as_deref(),
        Some(format!("/studio/challenges/{}", c.id).as_str())
    );
    let segments = relais::db::challenges::segments_of(&mut app.conn(), tid, c.id).unwrap();
    assert_eq!(segments.len(), 1);
    let members =
        relais::services::segments::partner_ids(&mut app.conn(), tid, segments[0]).unwrap();
    assert_eq!(members, vec![slow]);
    // Sent twice (a double click): the same draft.
    let again = hugo
        .post_form_raw("/studio/analytics/sell-through/draft", &with_csrf)
        .await;
    assert_eq!(again.location, sent.location);
    assert_eq!(
        relais::db::challenges::list(&mut app.conn(), tid)
            .unwrap()
            .len(),
        1
    );
    let editor = hugo.get(sent.location.as_deref().unwrap()).await;
    assert_eq!(editor.status, 200);
    // Nobody to animate under these filters: said so, nothing created.
    let empty = hugo
        .post_form(
            "/studio/analytics/sell-through/draft",
            &[
                ("form_token", "0123456789abcdef0123456789abcdef"),
                ("region", "Nowhere"),
            ],
        )
        .await;
    assert_eq!(empty.status, 422);
    assert_eq!(empty.texts("[data-testid=refusal]").len(), 1);
    assert_eq!(
        relais::db::challenges::list(&mut app.conn(), tid)
            .unwrap()
            .len(),
        1
    );
}

#[actix_web::test]
async fn garbage_in_the_query_string_is_ignored_never_a_500() {
    let app = spawn_app().await;
    let (tenant, _) = app.create_tenant("acme", "Acme");
    let hugo = marketer(&app, &tenant).await;
    for path in [
        "/studio/analytics/sell-through?from=yesterday&to=2026-99-99&partner=abc&product=-1",
        "/studio/analytics/sell-through?from=9999-12-31&to=0001-01-01&region=%00%FF&kind='",
        "/studio/analytics/sell-through?partner=99999999999999999999&product=1e9",
        "/studio/analytics/challenges?from=x&to=%zz",
        "/studio/analytics/challenges?from=1900-01-01&to=2999-01-01",
    ] {
        let page = hugo.get(path).await;
        assert!(
            page.status == 200 || page.status == 400,
            "{path}: {}",
            page.status
        );
    }
    assert_eq!(
        hugo.get("/studio/analytics/challenges/abc").await.status,
        404
    );
    assert_eq!(
        hugo.get("/studio/analytics/challenges/42").await.status,
        404
    );
    assert_eq!(
        hugo.get("/studio/analytics/sell-through?partner=42")
            .await
            .status,
        404
    );
}

#[actix_web::test]
async fn another_tenant_sees_nothing_and_participants_are_refused() {
    let app = spawn_app().await;
    let (acme, _) = app.create_tenant("acme", "Acme");
    let (other, _) = app.create_tenant("other", "Other");
    let net = random_network(&app, &acme, 3).await;
    let id = challenge(&app, &acme, |i| i.title = "Acme secret".into());
    let theirs = marketer(&app, &other).await;
    let page = theirs.get("/studio/analytics/sell-through").await;
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("Shop P-A") && !page.body.contains("STK"));
    let list = theirs.get("/studio/analytics/challenges").await;
    assert!(!list.body.contains("Acme secret"));
    assert_eq!(
        theirs
            .get(&format!("/studio/analytics/challenges/{id}"))
            .await
            .status,
        404
    );
    let a = net.partners[0].3;
    assert_eq!(
        theirs
            .get(&format!("/studio/analytics/sell-through?partner={a}"))
            .await
            .status,
        404
    );
    assert_eq!(
        csv(&theirs, &format!("/studio/analytics/challenges/{id}.csv"))
            .await
            .0,
        404
    );
    assert_eq!(
        csv(
            &theirs,
            &format!("/studio/analytics/sell-through/partners.csv?partner={a}")
        )
        .await
        .0,
        404
    );
    let (_, mine) = csv(&theirs, "/studio/analytics/sell-through/partners.csv").await;
    assert_eq!(mine.lines().count(), 1, "only the header: {mine}");
    let (_, mine) = csv(&theirs, "/studio/analytics/challenges.csv").await;
    assert!(!mine.contains("Acme secret"));
    // A participant of Acme: refused everywhere.
    let email = "lea@acme.example";
    let lea = app.create_user(&acme, Role::Participant, email, "Léa");
    app.join_partner(acme.tenant_id(), lea.user_id(), a);
    let client = app.client(&app.host(&acme));
    client.login(email, PASSWORD).await;
    for path in [
        "/studio/analytics/sell-through".to_string(),
        "/studio/analytics/challenges".to_string(),
        format!("/studio/analytics/challenges/{id}"),
        format!("/studio/analytics/challenges/{id}.csv"),
        "/studio/analytics/challenges.csv".to_string(),
        "/studio/analytics/sell-through/partners.csv".to_string(),
    ] {
        assert_eq!(client.get(&path).await.status, 403, "{path}");
    }
    let post = client
        .post_form(
            "/studio/analytics/sell-through/draft",
            &[("region", "North")],
        )
        .await;
    assert_eq!(post.status, 403);
}

#[actix_web::test]
async fn the_demo_shows_sell_through_partners_to_animate_and_challenge_results() {
    let app = spawn_app().await;
    let seeded = relais::services::demo::seed(&mut app.conn(), &app.storage()).unwrap();
    let tenant = seeded.tenant;
    let tid = tenant.tenant_id();
    let day = tenant.zone().today(Utc::now());
    let view =
        sell_through::view(&mut app.conn(), tid, &sell_through::Query::default(), day).unwrap();
    let weeks_sold = view.weeks.iter().filter(|w| w.sell_out > 0).count();
    let weeks_in = view.weeks.iter().filter(|w| w.sell_in > 0).count();
    eprintln!(
        "demo: {} weeks, {weeks_sold} with sell-out, {weeks_in} with sell-in, {} partners, {} slowing",
        view.weeks.len(),
        view.partners.len(),
        view.slowing.len()
    );
    assert!(weeks_sold >= 8 && weeks_in >= 2, "{:?}", view.weeks);
    assert!(!view.slowing.is_empty(), "the demo has partners to animate");
    let all = roi::overview(&mut app.conn(), tid, roi::period(None, None, day)).unwrap();
    for l in &all.lines {
        eprintln!(
            "demo: {} {:?} eligible {} progressing {} points {} incremental {} roi {:?}",
            l.challenge.title,
            l.distribution,
            l.challenge.eligible,
            l.challenge.progressing,
            l.challenge.points,
            l.incremental,
            l.per_unit
        );
    }
    assert!(all.lines.len() >= 2);
    assert!(all.lines.iter().any(|l| l.challenge.points > 0));
}
