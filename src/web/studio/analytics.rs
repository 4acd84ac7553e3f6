//! The brand's overview dashboard (`/studio/analytics`) and the CSV export of its tables.

use std::collections::HashMap;

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{NaiveDate, Utc};

use super::super::auth::CurrentTenant;
use super::super::charts::{Chart, Kind, Palette, Series};
use super::super::export::{self, Format};
use super::super::render::Page;
use crate::db::{self, analytics as rows, analytics::By};
use crate::domain::locale::Locale;
use crate::domain::money::Currency;
use crate::error::AppError;
use crate::i18n::tr as translate;
use crate::services::analytics::{self as service, Overview, Query, CHANNELS, PARTNER_KINDS};
use crate::startup::AppState;

fn parse(
    tenant: &CurrentTenant,
    params: &HashMap<String, String>,
) -> (Query, crate::services::FieldErrors) {
    Query::parse(params, tenant.0.zone().today(Utc::now()))
}

/// The query string that keeps the page's period and filters (for export links).
fn keep(query: &Query) -> String {
    let f = &query.filters;
    let mut pairs = vec![
        ("from", query.first_week.to_string()),
        (
            "to",
            (query.last_week + chrono::Duration::days(6)).to_string(),
        ),
    ];
    for (name, value) in [
        ("region", &f.region),
        ("kind", &f.partner_kind),
        ("tier", &f.tier),
        ("category", &f.category),
        ("channel", &f.channel),
    ] {
        if let Some(v) = value {
            pairs.push((name, v.clone()));
        }
    }
    serde_urlencoded::to_string(pairs).unwrap_or_default()
}

/// The major units of an amount, for a chart (charts draw whole numbers).
fn major(minor: i64, currency: Currency) -> i64 {
    minor / currency.scale().max(1)
}

fn week_label(week: NaiveDate, locale: Locale) -> String {
    crate::i18n::format_day_month(locale, week)
}

fn charts(
    o: &Overview,
    tenant: &CurrentTenant,
    locale: Locale,
) -> Vec<super::super::charts::ChartView> {
    let palette = Palette::new(&tenant.0.primary_color, &tenant.0.accent_color);
    let t = |key: &str| translate(locale, key);
    let labels: Vec<String> = o.weeks.iter().map(|w| week_label(w.week, locale)).collect();
    let revenue = Chart::new("sales-revenue", Kind::Line, t("analytics-chart-revenue"))
        .labels(t("analytics-week"), labels.clone())
        .series(Series::new(
            t("analytics-this-period"),
            o.weeks
                .iter()
                .map(|w| major(w.amount_minor, o.currency))
                .collect(),
        ))
        .series(
            Series::new(
                t("analytics-year-before"),
                o.weeks
                    .iter()
                    .map(|w| major(w.amount_year_before, o.currency))
                    .collect(),
            )
            .muted(),
        );
    let units = Chart::new("sales-units", Kind::Bar, t("analytics-chart-units"))
        .labels(t("analytics-week"), labels)
        .series(Series::new(
            t("analytics-units"),
            o.weeks.iter().map(|w| w.units).collect(),
        ));
    let channel_names: Vec<String> = o
        .channels
        .iter()
        .map(|c| t(&format!("channel-{}", c.name)))
        .collect();
    let channels = Chart::new("channels", Kind::Bar, t("analytics-chart-channels"))
        .labels(t("analytics-channel"), channel_names)
        .series(Series::new(
            t("analytics-revenue"),
            o.channels
                .iter()
                .map(|c| major(c.amount_minor, o.currency))
                .collect(),
        ));
    let r = &o.reviews;
    let reviews = Chart::new("reviews", Kind::StackedBar, t("analytics-chart-reviews"))
        .labels(
            t("analytics-declarations"),
            vec![t("analytics-declarations")],
        )
        .series(Series::new(t("analytics-approved"), vec![r.approved]))
        .series(Series::new(t("analytics-rejected"), vec![r.rejected]))
        .series(Series::new(t("analytics-pending"), vec![r.pending]).muted());
    [revenue, units, channels, reviews]
        .iter()
        .map(|c| c.view(palette, locale))
        .collect()
}

pub async fn overview(
    mut page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    params: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, AppError> {
    let (query, errors) = parse(&tenant, &params);
    let tid = tenant.0.tenant_id();
    let q = query.clone();
    let (overview, choices) = db::run(&state.pool, move |conn| {
        let overview = service::overview(conn, tid, &q)?;
        let choices = service::choices(conn, tid)?;
        Ok::<_, crate::services::ServiceError>((overview, choices))
    })
    .await?;
    let locale = page.locale;
    let views = charts(&overview, &tenant, locale);
    let raw = |name: &str| params.get(name).cloned().unwrap_or_default();
    page.insert("o", &overview)
        .insert("charts", &views)
        .insert("errors", &errors)
        .insert("export_query", &keep(&query))
        .insert("last_day", &(query.last_week + chrono::Duration::days(6)))
        .insert("regions", &choices.regions)
        .insert("categories", &choices.categories)
        .insert("tiers", &choices.tiers)
        .insert("kinds", &PARTNER_KINDS)
        .insert("channels", &CHANNELS)
        .insert(
            "selected",
            &HashMap::from([
                ("region", raw("region")),
                ("kind", raw("kind")),
                ("tier", raw("tier")),
                ("category", raw("category")),
                ("channel", raw("channel")),
            ]),
        );
    let status = if errors.is_empty() {
        actix_web::http::StatusCode::OK
    } else {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    page.render_status("studio/analytics.html", status)
}

/// The tables of the overview, each as a CSV file: `/studio/analytics/{table}.csv`.
fn table(name: &str) -> Option<By> {
    match name {
        "weeks" => Some(By::Week),
        "partners" => Some(By::Partner),
        "products" => Some(By::Product),
        _ => None,
    }
}

pub async fn export_csv(
    req: HttpRequest,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    path: web::Path<String>,
    params: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, AppError> {
    let table = table(&path).ok_or(AppError::NotFound)?;
    let (query, _) = parse(&tenant, &params);
    let format = Format::from_query(req.query_string());
    let tid = tenant.0.tenant_id();
    let scale = tenant.0.currency().digits as u32;
    let header: Vec<String> = match table {
        By::Week => vec!["week", "units", "revenue"],
        By::Partner => vec!["partner_code", "partner", "units", "revenue"],
        _ => vec!["sku", "product", "units", "revenue"],
    }
    .into_iter()
    .map(String::from)
    .collect();
    let name = format!(
        "{}-{}-{}.csv",
        match table {
            By::Week => "sell-out-by-week",
            By::Partner => "sell-out-by-partner",
            _ => "sell-out-by-product",
        },
        query.first_week,
        query.last_week + chrono::Duration::days(6)
    );
    export::csv(&state.pool, &name, format, header, move |conn, sink| {
        let span = (query.first_week, query.last_week);
        let rows = rows::sales_rows(conn, tid, &query.filters, span, table)?;
        for row in rows {
            let row = row?;
            let amount = sink.decimal(row.amount_minor, scale);
            let units = row.units.to_string();
            if table == By::Week {
                sink.row([row.key.as_str(), units.as_str(), amount.as_str()])?;
            } else {
                sink.row([
                    row.key.as_str(),
                    row.name.as_str(),
                    units.as_str(),
                    amount.as_str(),
                ])?;
            }
        }
        Ok(())
    })
    .await
}
