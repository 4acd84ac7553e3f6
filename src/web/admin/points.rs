//! Points in the back-office: balances by participant, a participant's statement with
//! the adjustment form, and the programme's liability.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

use super::super::auth::{CurrentTenant, CurrentUser};
use super::super::points::{csv_response, load_statement, PeriodQuery};
use super::super::refused;
use super::super::render::Page;
use super::super::see_other;
use crate::db;
use crate::db::ledger::admin::BalanceOrder;
use crate::domain::UserId;
use crate::error::AppError;
use crate::services::audit::Actor;
use crate::services::points::{self, Adjustment};
use crate::services::{accounts, FieldErrors};
use crate::startup::AppState;

const PAGE_SIZE: i64 = 50;

#[derive(Deserialize, Serialize, Default)]
pub struct BalancesQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    page: Option<i64>,
}

pub async fn balances(
    mut page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    query: web::Query<BalancesQuery>,
) -> Result<HttpResponse, AppError> {
    let q = query.into_inner();
    let tid = tenant.0.tenant_id();
    let page_no = super::super::PageNo { page: q.page }.number();
    let (search, order) = (q.q.clone(), BalanceOrder::parse(&q.sort));
    let offset = (page_no - 1) * PAGE_SIZE;
    let balances = db::run(&state.pool, move |conn| {
        points::balances(conn, tid, &search, order, offset, PAGE_SIZE)
    })
    .await?;
    let (rows, more, liability, partners) = (
        balances.rows,
        balances.more,
        balances.liability,
        balances.partners,
    );
    let months: Vec<(String, i64)> = liability
        .expiring_by_month
        .iter()
        .map(|(m, p)| (m.to_string(), p.0))
        .collect();
    page.insert("rows", &rows)
        .insert("partners", &partners)
        .insert("has_more", &more)
        .insert("page_no", &page_no)
        .insert("query", &q)
        .insert("outstanding", &(liability.available.0 + liability.held.0))
        .insert("held", &liability.held.0)
        .insert("liability_value", &liability.value_minor)
        .insert("point_value", &tenant.0.point_value_minor)
        .insert("months", &months);
    page.render("admin/points.html")
}

#[derive(Serialize, Default)]
struct AdjustValues {
    amount: String,
    reason: String,
    key: String,
}

fn new_key() -> String {
    let mut bytes = [0u8; 16];
    rand::fill(&mut bytes);
    hex::encode(bytes)
}

/// The adjustment form as shown: values, errors and the page's status.
struct AdjustState {
    form: AdjustValues,
    errors: FieldErrors,
    status: StatusCode,
}

async fn participant_page(
    mut page: Page,
    state: &AppState,
    tenant: crate::domain::TenantId,
    user: UserId,
    query: PeriodQuery,
    adjust: AdjustState,
) -> Result<HttpResponse, AppError> {
    let AdjustState {
        form,
        errors,
        status,
    } = adjust;
    let participant = db::run(&state.pool, move |conn| {
        accounts::find_user(conn, tenant, user)
    })
    .await?;
    let statement = load_statement(state, tenant, user, query.period(page.zone)).await?;
    page.insert("participant", &participant)
        .insert("statement", &statement)
        .insert("query", &query)
        .insert("form", &form)
        .insert("errors", &errors);
    page.render_status("admin/points_participant.html", status)
}

pub async fn participant(
    page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    path: web::Path<UserId>,
    query: web::Query<PeriodQuery>,
) -> Result<HttpResponse, AppError> {
    let form = AdjustValues {
        key: new_key(),
        ..Default::default()
    };
    let (tid, uid) = (tenant.0.tenant_id(), path.into_inner());
    let adjust = AdjustState {
        form,
        errors: FieldErrors::new(),
        status: StatusCode::OK,
    };
    participant_page(page, &state, tid, uid, query.into_inner(), adjust).await
}

pub async fn participant_csv(
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    path: web::Path<UserId>,
    query: web::Query<PeriodQuery>,
) -> Result<HttpResponse, AppError> {
    let (tid, uid) = (tenant.0.tenant_id(), path.into_inner());
    db::run(&state.pool, move |conn| accounts::find_user(conn, tid, uid)).await?;
    let zone = tenant.0.zone();
    let statement = load_statement(&state, tid, uid, query.period(zone)).await?;
    csv_response(&statement, zone, &format!("points-statement-{uid}.csv"))
}

#[derive(Deserialize)]
pub struct AdjustForm {
    amount: String,
    reason: String,
    key: String,
}

pub async fn adjust(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<UserId>,
    form: web::Form<AdjustForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let (tid, uid) = (tenant.0.tenant_id(), path.into_inner());
    let actor = Actor::user(&me.0);
    let (amount, reason, key) = (form.amount.clone(), form.reason.clone(), form.key.clone());
    let result = db::run(&state.pool, move |conn| {
        let input = Adjustment {
            participant: uid,
            amount: &amount,
            reason: &reason,
            idempotency_key: &key,
        };
        refused(points::adjust(conn, tid, &actor, &input).map(|_| ()))
    })
    .await?;
    match result {
        Ok(()) => {
            page.flash("points-adjusted")?;
            Ok(see_other(&format!("/admin/points/{uid}")))
        }
        Err(errors) => {
            let form = AdjustValues {
                amount: form.amount,
                reason: form.reason,
                key: form.key,
            };
            let adjust = AdjustState {
                form,
                errors,
                status: StatusCode::UNPROCESSABLE_ENTITY,
            };
            participant_page(page, &state, tid, uid, PeriodQuery::default(), adjust).await
        }
    }
}
