//! The product catalogue: list with search and filters, forms, deactivation.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

use super::super::auth::{CurrentTenant, CurrentUser};
use super::super::render::Page;
use super::super::see_other;
use super::super::PageNo;
use super::{active_filter, given, pager_base, refused, ActiveForm, PAGE_SIZE};
use crate::db;
use crate::db::products::{Product, ProductFilter};
use crate::error::AppError;
use crate::services::audit::Actor;
use crate::services::products::{self, ProductInput};
use crate::services::{FieldErrors, ServiceError};
use crate::startup::AppState;

#[derive(Deserialize, Serialize, Default)]
#[serde(default)]
pub struct ProductQuery {
    q: String,
    category: String,
    active: String,
}

pub async fn list(
    mut page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    query: web::Query<ProductQuery>,
    page_no: web::Query<PageNo>,
) -> Result<HttpResponse, AppError> {
    let q = query.into_inner();
    let filter = ProductFilter {
        search: given(&q.q),
        category: given(&q.category),
        active: active_filter(&q.active),
    };
    let (tid, n) = (tenant.0.tenant_id(), page_no.number());
    let list = db::run(&state.pool, move |conn| {
        products::list(conn, tid, &filter, n, PAGE_SIZE)
    })
    .await?;
    page.insert("list", &list)
        .insert("pager_base", &pager_base(&q))
        .insert("query", &q);
    page.render("studio/products.html")
}

/// Renders the product form: new when `product` is `None`.
fn render_form(
    mut page: Page,
    product: Option<&Product>,
    form: &ProductInput,
    errors: &FieldErrors,
    categories: &[String],
) -> Result<HttpResponse, AppError> {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    page.insert("product", &product)
        .insert("form", form)
        .insert("errors", errors)
        .insert("categories", categories);
    page.render_status("studio/product_form.html", status)
}

pub async fn new_form(
    page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let tid = tenant.0.tenant_id();
    let categories = db::run(&state.pool, move |conn| products::categories(conn, tid)).await?;
    let form = ProductInput::default();
    render_form(page, None, &form, &FieldErrors::new(), &categories)
}

pub async fn edit_form(
    page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (tid, id) = (tenant.0.tenant_id(), path.into_inner());
    let (product, categories) = db::run(&state.pool, move |conn| {
        Ok::<_, ServiceError>((
            products::find(conn, tid, id)?,
            products::categories(conn, tid)?,
        ))
    })
    .await?;
    let form = ProductInput::of(&product, tenant.0.currency());
    render_form(
        page,
        Some(&product),
        &form,
        &FieldErrors::new(),
        &categories,
    )
}

/// Creates (`id` = `None`) or updates a product.
async fn save(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    id: Option<i64>,
    form: ProductInput,
) -> Result<HttpResponse, AppError> {
    let (tid, actor, input) = (tenant.0.tenant_id(), Actor::user(&me.0), form.clone());
    let outcome = db::run(&state.pool, move |conn| {
        let saved = match id {
            Some(id) => products::update(conn, tid, &actor, id, &input),
            None => products::create(conn, tid, &actor, &input),
        };
        match refused(saved)? {
            Ok(_) => Ok::<_, AppError>(Ok(())),
            Err(errors) => {
                let product = id.map(|id| products::find(conn, tid, id)).transpose()?;
                Ok(Err((errors, product, products::categories(conn, tid)?)))
            }
        }
    })
    .await?;
    match outcome {
        Ok(()) => {
            page.flash(if id.is_some() {
                "products-saved"
            } else {
                "products-created"
            })?;
            Ok(see_other("/studio/products"))
        }
        Err((errors, product, categories)) => {
            render_form(page, product.as_ref(), &form, &errors, &categories)
        }
    }
}

pub async fn create(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    form: web::Form<ProductInput>,
) -> Result<HttpResponse, AppError> {
    save(page, tenant, me, state, None, form.into_inner()).await
}

pub async fn update(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: web::Form<ProductInput>,
) -> Result<HttpResponse, AppError> {
    let id = Some(path.into_inner());
    save(page, tenant, me, state, id, form.into_inner()).await
}

pub async fn set_active(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: web::Form<ActiveForm>,
) -> Result<HttpResponse, AppError> {
    let (tid, id, active) = (tenant.0.tenant_id(), path.into_inner(), form.active);
    let actor = Actor::user(&me.0);
    db::run(&state.pool, move |conn| {
        products::set_active(conn, tid, &actor, id, active)
    })
    .await?;
    page.flash(if active {
        "products-reactivated"
    } else {
        "products-deactivated"
    })?;
    Ok(see_other(&format!("/studio/products/{id}")))
}
