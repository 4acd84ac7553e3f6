//! The stock at each partner: sell-in beside approved sell-out, implied stock, weeks of
//! cover and alerts; filtered, sorted, paged, exported as CSV; per partner too.

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use chrono::Utc;
use serde::{Deserialize, Serialize};

use super::super::auth::CurrentTenant;
use super::super::render::Page;
use super::super::{parse_day, PageNo};
use super::{given, pager_base};
use crate::db;
use crate::db::partners::Partner;
use crate::db::stock::StockFilter;
use crate::domain::network::PartnerKind;
use crate::domain::stock::Alert;
use crate::domain::PartnerId;
use crate::error::AppError;
use crate::services::page_offset;
use crate::services::partners::Listing;
use crate::services::stock::{self, Sort, StockQuery, StockView};
use crate::startup::AppState;

const PER_PAGE: i64 = 50;

#[derive(Deserialize, Serialize, Default, Clone)]
#[serde(default)]
pub struct StockParams {
    from: String,
    to: String,
    region: String,
    kind: String,
    category: String,
    alert: String,
    sort: String,
    dir: String,
}

impl StockParams {
    fn query(&self, partner: Option<PartnerId>, page: Option<(i64, i64)>) -> StockQuery {
        StockQuery {
            from: parse_day(&self.from),
            to: parse_day(&self.to),
            filter: StockFilter {
                partner,
                region: given(&self.region),
                kind: given(&self.kind),
                category: given(&self.category),
            },
            alert: Alert::parse(&self.alert),
            sort: Sort::parse(&self.sort),
            descending: self.dir == "desc",
            page,
        }
    }
}

async fn load(
    state: &web::Data<AppState>,
    tenant: &CurrentTenant,
    params: &StockParams,
    partner: Option<PartnerId>,
    page: Option<(i64, i64)>,
) -> Result<(StockView, Option<Partner>), AppError> {
    let (tid, query) = (tenant.0.tenant_id(), params.query(partner, page));
    // Weeks end on the tenant's today, not UTC's.
    let today = tenant.0.zone().today(Utc::now());
    Ok(db::run(&state.pool, move |conn| {
        stock::view_of(conn, tid, partner, &query, today)
    })
    .await?)
}

async fn render(
    mut page: Page,
    state: web::Data<AppState>,
    tenant: CurrentTenant,
    params: StockParams,
    page_no: i64,
    partner: Option<PartnerId>,
) -> Result<HttpResponse, AppError> {
    let page_no = page_no.max(1);
    let wanted = Some((page_offset(page_no, PER_PAGE), PER_PAGE));
    let (mut view, partner) = load(&state, &tenant, &params, partner, wanted).await?;
    let lines = std::mem::take(&mut view.lines);
    let listing = Listing::new(lines, view.total, page_no, PER_PAGE);
    let path = match &partner {
        Some(p) => format!("/studio/partners/{}/stock", p.id),
        None => "/studio/stock".to_string(),
    };
    let csv_query = serde_urlencoded::to_string(&params).unwrap_or_default();
    page.insert("view", &view)
        .insert("listing", &listing)
        .insert("partner", &partner)
        .insert("path", &path)
        .insert("csv_url", &format!("{path}.csv?{csv_query}"))
        .insert("pager_base", &pager_base(&params))
        .insert("kinds", &PartnerKind::ALL.map(PartnerKind::as_str))
        .insert("alerts", &Alert::ALL.map(Alert::as_str))
        .insert("sorts", &Sort::ALL.map(|(_, name)| name))
        .insert("query", &params);
    page.render("studio/stock.html")
}

pub async fn list(
    page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    params: web::Query<StockParams>,
    page_no: web::Query<PageNo>,
) -> Result<HttpResponse, AppError> {
    render(
        page,
        state,
        tenant,
        params.into_inner(),
        page_no.number(),
        None,
    )
    .await
}

pub async fn of_partner(
    page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    path: web::Path<PartnerId>,
    params: web::Query<StockParams>,
    page_no: web::Query<PageNo>,
) -> Result<HttpResponse, AppError> {
    let partner = Some(path.into_inner());
    let n = page_no.number();
    render(page, state, tenant, params.into_inner(), n, partner).await
}

async fn csv_response(
    state: web::Data<AppState>,
    tenant: CurrentTenant,
    params: StockParams,
    partner: Option<PartnerId>,
) -> Result<HttpResponse, AppError> {
    let (view, _) = load(&state, &tenant, &params, partner, None).await?;
    let bytes = stock::to_csv(&view)?;
    let name = format!("stock-{}-{}.csv", view.from, view.to);
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .body(bytes))
}

pub async fn export(
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    params: web::Query<StockParams>,
) -> Result<HttpResponse, AppError> {
    csv_response(state, tenant, params.into_inner(), None).await
}

pub async fn export_partner(
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    path: web::Path<PartnerId>,
    params: web::Query<StockParams>,
) -> Result<HttpResponse, AppError> {
    csv_response(state, tenant, params.into_inner(), Some(path.into_inner())).await
}
