//! The participant's orders: their history (paged), an order's page with each line's
//! fulfilment and the voucher codes given to them, and cancelling while it waits.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::Utc;

use crate::db;
use crate::domain::values::ErrorKey;
use crate::domain::OrderId;
use crate::error::AppError;
use crate::services::rewards::views::{self, OrderView, ORDERS_PER_PAGE};
use crate::services::rewards::{redeem, RewardError};
use crate::startup::AppState;
use crate::web::auth::{CurrentTenant, CurrentUser};
use crate::web::render::Page;
use crate::web::{see_other, PageNo};

pub async fn list(
    mut page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    query: web::Query<PageNo>,
) -> Result<HttpResponse, AppError> {
    let (tid, user, n) = (tenant.0.tenant_id(), me.0, query.number());
    page.insert("page_no", &n)
        .insert("per_page", &ORDERS_PER_PAGE);
    page.show("orders", "orders/list.html", move |conn| {
        views::my_orders(conn, tid, &user, n)
    })
    .await
}

/// The order's page; `refusal`: why an action on it was refused.
fn render(
    mut page: Page,
    view: &OrderView,
    refusal: Option<ErrorKey>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    page.insert("o", view).insert("refusal", &refusal);
    page.render_status("orders/show.html", status)
}

pub async fn show(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<OrderId>,
) -> Result<HttpResponse, AppError> {
    let (tid, user, id) = (tenant.0.tenant_id(), me.0, path.into_inner());
    let view = db::run(&state.pool, move |conn| {
        views::my_order(conn, tid, &user, id)
    })
    .await?;
    render(page, &view, None, StatusCode::OK)
}

/// Cancels a waiting order (points released, stock restored). An order decided
/// meanwhile is shown again with the reason the cancellation was refused (409).
pub async fn cancel(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<OrderId>,
) -> Result<HttpResponse, AppError> {
    let (tid, user, id) = (tenant.0.tenant_id(), me.0, path.into_inner());
    let refused = db::run(&state.pool, move |conn| {
        match redeem::cancel(conn, tid, &user, id, Utc::now()) {
            Ok(()) => Ok(None),
            Err(RewardError::Refused(key)) => {
                Ok(Some((key, views::my_order(conn, tid, &user, id)?)))
            }
            Err(e) => Err(e),
        }
    })
    .await?;
    match refused {
        None => {
            page.flash("shop-order-cancelled")?;
            Ok(see_other(&format!("/orders/{id}")))
        }
        Some((key, view)) => render(page, &view, Some(key), StatusCode::CONFLICT),
    }
}
