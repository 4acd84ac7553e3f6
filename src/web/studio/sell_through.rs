//! Sell-in against sell-out by week, partner and product, with implied stock, alerts and
//! the partners to animate; the button that starts a draft challenge for them.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use serde::{Deserialize, Serialize};

use super::super::auth::{CurrentTenant, CurrentUser};
use super::super::charts::{Chart, Kind, Palette, Series};
use super::super::export::{self, Format, RowSink};
use super::super::render::Page;
use super::super::{parse_day, see_other};
use super::given;
use crate::db;
use crate::db::analytics_roi::Filter;
use crate::domain::network::PartnerKind;
use crate::domain::{PartnerId, ProductId};
use crate::error::AppError;
use crate::i18n::tr;
use crate::services::analytics_roi::sell_through::{self, DraftNames, Query, SellThrough, Totals};
use crate::services::audit::Actor;
use crate::services::once;
use crate::services::ServiceError;
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

/// Partners in the bar chart of sell-out.
const CHARTED: usize = 10;

fn charts(page: &mut Page, tenant: &CurrentTenant, view: &SellThrough) {
    let palette = Palette::new(&tenant.0.primary_color, &tenant.0.accent_color);
    let l = page.locale;
    let weeks = Chart::new("weeks-chart", Kind::Line, tr(l, "roi-weeks-title"))
        .labels(
            tr(l, "roi-week"),
            view.weeks.iter().map(|w| w.week.to_string()).collect(),
        )
        .series(Series::new(
            tr(l, "stock-sell-in"),
            view.weeks.iter().map(|w| w.sell_in).collect(),
        ))
        .series(Series::new(
            tr(l, "stock-sell-out"),
            view.weeks.iter().map(|w| w.sell_out).collect(),
        ));
    let top: Vec<&Totals> = view.partners.iter().take(CHARTED).collect();
    let partners = Chart::new("top_partners", Kind::Bar, tr(l, "roi-partners-chart"))
        .labels(
            tr(l, "declarations-partner"),
            top.iter().map(|p| p.name.clone()).collect(),
        )
        .series(Series::new(
            tr(l, "stock-sell-out"),
            top.iter().map(|p| p.sell_out).collect(),
        ));
    page.insert("weeks_chart", &weeks.view(palette, l))
        .insert("partners_chart", &partners.view(palette, l));
}

fn render(
    mut page: Page,
    tenant: &CurrentTenant,
    view: &SellThrough,
    params: &Params,
    refusal: Option<&str>,
) -> Result<HttpResponse, AppError> {
    let query = serde_urlencoded::to_string(params).unwrap_or_default();
    charts(&mut page, tenant, view);
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
    render(page, &tenant, &view, &params, None)
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
            render(page, &tenant, &view, &form.params, Some("roi-draft-nobody"))
        }
    }
}

/// What a service error becomes inside an export (which speaks diesel's errors).
fn db_error(e: ServiceError) -> diesel::result::Error {
    match e {
        ServiceError::Db(e) => e,
        ServiceError::NotFound => diesel::result::Error::NotFound,
        other => diesel::result::Error::QueryBuilderError(other.to_string().into()),
    }
}

fn totals_row(sink: &mut RowSink, t: &Totals) -> Result<(), export::Closed> {
    sink.row([
        t.code.clone(),
        t.name.clone(),
        t.group.clone(),
        t.sell_in.to_string(),
        t.sell_out.to_string(),
        t.implied_stock.to_string(),
        t.stock_out_risks.to_string(),
        t.overstocks.to_string(),
    ])
}

fn header(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| n.to_string()).collect()
}

/// The tables of the page as CSV: `weeks`, `partners`, `products` or `slowing`.
pub async fn export(
    req: HttpRequest,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    path: web::Path<String>,
    params: web::Query<Params>,
) -> Result<HttpResponse, AppError> {
    let format = Format::from_query(req.query_string());
    let (tid, query) = (tenant.0.tenant_id(), params.query());
    let today = tenant.0.zone().today(Utc::now());
    if let Some(p) = query.filter.partner {
        // Another tenant's partner is a 404 before anything is sent.
        db::run(&state.pool, move |conn| {
            crate::db::partners::find(conn, tid, p).map_err(ServiceError::from)
        })
        .await?;
    }
    let (from, to) = query.period(today);
    let file = |name: &str| format!("{name}-{from}-{to}.csv");
    let pool = &state.pool;
    match path.as_str() {
        "weeks" => {
            let head = header(&["week", "sell_in", "sell_out"]);
            export::csv(
                pool,
                &file("sell-through-weeks"),
                format,
                head,
                move |conn, sink| {
                    for w in sell_through::weekly(conn, tid, &query, today).map_err(db_error)? {
                        sink.row([
                            w.week.to_string(),
                            w.sell_in.to_string(),
                            w.sell_out.to_string(),
                        ])?;
                    }
                    Ok(())
                },
            )
            .await
        }
        "partners" | "products" => {
            let partners = path.as_str() == "partners";
            let head = if partners {
                header(&[
                    "partner_code",
                    "partner",
                    "region",
                    "sell_in",
                    "sell_out",
                    "implied_stock",
                    "stock_out_risks",
                    "overstocks",
                ])
            } else {
                header(&[
                    "sku",
                    "product",
                    "category",
                    "sell_in",
                    "sell_out",
                    "implied_stock",
                    "stock_out_risks",
                    "overstocks",
                ])
            };
            let name = file(&format!("sell-through-{}", path.as_str()));
            export::csv(pool, &name, format, head, move |conn, sink| {
                let (by_partner, by_product) =
                    sell_through::tables(conn, tid, &query, today).map_err(db_error)?;
                for t in if partners { &by_partner } else { &by_product } {
                    totals_row(sink, t)?;
                }
                Ok(())
            })
            .await
        }
        "slowing" => {
            let head = header(&[
                "partner_code",
                "partner",
                "region",
                "partner_kind",
                "recent_units",
                "trailing_units",
                "pace_percent",
            ]);
            export::csv(
                pool,
                &file("sell-through-slowing"),
                format,
                head,
                move |conn, sink| {
                    for s in sell_through::slowing_partners(conn, tid, &query, today)
                        .map_err(db_error)?
                    {
                        let p = &s.pace;
                        sink.row([
                            p.code.clone(),
                            p.name.clone(),
                            p.region.clone(),
                            p.kind.clone(),
                            p.recent.to_string(),
                            p.trailing.to_string(),
                            s.pace_percent.to_string(),
                        ])?;
                    }
                    Ok(())
                },
            )
            .await
        }
        _ => Err(AppError::NotFound),
    }
}
