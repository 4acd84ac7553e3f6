//! The overview dashboard: its figures equal a recomputation from the raw rows on random
//! data, under combined filters and after reversals; the aggregates equal a rebuild; CSV
//! exports; tenancy, roles and garbage queries; and the demo's charts in Chromium.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Nullable, Text, Timestamptz};

use crate::common;
use common::browser::{submit_login, Browser};
use common::{spawn_app, TestApp, TestClient, PASSWORD};
use relais::db::tenants::Tenant;
use relais::domain::declarations::{ListedReason, Reason, Status};
use relais::domain::{PartnerId, Role};
use relais::services::analytics::{self, monday, Query};
use relais::services::audit::Actor;
use relais::services::declarations::{self as declarations, DeclarationInput, LineInput};
use relais::services::demo;
use relais::services::partners::{self, PartnerInput};
use relais::services::products::{self, ProductInput};
use thirtyfour::prelude::*;

/// A small deterministic generator: the same data on every run.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

fn partner(
    app: &TestApp,
    t: &Tenant,
    code: &str,
    kind: &str,
    region: &str,
    tier: &str,
) -> PartnerId {
    let input = PartnerInput {
        external_code: code.into(),
        name: format!("Shop {code}"),
        kind: kind.into(),
        brand_mode: "multi".into(),
        region: region.into(),
        country: "FR".into(),
        tier: tier.into(),
        potential: "3".into(),
    };
    partners::create(&mut app.conn(), t.tenant_id(), &Actor::system("t"), &input)
        .unwrap()
        .id
}

fn product(app: &TestApp, t: &Tenant, sku: &str, category: &str, price: &str) {
    let input = ProductInput {
        sku: sku.into(),
        name: format!("Product {sku}"),
        category: category.into(),
        unit_price: price.into(),
        points_per_unit: "2".into(),
    };
    products::create(&mut app.conn(), t.tenant_id(), &Actor::system("t"), &input).unwrap();
}

/// A tenant with three partners, four participants, three products and `n` random
/// declarations over the last 66 weeks, decided at random (some approved then reversed).
fn random_history(app: &TestApp, slug: &str, n: usize, seed: u64) -> (Tenant, Vec<PartnerId>) {
    let (tenant, _) = app.create_tenant(slug, slug);
    let tid = tenant.tenant_id();
    let partners = vec![
        partner(app, &tenant, "N-RES", "reseller", "North", "Gold"),
        partner(app, &tenant, "N-DIS", "distributor", "North", ""),
        partner(app, &tenant, "S-RES", "reseller", "South", "Silver"),
    ];
    product(app, &tenant, "STK-A", "Sticks", "10");
    product(app, &tenant, "STK-B", "Sticks", "12.50");
    product(app, &tenant, "SPR-C", "Sprays", "7");
    let mut sellers = Vec::new();
    for (i, p) in partners.iter().chain(partners.first()).enumerate() {
        let email = format!("seller{i}@{slug}.example");
        let u = app.create_user(&tenant, Role::Participant, &email, &format!("Seller {i}"));
        sellers.push(app.join_partner(tid, u.user_id(), *p));
    }
    let reviewer = app.create_user(&tenant, Role::Admin, &format!("rev@{slug}.example"), "Rev");
    let reviewer = Actor::user(&reviewer);
    let mut rng = Lcg(seed);
    let skus = ["STK-A", "STK-B", "SPR-C"];
    let now = Utc::now();
    for i in 0..n {
        let seller = &sellers[rng.below(sellers.len() as u64) as usize];
        let at =
            now - Duration::days(rng.below(460) as i64) - Duration::hours(rng.below(20) as i64);
        let lines = (0..1 + rng.below(2))
            .map(|_| LineInput {
                product: skus[rng.below(3) as usize].into(),
                quantity: (1 + rng.below(5)).to_string(),
                unit_price: String::new(),
            })
            .collect();
        let input = DeclarationInput {
            sale_date: at.date_naive().to_string(),
            channel: if rng.below(3) == 0 {
                "online"
            } else {
                "in_store"
            }
            .into(),
            invoice_ref: format!("INV-{i}"),
            lines,
            ..DeclarationInput::default()
        };
        let d = declarations::declare(&mut app.conn(), tid, seller, &input, vec![], at).unwrap();
        let id = d.declaration.id;
        let later = at + Duration::hours(1 + rng.below(72) as i64);
        let approved = if d.declaration.status == "submitted" {
            match rng.below(5) {
                0 => false,
                1 => {
                    let reason = Reason::Listed(ListedReason::parse("duplicate").unwrap());
                    declarations::reject(
                        &mut app.conn(),
                        tid,
                        &reviewer,
                        id,
                        Status::Submitted,
                        &reason,
                        later,
                    )
                    .unwrap();
                    false
                }
                _ => {
                    declarations::approve(
                        &mut app.conn(),
                        tid,
                        &reviewer,
                        id,
                        Status::Submitted,
                        later,
                    )
                    .unwrap();
                    true
                }
            }
        } else {
            true
        };
        if approved && rng.below(6) == 0 {
            let reason = Reason::Listed(ListedReason::parse("duplicate").unwrap());
            let when = later + Duration::hours(2);
            declarations::reject(
                &mut app.conn(),
                tid,
                &reviewer,
                id,
                Status::Approved,
                &reason,
                when,
            )
            .unwrap();
        }
    }
    (tenant, partners)
}

#[derive(QueryableByName, Debug)]
struct RawLine {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = Text)]
    channel: String,
    #[diesel(sql_type = Date)]
    sale_date: NaiveDate,
    #[diesel(sql_type = Timestamptz)]
    created_at: DateTime<Utc>,
    #[diesel(sql_type = BigInt)]
    participant_id: i64,
    #[diesel(sql_type = Text)]
    partner: String,
    #[diesel(sql_type = Text)]
    region: String,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Nullable<Text>)]
    tier: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    product: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    category: Option<String>,
    #[diesel(sql_type = BigInt)]
    quantity: i64,
    #[diesel(sql_type = BigInt)]
    amount: i64,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    first_review: Option<DateTime<Utc>>,
}

/// Every declaration line with its partner and product, straight from the raw tables
/// (a declaration without lines would appear once with no product).
fn raw_lines(app: &TestApp, t: &Tenant) -> Vec<RawLine> {
    diesel::sql_query(
        "SELECT d.id, d.status, d.channel, d.sale_date, d.created_at, d.participant_id,
                p.name AS partner, p.region, p.kind, p.tier, pr.name AS product, pr.category,
                COALESCE(l.quantity, 0)::bigint AS quantity,
                COALESCE(l.quantity * l.unit_price_minor, 0)::bigint AS amount,
                (SELECT x.decided_at FROM declaration_decisions x
                 WHERE x.tenant_id = d.tenant_id AND x.declaration_id = d.id
                   AND x.status IN ('approved', 'rejected')
                 ORDER BY x.id LIMIT 1) AS first_review
         FROM declarations d
         JOIN partners p ON p.tenant_id = d.tenant_id AND p.id = d.partner_id
         LEFT JOIN declaration_lines l ON l.tenant_id = d.tenant_id AND l.declaration_id = d.id
         LEFT JOIN products pr ON pr.tenant_id = l.tenant_id AND pr.id = l.product_id
         WHERE d.tenant_id = $1",
    )
    .bind::<BigInt, _>(t.id)
    .load(&mut app.conn())
    .unwrap()
}

fn partner_ok(q: &Query, l: &RawLine) -> bool {
    let f = &q.filters;
    f.region.as_ref().is_none_or(|r| *r == l.region)
        && f.partner_kind.as_ref().is_none_or(|k| *k == l.kind)
        && f.tier.as_ref().is_none_or(|t| Some(t) == l.tier.as_ref())
}

fn sale_ok(q: &Query, l: &RawLine) -> bool {
    let f = &q.filters;
    l.status == "approved"
        && partner_ok(q, l)
        && f.category
            .as_ref()
            .is_none_or(|c| Some(c) == l.category.as_ref())
        && f.channel.as_ref().is_none_or(|c| *c == l.channel)
}

/// The overview recomputed in plain Rust from the raw rows, against the service's.
fn check(app: &TestApp, t: &Tenant, params: &[(&str, &str)]) {
    let params: HashMap<String, String> = params
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let zone = t.zone();
    let (q, errors) = Query::parse(&params, zone.today(Utc::now()));
    assert!(errors.is_empty(), "{errors:?}");
    let o = analytics::overview(&mut app.conn(), t.tenant_id(), &q).unwrap();
    let lines = raw_lines(app, t);
    let what = format!("{params:?}");

    // Sales by week, and the same weeks a year before.
    let mut weeks: BTreeMap<NaiveDate, (i64, i64)> = BTreeMap::new();
    for l in lines.iter().filter(|l| sale_ok(&q, l)) {
        let e = weeks.entry(monday(l.sale_date)).or_default();
        e.0 += l.quantity;
        e.1 += l.amount;
    }
    assert_eq!(o.weeks.len() as i64, q.weeks(), "{what}");
    for w in &o.weeks {
        let now = weeks.get(&w.week).copied().unwrap_or_default();
        let then = weeks
            .get(&(w.week - Duration::weeks(52)))
            .copied()
            .unwrap_or_default();
        assert_eq!((w.units, w.amount_minor), now, "{what}: week {}", w.week);
        assert_eq!(
            (w.units_year_before, w.amount_year_before),
            then,
            "{what}: {}",
            w.week
        );
    }
    let in_period = |l: &&RawLine| {
        let m = monday(l.sale_date);
        m >= q.first_week && m <= q.last_week
    };
    // Partners and products by revenue (ties by name), the top and bottom five.
    let ranked = |key: &dyn Fn(&RawLine) -> String| {
        let mut sums: BTreeMap<String, (i64, i64)> = BTreeMap::new();
        for l in lines.iter().filter(|l| sale_ok(&q, l)).filter(in_period) {
            let e = sums.entry(key(l)).or_default();
            e.0 += l.quantity;
            e.1 += l.amount;
        }
        let mut v: Vec<(String, i64, i64)> = sums
            .into_iter()
            .filter(|(_, (u, a))| *u != 0 || *a != 0)
            .map(|(k, (u, a))| (k, u, a))
            .collect();
        v.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
        v
    };
    let names = |r: &[relais::db::analytics::Ranked]| -> Vec<(String, i64, i64)> {
        r.iter()
            .map(|x| (x.name.clone(), x.units, x.amount_minor))
            .collect()
    };
    let partners = ranked(&|l| l.partner.clone());
    assert_eq!(
        names(&o.top_partners),
        partners.iter().take(5).cloned().collect::<Vec<_>>(),
        "{what}"
    );
    let mut bottom = partners.clone();
    bottom.sort_by(|a, b| a.2.cmp(&b.2).then(a.0.cmp(&b.0)));
    assert_eq!(
        names(&o.bottom_partners),
        bottom.into_iter().take(5).collect::<Vec<_>>(),
        "{what}"
    );
    let products = ranked(&|l| l.product.clone().unwrap_or_default());
    assert_eq!(
        names(&o.top_products),
        products.into_iter().take(5).collect::<Vec<_>>(),
        "{what}"
    );
    let channels = ranked(&|l| l.channel.clone());
    assert_eq!(names(&o.channels), channels, "{what}");
    assert_eq!(
        o.amount_minor,
        partners.iter().map(|p| p.2).sum::<i64>(),
        "{what}"
    );

    // Reviews of the declarations submitted in the period.
    let (start, end) = q.instants(zone);
    let mut seen = HashSet::new();
    let (mut approved, mut rejected, mut pending) = (0, 0, 0);
    let mut hours = Vec::new();
    for l in &lines {
        let channel_ok = q.filters.channel.as_ref().is_none_or(|c| *c == l.channel);
        if l.created_at < start || l.created_at >= end || !partner_ok(&q, l) || !channel_ok {
            continue;
        }
        if !seen.insert(l.id) {
            continue;
        }
        match l.status.as_str() {
            "approved" => approved += 1,
            "rejected" => rejected += 1,
            "submitted" => pending += 1,
            _ => {}
        }
        if let Some(r) = l.first_review {
            hours.push((r - l.created_at).num_seconds() as f64 / 3600.0);
        }
    }
    assert_eq!(
        (o.reviews.approved, o.reviews.rejected, o.reviews.pending),
        (approved, rejected, pending),
        "{what}"
    );
    hours.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let median = match hours.len() {
        0 => None,
        n if n % 2 == 1 => Some(hours[n / 2]),
        n => Some((hours[n / 2 - 1] + hours[n / 2]) / 2.0),
    };
    match (o.reviews.median_review_hours, median) {
        (Some(a), Some(b)) => assert!((a - b).abs() < 1e-6, "{what}: median {a} vs {b}"),
        (a, b) => assert_eq!(a, b, "{what}"),
    }

    // Active participants: declared in the period (no missions in this history).
    let people: HashSet<i64> = participants_of(app, t, &q);
    let active: HashSet<i64> = lines
        .iter()
        .filter(|l| {
            l.created_at >= start && l.created_at < end && people.contains(&l.participant_id)
        })
        .map(|l| l.participant_id)
        .collect();
    assert_eq!(o.participation.invited, people.len() as i64, "{what}");
    assert_eq!(o.participation.active, active.len() as i64, "{what}");

    // Points: the ledger's rows of those participants.
    #[derive(QueryableByName)]
    struct Move {
        #[diesel(sql_type = BigInt)]
        user_id: i64,
        #[diesel(sql_type = Text)]
        kind: String,
        #[diesel(sql_type = BigInt)]
        amount: i64,
        #[diesel(sql_type = Timestamptz)]
        created_at: DateTime<Utc>,
    }
    let moves: Vec<Move> = diesel::sql_query(
        "SELECT user_id, kind, amount, created_at FROM ledger_transactions WHERE tenant_id = $1",
    )
    .bind::<BigInt, _>(t.id)
    .load(&mut app.conn())
    .unwrap();
    let issued: i64 = moves
        .iter()
        .filter(|m| people.contains(&m.user_id) && m.created_at >= start && m.created_at < end)
        .map(|m| match m.kind.as_str() {
            "earn" | "adjust" => m.amount,
            "reversal" => -m.amount,
            _ => 0,
        })
        .sum();
    assert_eq!(o.points.issued, issued, "{what}");
}

/// The participants of the partners the filters keep.
fn participants_of(app: &TestApp, t: &Tenant, q: &Query) -> HashSet<i64> {
    #[derive(QueryableByName)]
    struct Person {
        #[diesel(sql_type = BigInt)]
        id: i64,
        #[diesel(sql_type = Text)]
        region: String,
        #[diesel(sql_type = Text)]
        kind: String,
        #[diesel(sql_type = Nullable<Text>)]
        tier: Option<String>,
    }
    let people: Vec<Person> = diesel::sql_query(
        "SELECT u.id, p.region, p.kind, p.tier FROM users u
         JOIN partners p ON p.tenant_id = u.tenant_id AND p.id = u.partner_id
         WHERE u.tenant_id = $1 AND u.role = 'participant'",
    )
    .bind::<BigInt, _>(t.id)
    .load(&mut app.conn())
    .unwrap();
    let f = &q.filters;
    people
        .into_iter()
        .filter(|p| {
            f.region.as_ref().is_none_or(|r| *r == p.region)
                && f.partner_kind.as_ref().is_none_or(|k| *k == p.kind)
                && f.tier.as_ref().is_none_or(|x| Some(x) == p.tier.as_ref())
        })
        .map(|p| p.id)
        .collect()
}

fn sellout_rows(app: &TestApp, t: &Tenant) -> Vec<(NaiveDate, i64, i64, String, i64, i64)> {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = Date)]
        week: NaiveDate,
        #[diesel(sql_type = BigInt)]
        partner_id: i64,
        #[diesel(sql_type = BigInt)]
        product_id: i64,
        #[diesel(sql_type = Text)]
        channel: String,
        #[diesel(sql_type = BigInt)]
        units: i64,
        #[diesel(sql_type = BigInt)]
        amount_minor: i64,
    }
    let rows: Vec<Row> = diesel::sql_query(
        "SELECT week, partner_id, product_id, channel, units, amount_minor FROM sellout_weekly
         WHERE tenant_id = $1 AND (units <> 0 OR amount_minor <> 0) ORDER BY 1, 2, 3, 4",
    )
    .bind::<BigInt, _>(t.id)
    .load(&mut app.conn())
    .unwrap();
    rows.into_iter()
        .map(|r| {
            (
                r.week,
                r.partner_id,
                r.product_id,
                r.channel,
                r.units,
                r.amount_minor,
            )
        })
        .collect()
}

#[actix_web::test]
async fn figures_equal_a_recomputation_from_raw_rows_under_combined_filters() {
    let app = spawn_app().await;
    let (tenant, _) = random_history(&app, "acme", 90, 7);
    let today = tenant.zone().today(Utc::now());
    let long_ago = (today - Duration::weeks(60)).to_string();
    let cases: Vec<Vec<(&str, &str)>> = vec![
        vec![],
        vec![("from", &long_ago)],
        vec![("region", "North")],
        vec![("kind", "reseller"), ("from", &long_ago)],
        vec![("tier", "Gold"), ("from", &long_ago)],
        vec![("category", "Sprays"), ("from", &long_ago)],
        vec![("channel", "online"), ("from", &long_ago)],
        vec![
            ("region", "North"),
            ("category", "Sticks"),
            ("channel", "in_store"),
            ("from", &long_ago),
        ],
        vec![("region", "Nowhere")],
    ];
    for case in &cases {
        check(&app, &tenant, case);
    }
    // Kept in the transactions of approvals and reversals, the aggregate equals a rebuild.
    let kept = sellout_rows(&app, &tenant);
    assert!(!kept.is_empty());
    analytics::rebuild(&mut app.conn(), tenant.tenant_id()).unwrap();
    assert_eq!(sellout_rows(&app, &tenant), kept);
    check(&app, &tenant, &[("from", &long_ago)]);
}

#[actix_web::test]
async fn a_reversal_takes_the_sale_back_out_of_the_aggregates() {
    let app = spawn_app().await;
    let (tenant, _) = random_history(&app, "acme", 0, 1);
    let tid = tenant.tenant_id();
    let seller = relais::db::users::find_by_email(&mut app.conn(), tid, "seller0@acme.example")
        .unwrap()
        .unwrap();
    let input = DeclarationInput {
        sale_date: Utc::now().date_naive().to_string(),
        channel: "online".into(),
        invoice_ref: "ONE".into(),
        lines: vec![LineInput {
            product: "STK-B".into(),
            quantity: "4".into(),
            unit_price: String::new(),
        }],
        ..DeclarationInput::default()
    };
    let now = Utc::now();
    let d = declarations::declare(&mut app.conn(), tid, &seller, &input, vec![], now).unwrap();
    let admin = Actor::system("t");
    if d.declaration.status == "submitted" {
        declarations::approve(
            &mut app.conn(),
            tid,
            &admin,
            d.declaration.id,
            Status::Submitted,
            now,
        )
        .unwrap();
    }
    let overview = |app: &TestApp| {
        let (q, _) = Query::parse(&HashMap::new(), tenant.zone().today(Utc::now()));
        analytics::overview(&mut app.conn(), tid, &q).unwrap()
    };
    let o = overview(&app);
    assert_eq!((o.units, o.amount_minor), (4, 5000));
    assert_eq!(o.participation.active, 1);
    let reason = Reason::Listed(ListedReason::parse("duplicate").unwrap());
    declarations::reject(
        &mut app.conn(),
        tid,
        &admin,
        d.declaration.id,
        Status::Approved,
        &reason,
        now,
    )
    .unwrap();
    let o = overview(&app);
    assert_eq!((o.units, o.amount_minor), (0, 0));
    assert!(o.top_partners.is_empty() && o.channels.is_empty());
    // Declaring still made the participant active that week.
    assert_eq!(o.participation.active, 1);
    assert_eq!(o.reviews.rejected, 1);
}

async fn marketer(app: &TestApp, t: &Tenant) -> TestClient {
    let email = format!("hugo@{}.example", t.slug);
    app.create_user(t, Role::Marketer, &email, "Hugo");
    let client = app.client(&app.host(t));
    client.login(&email, PASSWORD).await;
    client
}

fn csv_lines(body: &str) -> Vec<&str> {
    body.lines().collect()
}

#[actix_web::test]
async fn the_page_shows_charts_and_every_table_exports_as_csv_to_its_own_tenant_only() {
    let app = spawn_app().await;
    let (acme, _) = random_history(&app, "acme", 40, 3);
    let (other, _) = random_history(&app, "other", 0, 5);
    let long_ago = (Utc::now().date_naive() - Duration::weeks(70)).to_string();
    let hugo = marketer(&app, &acme).await;

    let page = hugo
        .get(&format!("/studio/analytics?from={long_ago}"))
        .await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("<svg class=\"chart-svg\""),
        "charts drawn"
    );
    assert_eq!(page.texts("[data-testid=charts] figure").len(), 4);

    let weeks = hugo
        .get(&format!("/studio/analytics/weeks.csv?from={long_ago}"))
        .await;
    assert_eq!(weeks.status, 200);
    let rows = csv_lines(&weeks.body);
    assert_eq!(rows[0], "week,units,revenue");
    let (q, _) = Query::parse(
        &HashMap::from([("from".to_string(), long_ago.clone())]),
        acme.zone().today(Utc::now()),
    );
    let o = analytics::overview(&mut app.conn(), acme.tenant_id(), &q).unwrap();
    let with_sales = o
        .weeks
        .iter()
        .filter(|w| w.units != 0 || w.amount_minor != 0)
        .count();
    assert_eq!(rows.len() - 1, with_sales);

    let partners = hugo
        .get(&format!(
            "/studio/analytics/partners.csv?from={long_ago}&format=excel-fr"
        ))
        .await;
    assert!(
        partners.body.starts_with('\u{feff}'),
        "French Excel: a byte order mark"
    );
    let rows = csv_lines(partners.body.trim_start_matches('\u{feff}'));
    assert_eq!(rows[0], "partner_code;partner;units;revenue");
    assert_eq!(
        rows.len() - 1,
        o.top_partners.len().max(o.bottom_partners.len())
    );
    assert!(
        rows[1..]
            .iter()
            .all(|r| r.contains(',') || r.ends_with(";0")),
        "decimal commas: {rows:?}"
    );
    let products = hugo
        .get(&format!("/studio/analytics/products.csv?from={long_ago}"))
        .await;
    assert_eq!(csv_lines(&products.body)[0], "sku,product,units,revenue");
    assert_eq!(hugo.get("/studio/analytics/secrets.csv").await.status, 404);

    // Tenant B's marketer sees nothing of tenant A's.
    let other_hugo = marketer(&app, &other).await;
    let page = other_hugo
        .get(&format!("/studio/analytics?from={long_ago}"))
        .await;
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("Shop N-RES") || page.body.matches("Shop").count() == 0);
    assert_eq!(page.texts("[data-testid=active]"), vec!["0"]);
    let csv = other_hugo
        .get(&format!("/studio/analytics/partners.csv?from={long_ago}"))
        .await;
    assert_eq!(
        csv_lines(&csv.body),
        vec!["partner_code,partner,units,revenue"]
    );

    // A participant may not look.
    let seller = app.client(&app.host(&acme));
    seller.login("seller0@acme.example", PASSWORD).await;
    assert_eq!(seller.get("/studio/analytics").await.status, 403);
    assert_eq!(seller.get("/studio/analytics/weeks.csv").await.status, 403);
}

#[actix_web::test]
async fn garbage_in_the_query_is_named_next_to_its_field_never_a_500() {
    let app = spawn_app().await;
    let (acme, _) = random_history(&app, "acme", 5, 9);
    let hugo = marketer(&app, &acme).await;
    for query in [
        "from=tomorrow&to=%00&kind=%3Cscript%3E&channel=fax&tier=%FF%FE",
        "from=2026-12-31&to=2020-01-01",
        "from=0001-01-01",
        "region=%E2%80%AE&category=x%00y&tier=",
        "from=2026-02-30&format=excel-fr",
    ] {
        let page = hugo.get(&format!("/studio/analytics?{query}")).await;
        assert!(
            page.status == 200 || page.status == 422,
            "{query}: {}",
            page.status
        );
        if page.status == 422 {
            assert!(!page.texts(".field-error").is_empty(), "{query}");
        }
        let csv = hugo
            .get(&format!("/studio/analytics/weeks.csv?{query}"))
            .await;
        assert_eq!(csv.status, 200, "{query}");
    }
    // The studio's other filtered lists take a NUL byte without failing.
    for path in [
        "/studio/stock?region=%00&category=a%00",
        "/studio/partners?q=%00&region=%00",
        "/studio/products?q=%00&category=%00",
    ] {
        let page = hugo.get(path).await;
        assert_eq!(page.status, 200, "{path}");
        // The search box echoes it, but never as a raw NUL (HTML may not hold one).
        assert!(!page.body.contains('\0'), "{path}");
    }
    let page = hugo.get("/studio/analytics?from=tomorrow&kind=shop").await;
    assert_eq!(page.status, 422);
    assert_eq!(
        page.texts("[data-field=from]"),
        vec!["Enter a date such as 2026-11-23."]
    );
    assert_eq!(
        page.texts("[data-field=kind]"),
        vec!["Choose a value from the list."]
    );
}

#[actix_web::test]
async fn the_demo_overview_draws_its_charts_on_a_desktop_and_a_phone() {
    let app = spawn_app().await;
    demo::seed(&mut app.conn(), &app.storage()).expect("seed demo");
    let hugo = demo::DEMO_USERS
        .iter()
        .find(|u| u.role == Role::Marketer)
        .unwrap();
    let mut problems = Vec::new();
    for (width, height, name) in [(1280, 1000, "desktop"), (390, 844, "phone")] {
        let browser = Browser::start(width, height).await;
        let d = &browser.driver;
        d.goto(app.url("respire.localhost", "/login"))
            .await
            .unwrap();
        submit_login(d, hugo.email, demo::DEMO_PASSWORD).await;
        d.find(By::Css("[data-testid=logout]")).await.unwrap();
        d.goto(app.url("respire.localhost", "/studio/analytics"))
            .await
            .unwrap();
        let lines = d
            .find_all(By::Css("[data-testid=chart-sales-revenue] svg polyline"))
            .await
            .unwrap();
        assert!(!lines.is_empty(), "{name}: the revenue line is drawn");
        let bars = d
            .find_all(By::Css("[data-testid=chart-sales-units] svg rect"))
            .await
            .unwrap();
        assert!(bars.len() > 5, "{name}: weekly bars drawn ({})", bars.len());
        let svg = d
            .find(By::Css("[data-testid=chart-sales-units] svg"))
            .await
            .unwrap();
        let rect = svg.rect().await.unwrap();
        assert!(rect.width > 200.0 && rect.height > 80.0, "{name}: {rect:?}");
        assert!(rect.width <= f64::from(width), "{name}: fits the window");
        if let Ok(dir) = std::env::var("RELAIS_SCREENSHOTS") {
            let png = d.screenshot_as_png().await.unwrap();
            std::fs::write(format!("{dir}/analytics-{name}.png"), png).unwrap();
        }
        let png = d.screenshot_as_png().await.unwrap();
        assert!(png.len() > 10_000, "{name}: a real screenshot");
        problems.extend(browser.overflow().await);
        problems.extend(browser.axe_violations().await);
        browser.quit().await;
    }
    assert!(problems.is_empty(), "{problems:#?}");
    // The demo has approved sales in the default period.
    let page = {
        let client = app.client("respire.localhost");
        client.login(hugo.email, demo::DEMO_PASSWORD).await;
        client.get("/studio/analytics").await
    };
    assert_ne!(page.texts("[data-testid=units]"), vec!["0"]);
}
