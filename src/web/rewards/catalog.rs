//! The participant's catalog and a reward's page: browse, wish, redeem, and the
//! reward's images (to the participants it is offered to and to the tenant's staff).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::Utc;
use serde::{Deserialize, Serialize};

use crate::db;
use crate::domain::RewardId;
use crate::error::AppError;
use crate::services::once;
use crate::services::rewards::redeem::{self as service, RedeemInput};
use crate::services::rewards::views::{self, CatalogQuery, RewardView};
use crate::services::rewards::RewardError;
use crate::services::FieldErrors;
use crate::startup::AppState;
use crate::web::auth::{CurrentTenant, CurrentUser};
use crate::web::render::Page;
use crate::web::{safe_next, see_other, urlencode};

/// The catalog's query string without `leave`, ending with `&` when not empty: the
/// links of one control keep the choices made with the others.
fn keep(q: &CatalogQuery, leave: &str) -> String {
    let mut out = String::new();
    let fields = [
        ("category", &q.category),
        ("q", &q.q),
        ("within", &q.within),
        ("sort", &q.sort),
        ("wished", &q.wished),
    ];
    for (name, value) in fields {
        if name != leave && !value.trim().is_empty() {
            out.push_str(name);
            out.push('=');
            out.push_str(&urlencode(value.trim()));
            out.push('&');
        }
    }
    out
}

/// A link of the category navigation.
#[derive(Serialize)]
struct CategoryLink {
    name: String,
    count: usize,
    href: String,
    current: bool,
}

pub async fn list(
    mut page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    query: web::Query<CatalogQuery>,
) -> Result<HttpResponse, AppError> {
    let (tid, user, query) = (tenant.0.tenant_id(), me.0, query.into_inner());
    let others = keep(&query, "category");
    let catalog = db::run(&state.pool, move |conn| {
        views::catalog(conn, tid, &user, query, Utc::now())
    })
    .await?;
    let links: Vec<CategoryLink> = catalog
        .categories
        .iter()
        .map(|(name, count)| CategoryLink {
            href: format!("/rewards?{others}category={}", urlencode(name)),
            current: *name == catalog.query.category,
            name: name.clone(),
            count: *count,
        })
        .collect();
    let all_href = format!("/rewards?{others}");
    page.insert("c", &catalog)
        .insert("category_links", &links)
        .insert("all_href", all_href.trim_end_matches(['&', '?']));
    page.render("rewards/list.html")
}

/// The reward's page with its redeem form (`form`: the values to show, `errors`: the
/// message of each refused field).
fn render(
    mut page: Page,
    view: &RewardView,
    form: &RedeemInput,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    page.insert("r", view)
        .insert("form", form)
        .insert("errors", errors)
        .insert("refused", &(status == StatusCode::UNPROCESSABLE_ENTITY));
    page.render_status("rewards/show.html", status)
}

pub async fn show(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<RewardId>,
) -> Result<HttpResponse, AppError> {
    let (tid, user, id) = (tenant.0.tenant_id(), me.0, path.into_inner());
    let view = db::run(&state.pool, move |conn| {
        views::reward(conn, tid, &user, id, Utc::now())
    })
    .await?;
    let form = RedeemInput {
        quantity: "1".into(),
        address: view.address.clone(),
        form_token: once::new_token(),
    };
    render(page, &view, &form, &FieldErrors::new(), StatusCode::OK)
}

enum Outcome {
    Placed(service::Redeemed),
    /// Refused: the page again with the messages (nothing was written).
    Refused(Box<RewardView>, FieldErrors),
    /// Refused, and the reward is no longer offered (its window closed meanwhile).
    Gone,
}

/// Redeems: the order's page on success; else the reward's page again with each
/// message next to its field (422), the same one-time token kept so that the corrected
/// form still makes one order.
pub async fn redeem(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<RewardId>,
    form: web::Form<RedeemInput>,
) -> Result<HttpResponse, AppError> {
    let (tid, user, id) = (tenant.0.tenant_id(), me.0, path.into_inner());
    let input = form.into_inner();
    let sent = input.clone();
    let outcome = db::run(&state.pool, move |conn| {
        let now = Utc::now();
        match service::redeem(conn, tid, &user, id, &input, now) {
            Ok(done) => Ok(Outcome::Placed(done)),
            Err(RewardError::Invalid(errors)) => match views::reward(conn, tid, &user, id, now) {
                Ok(view) => Ok(Outcome::Refused(Box::new(view), errors)),
                Err(RewardError::NotFound) if errors.contains_key("reward") => Ok(Outcome::Gone),
                Err(e) => Err(e),
            },
            Err(e) => Err(e),
        }
    })
    .await?;
    match outcome {
        Outcome::Placed(done) => {
            page.flash(if done.approved {
                "shop-order-placed-approved"
            } else {
                "shop-order-placed"
            })?;
            Ok(see_other(&format!("/orders/{}", done.order)))
        }
        Outcome::Refused(view, mut errors) => {
            // The ledger's message speaks of "the participant" (it is the admins'); the
            // participant reads it in the second person.
            if errors.get("quantity") == Some(&"error-points-insufficient") {
                errors.insert("quantity", "shop-points-insufficient");
            }
            render(
                page,
                &view,
                &sent,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Outcome::Gone => {
            page.flash("error-reward-unavailable")?;
            Ok(see_other("/rewards"))
        }
    }
}

/// Where to go back after a wishlist toggle (the catalog sends its own address).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct WishForm {
    next: String,
}

pub async fn wish(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<RewardId>,
    form: web::Form<WishForm>,
) -> Result<HttpResponse, AppError> {
    let (tid, user, id) = (tenant.0.tenant_id(), me.0, path.into_inner());
    let wished = db::run(&state.pool, move |conn| {
        views::toggle_wish(conn, tid, &user, id, Utc::now())
    })
    .await?;
    page.flash(if wished {
        "shop-wish-added"
    } else {
        "shop-wish-removed"
    })?;
    let back = if form.next.is_empty() {
        format!("/rewards/{id}")
    } else {
        safe_next(Some(&form.next))
    };
    Ok(see_other(&back))
}

/// A reward's image, to whom may see the reward (anyone else: 404).
pub async fn image(
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<(RewardId, i16)>,
) -> Result<HttpResponse, AppError> {
    let (tid, user) = (tenant.0.tenant_id(), me.0);
    let (id, position) = path.into_inner();
    let (key, content_type) = db::run(&state.pool, move |conn| {
        views::image(conn, tid, &user, id, position, Utc::now())
    })
    .await?;
    let bytes = state
        .storage
        .get(&key, None)
        .await
        .map_err(AppError::internal)?;
    Ok(crate::web::media::stored_file(
        bytes.to_vec(),
        &content_type,
        "reward",
    ))
}
