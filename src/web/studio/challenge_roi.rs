//! Results across challenges (participation, attainment, incremental sell-out, points
//! cost and points per incremental unit), and one challenge's subjects; charts and CSV.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use serde::{Deserialize, Serialize};

use super::super::auth::CurrentTenant;
use super::super::charts::{Chart, ChartView, Kind, Palette, Series};
use super::super::export::{self, Format};
use super::super::parse_day;
use super::super::render::Page;
use crate::db;
use crate::domain::analytics_roi::BUCKETS;
use crate::domain::{ChallengeId, Locale};
use crate::error::AppError;
use crate::i18n::tr;
use crate::services::analytics_roi::challenges::{self, ChallengeLine};
use crate::services::ServiceError;
use crate::startup::AppState;

#[derive(Deserialize, Serialize, Default, Clone)]
#[serde(default)]
pub struct Params {
    pub from: String,
    pub to: String,
}

impl Params {
    pub fn period(&self, tenant: &CurrentTenant) -> (chrono::NaiveDate, chrono::NaiveDate) {
        let today = tenant.0.zone().today(Utc::now());
        challenges::period(parse_day(&self.from), parse_day(&self.to), today)
    }
}

fn palette(tenant: &CurrentTenant) -> Palette {
    Palette::new(&tenant.0.primary_color, &tenant.0.accent_color)
}

fn bucket_labels(l: Locale) -> Vec<String> {
    BUCKETS
        .iter()
        .map(|b| tr(l, &format!("roi-bucket-{b}")))
        .collect()
}

/// Subjects by attainment bucket, one stack per challenge.
fn distribution_chart(lines: &[ChallengeLine], palette: Palette, l: Locale) -> ChartView {
    let mut chart = Chart::new(
        "distribution-chart",
        Kind::StackedBar,
        tr(l, "roi-distribution-title"),
    )
    .labels(
        tr(l, "roi-challenge"),
        lines.iter().map(|x| x.challenge.title.clone()).collect(),
    );
    for (n, label) in bucket_labels(l).into_iter().enumerate() {
        chart = chart.series(Series::new(
            label,
            lines.iter().map(|x| x.distribution[n]).collect(),
        ));
    }
    chart.view(palette, l)
}

pub async fn list(
    mut page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    params: web::Query<Params>,
) -> Result<HttpResponse, AppError> {
    let (tid, period) = (tenant.0.tenant_id(), params.period(&tenant));
    let view = db::run(&state.pool, move |conn| {
        challenges::overview(conn, tid, period)
    })
    .await?;
    let chart = distribution_chart(&view.lines, palette(&tenant), page.locale);
    page.insert(
        "query_string",
        &serde_urlencoded::to_string(&*params).unwrap_or_default(),
    )
    .insert("distribution_chart", &chart)
    .insert("view", &view);
    page.render("studio/challenge_roi.html")
}

pub async fn show(
    mut page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    path: web::Path<ChallengeId>,
) -> Result<HttpResponse, AppError> {
    let (tid, id) = (tenant.0.tenant_id(), path.into_inner());
    let d = db::run(&state.pool, move |conn| challenges::detail(conn, tid, id)).await?;
    let l = page.locale;
    let chart = Chart::new(
        "distribution-chart",
        Kind::Bar,
        tr(l, "roi-distribution-title"),
    )
    .labels(tr(l, "roi-attainment"), bucket_labels(l))
    .series(Series::new(
        if d.by_partner {
            tr(l, "roi-subjects-partners")
        } else {
            tr(l, "roi-subjects-participants")
        },
        d.line.distribution.to_vec(),
    ));
    page.insert("distribution_chart", &chart.view(palette(&tenant), l))
        .insert("d", &d);
    page.render("studio/challenge_roi_show.html")
}

fn header(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| n.to_string()).collect()
}

fn db_error(e: ServiceError) -> diesel::result::Error {
    match e {
        ServiceError::Db(e) => e,
        ServiceError::NotFound => diesel::result::Error::NotFound,
        other => diesel::result::Error::QueryBuilderError(other.to_string().into()),
    }
}

/// The table across challenges as CSV.
pub async fn list_csv(
    req: HttpRequest,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    params: web::Query<Params>,
) -> Result<HttpResponse, AppError> {
    let format = Format::from_query(req.query_string());
    let (tid, (from, to)) = (tenant.0.tenant_id(), params.period(&tenant));
    let head = header(&[
        "challenge_id",
        "title",
        "status",
        "first_day",
        "last_day",
        "objective",
        "scope",
        "eligible",
        "with_progress",
        "participation_percent",
        "attainment_0_25",
        "attainment_25_50",
        "attainment_50_75",
        "attainment_75_100",
        "attainment_100_plus",
        "result",
        "reference_from",
        "reference_to",
        "reference",
        "incremental",
        "points_awarded",
        "points_per_incremental_unit",
    ]);
    let name = format!("challenge-results-{from}-{to}.csv");
    export::csv(&state.pool, &name, format, head, move |conn, sink| {
        let view = challenges::overview(conn, tid, (from, to)).map_err(db_error)?;
        for l in &view.lines {
            let c = &l.challenge;
            let mut row = vec![
                c.id.to_string(),
                c.title.clone(),
                c.status.clone(),
                l.first_day.to_string(),
                l.last_day.to_string(),
                c.objective.clone(),
                c.scope.clone(),
                c.eligible.to_string(),
                c.progressing.to_string(),
                l.participation_percent.to_string(),
            ];
            row.extend(l.distribution.iter().map(|n| n.to_string()));
            row.extend([
                l.total.to_string(),
                l.reference.0.to_string(),
                l.reference.1.to_string(),
                l.reference_total.to_string(),
                l.incremental.to_string(),
                c.points.to_string(),
                l.per_unit_hundredths
                    .map(|h| sink.decimal(h, 2))
                    .unwrap_or_default(),
            ]);
            sink.row(row)?;
        }
        Ok(())
    })
    .await
}

/// One challenge's subjects as CSV, streamed as the database sends them.
pub async fn show_csv(
    req: HttpRequest,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    path: web::Path<ChallengeId>,
) -> Result<HttpResponse, AppError> {
    let format = Format::from_query(req.query_string());
    let (tid, id) = (tenant.0.tenant_id(), path.into_inner());
    // A draft or another tenant's challenge is a 404 before anything is sent.
    let by_partner = db::run(&state.pool, move |conn| {
        challenges::exportable(conn, tid, id)
    })
    .await?;
    let head = header(&[
        if by_partner {
            "partner_id"
        } else {
            "participant_id"
        },
        "name",
        "partner",
        "reference",
        "result",
        "incremental",
        "target",
        "percent_of_target",
        "points_awarded",
    ]);
    let name = format!("challenge-{id}-subjects.csv");
    export::csv(&state.pool, &name, format, head, move |conn, sink| {
        challenges::each_subject(conn, tid, id, |s| {
            let r = &s.row;
            sink.row([
                r.id.to_string(),
                r.name.clone(),
                r.partner.clone().unwrap_or_default(),
                s.reference.to_string(),
                r.result.to_string(),
                s.incremental.to_string(),
                r.target.map(|t| t.to_string()).unwrap_or_default(),
                s.percent.map(|p| p.to_string()).unwrap_or_default(),
                r.points.to_string(),
            ])?;
            Ok(())
        })
        .map_err(db_error)
    })
    .await
}
