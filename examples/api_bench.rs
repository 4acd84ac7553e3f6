//! `scripts/bench api`: sell-out declarations created through the integration API by
//! 16 clients (req/s), against the same declarations created by calling the service the
//! API calls (`services::integration::declare`) on 16 connections in the same run
//! (ratio; goal >= 0.5); and the time of one 10,000-line sell-in batch.
//!
//! Usage: api_bench --database-url URL [--declarations 2000] [--clients 16]
//! Prints `SERVICE=… API=… RATIO=… SELL_IN_MS=…` (shell assignments).

use std::time::Instant;

use anyhow::{anyhow, bail};
use chrono::Utc;
use diesel::prelude::*;
use relais::config::Settings;
use relais::db::{self, migrate};
use relais::domain::{Locale, Role};
use relais::services::accounts::{self, NewAccount};
use relais::services::api_keys::{self, KeyInput};
use relais::services::audit::Actor;
use relais::services::declarations::{DeclarationInput, LineInput};
use relais::services::imports::{self, ImportKind};
use relais::services::integration;
use relais::services::tenants::{self, NewTenantInput};
use relais::startup::Application;

const PARTNERS: usize = 50;
const PARTICIPANTS: usize = 400;

fn arg(name: &str, default: &str) -> String {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
        .unwrap_or_else(|| default.to_string())
}

/// A tenant with partners, two products and participants; the participants' e-mails.
fn tenant(conn: &mut PgConnection, slug: &'static str) -> anyhow::Result<Vec<String>> {
    let email = format!("admin@{slug}.example");
    let (tenant, _) = tenants::create_tenant(
        conn,
        &NewTenantInput {
            slug,
            name: slug,
            domains: &[],
            default_locale: Locale::En,
            regional: relais::services::regional::RegionalInput::new("UTC", "EUR"),
            admin: NewAccount {
                email: &email,
                display_name: "Admin",
                role: Role::Admin,
                password: None,
                locale: None,
            },
        },
    )
    .map_err(|e| anyhow!("{e}"))?;
    let tid = tenant.tenant_id();
    let actor = Actor::system("cli");
    let partners: Vec<Vec<String>> = (0..PARTNERS)
        .map(|p| {
            [
                format!("P-{p:04}"),
                format!("Partner {p}"),
                "reseller".into(),
                "multi".into(),
                "North".into(),
                "FR".into(),
                "3".into(),
            ]
            .to_vec()
        })
        .collect();
    let columns = [
        "external_code",
        "name",
        "kind",
        "brand_mode",
        "region",
        "country",
        "potential",
    ];
    imports::import_rows(conn, tid, &actor, ImportKind::Partners, &columns, partners)
        .map_err(|e| anyhow!("partners: {e:?}"))?;
    let products = vec![
        ["SKU-A", "Product A", "Cat", "10.00", "5"]
            .map(String::from)
            .to_vec(),
        ["SKU-B", "Product B", "Cat", "20.00", "9"]
            .map(String::from)
            .to_vec(),
    ];
    let columns = ["sku", "name", "category", "unit_price", "points_per_unit"];
    imports::import_rows(conn, tid, &actor, ImportKind::Products, &columns, products)
        .map_err(|e| anyhow!("products: {e:?}"))?;
    let mut emails = vec![];
    for i in 0..PARTICIPANTS {
        let email = format!("seller{i}@{slug}.example");
        let user = accounts::create_user(
            conn,
            tid,
            &NewAccount {
                email: &email,
                display_name: "Seller",
                role: Role::Participant,
                password: None,
                locale: None,
            },
        )
        .map_err(|e| anyhow!("{e}"))?;
        let partner =
            relais::db::partners::by_codes(conn, tid, &[&format!("P-{:04}", i % PARTNERS)])?
                .into_values()
                .next()
                .ok_or_else(|| anyhow!("partner"))?;
        let change = relais::db::users::UserChange {
            partner_id: Some(Some(partner.id)),
            ..Default::default()
        };
        relais::db::users::update(conn, tid, user.user_id(), &change)?;
        emails.push(email);
    }
    Ok(emails)
}

fn input(n: usize) -> DeclarationInput {
    DeclarationInput {
        sale_date: Utc::now().date_naive().to_string(),
        channel: "in_store".into(),
        invoice_ref: format!("INV-{n:07}"),
        lines: vec![
            LineInput {
                product: "SKU-A".into(),
                quantity: "2".into(),
                unit_price: String::new(),
            },
            LineInput {
                product: "SKU-B".into(),
                quantity: "1".into(),
                unit_price: String::new(),
            },
        ],
        ..Default::default()
    }
}

fn main() -> anyhow::Result<()> {
    let url = arg("--database-url", "");
    let n: usize = arg("--declarations", "2000").parse()?;
    let clients: usize = arg("--clients", "16").parse()?;
    if url.is_empty() || n == 0 || clients == 0 {
        bail!("usage: api_bench --database-url URL [--declarations N] [--clients N]");
    }
    let settings = Settings::load_from(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")),
        &[
            ("database.url", &url),
            ("server.port", "0"),
            ("database.pool_size", &(clients + 4).to_string()),
            ("jobs.run_in_serve", "false"),
            ("api.requests_per_minute", "100000000"),
            ("api.burst", "1000000"),
        ],
    )?;
    let pool = db::build_pool(&settings.database)?;
    let mut conn = pool.get()?;
    migrate::run_pending(&mut conn).map_err(|e| anyhow!("migrate: {e}"))?;
    let direct = tenant(&mut conn, "bench-direct")?;
    let via_api = tenant(&mut conn, "bench-api")?;
    let api_tenant = relais::db::tenants::find_by_slug(&mut conn, "bench-api")?
        .ok_or_else(|| anyhow!("tenant"))?;
    let direct_tid = relais::db::tenants::find_by_slug(&mut conn, "bench-direct")?
        .ok_or_else(|| anyhow!("tenant"))?
        .tenant_id();
    let key = api_keys::create(
        &mut conn,
        api_tenant.tenant_id(),
        &Actor::system("cli"),
        &KeyInput {
            name: "bench".into(),
            scopes: vec!["sell-in".into(), "sell-out".into()],
        },
        Utc::now(),
    )
    .map_err(|e| anyhow!("{e}"))?
    .secret;
    drop(conn);

    // The service, on `clients` connections.
    let started = Instant::now();
    std::thread::scope(|s| {
        for c in 0..clients {
            let (pool, direct) = (pool.clone(), &direct);
            s.spawn(move || -> anyhow::Result<()> {
                let mut conn = pool.get()?;
                for i in (c..n).step_by(clients) {
                    let email = &direct[i % direct.len()];
                    integration::declare(&mut conn, direct_tid, email, &input(i), Utc::now())
                        .map_err(|e| anyhow!("{e}"))?;
                }
                Ok(())
            });
        }
    });
    let service_rate = n as f64 / started.elapsed().as_secs_f64();

    // The API, `clients` HTTP clients against the app in this process.
    let app = Application::build(settings.clone(), pool.clone())?;
    let port = app.port();
    std::thread::spawn(move || actix_web::rt::System::new().block_on(app.run_until_stopped()));
    let host = format!("bench-api.{}:{port}", settings.tenancy.base_domain);
    let base = format!("http://127.0.0.1:{port}/api/v1");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let (api_rate, sell_in_ms) = runtime.block_on(async {
        let http = reqwest::Client::new();
        let started = Instant::now();
        let mut set = tokio::task::JoinSet::new();
        for c in 0..clients {
            let (http, base, host, key, emails) =
                (http.clone(), base.clone(), host.clone(), key.clone(), via_api.clone());
            set.spawn(async move {
                for i in (c..n).step_by(clients) {
                    let d = input(i);
                    let body = serde_json::json!({
                        "participant_email": emails[i % emails.len()],
                        "sale_date": d.sale_date, "channel": d.channel, "invoice_ref": d.invoice_ref,
                        "lines": [{"sku": "SKU-A", "quantity": 2}, {"sku": "SKU-B", "quantity": 1}],
                    });
                    let res = http
                        .post(format!("{base}/sell-out/declarations"))
                        .header("Host", &host)
                        .bearer_auth(&key)
                        .header("Idempotency-Key", format!("d-{i}"))
                        .json(&body)
                        .send()
                        .await?;
                    if res.status() != 201 {
                        bail!("{}: {}", res.status(), res.text().await?);
                    }
                }
                Ok::<_, anyhow::Error>(())
            });
        }
        for r in set.join_all().await {
            r?;
        }
        let rate = n as f64 / started.elapsed().as_secs_f64();
        let today = Utc::now().date_naive().to_string();
        let lines: Vec<_> = (0..10_000)
            .map(|i| serde_json::json!({
                "partner_code": format!("P-{:04}", i % PARTNERS), "sku": "SKU-A", "date": today,
                "quantity": 1 + i % 20, "amount": "10.00", "reference": format!("BL-{i}")}))
            .collect();
        let started = Instant::now();
        let res = http
            .post(format!("{base}/sell-in"))
            .header("Host", &host)
            .bearer_auth(&key)
            .json(&serde_json::json!({ "lines": lines }))
            .send()
            .await?;
        if res.status() != 200 {
            bail!("sell-in {}: {}", res.status(), res.text().await?);
        }
        Ok::<_, anyhow::Error>((rate, started.elapsed().as_millis()))
    })?;
    println!(
        "SERVICE={service_rate:.0} API={api_rate:.0} RATIO={:.2} SELL_IN_MS={sell_in_ms}",
        api_rate / service_rate
    );
    Ok(())
}
