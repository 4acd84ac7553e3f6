//! Sell-in against sell-out by week, partner and product, with implied stock, alerts and
//! the partners to animate; the button that starts a draft challenge for them.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::Utc;
use serde::{Deserialize, Serialize};

use super::super::auth::{CurrentTenant, CurrentUser};
use super::super::render::Page;
use super::super::{parse_day, see_other};
use super::given;
use crate::db;
use crate::db::analytics_roi::Filter;
use crate::domain::network::PartnerKind;
use crate::domain::{PartnerId, ProductId};
use crate::error::AppError;
use crate::i18n::tr;
use crate::services::analytics_roi::sell_through::{self, DraftNames, Query, SellThrough};
use crate::services::audit::Actor;
use crate::services::once;
use crate::startup::AppState;

/// Rows of the partner and product tables on the page (the CSV files have them all).
pub const SHOWN: usize = 50;

/// The filters, as sent (anything unreadable is ignored rather than refused).
#[derive(Deserialize, Serialize, Default, Clone)]
#[serde(default)]
pub struct Params {
    pub from: String,
    pub to: String,
    pub partner: String,
    pub product: String,
    pub region: String,
    pub kind: String,
    pub category: String,
}

/// A text filter: blank for none; a NUL (which Postgres text cannot hold, and no stored
/// value has) becomes U+FFFD, so the filter matches nothing instead of failing.
fn text(s: &str) -> Option<String> {
    given(s).map(|t| t.replace('\0', "\u{FFFD}"))
}

impl Params {
    pub fn query(&self) -> Query {
        Query {
            from: parse_day(&self.from),
            to: parse_day(&self.to),
            filter: Filter {
                partner: self.partner.trim().parse::<i64>().ok().map(PartnerId),
                product: self.product.trim().parse::<i64>().ok().map(ProductId),
                region: text(&self.region),
                kind: text(&self.kind),
                category: text(&self.category),
            },
        }
    }
}

async fn load(
    state: &web::Data<AppState>,
    tenant: &CurrentTenant,
    params: &Params,
) -> Result<SellThrough, AppError> {
    let (tid, query) = (tenant.0.tenant_id(), params.query());
    let today = tenant.0.zone().today(Utc::now());
    Ok(db::run(&state.pool, move |conn| {
        sell_through::view(conn, tid, &query, today)
    })
    .await?)
}

fn render(
    mut page: Page,
    view: &SellThrough,
    params: &Params,
    refusal: Option<&str>,
) -> Result<HttpResponse, AppError> {
    let query = serde_urlencoded::to_string(params).unwrap_or_default();
    page.insert("view", view)
        .insert(
            "partners",
            &view.partners.iter().take(SHOWN).collect::<Vec<_>>(),
        )
        .insert(
            "products",
            &view.products.iter().take(SHOWN).collect::<Vec<_>>(),
        )
        .insert("shown", &SHOWN)
        .insert("query", params)
        .insert("query_string", &query)
        .insert("kinds", &PartnerKind::ALL.map(PartnerKind::as_str))
        .insert("form_token", &once::new_token())
        .insert("refusal", &refusal);
    let status = if refusal.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    page.render_status("studio/sell_through.html", status)
}

pub async fn show(
    page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    params: web::Query<Params>,
) -> Result<HttpResponse, AppError> {
    let view = load(&state, &tenant, &params).await?;
    render(page, &view, &params, None)
}

/// The draft button's form: the filters of the list it was shown with, and its token.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DraftForm {
    #[serde(flatten)]
    pub params: Params,
    pub form_token: String,
}

/// Starts a draft challenge for the partners listed under these filters and opens it;
/// with nobody to animate, the page again, saying so (422).
pub async fn start_draft(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    form: web::Form<DraftForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let (tid, actor, query) = (
        tenant.0.tenant_id(),
        Actor::user(&me.0),
        form.params.query(),
    );
    let today = tenant.0.zone().today(Utc::now());
    let names = DraftNames {
        segment: tr(page.locale, "roi-draft-segment"),
        title: tr(page.locale, "roi-draft-title"),
        description: tr(page.locale, "roi-draft-description"),
    };
    let token = form.form_token;
    let started = db::run(&state.pool, move |conn| {
        sell_through::start_draft(conn, tid, &actor, &query, &names, &token, today, Utc::now())
    })
    .await?;
    match started {
        Some(id) => {
            page.flash("roi-draft-started")?;
            Ok(see_other(&format!("/studio/challenges/{id}")))
        }
        None => {
            let view = load(&state, &tenant, &form.params).await?;
            render(page, &view, &form.params, Some("roi-draft-nobody"))
        }
    }
}
