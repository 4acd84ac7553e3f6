//! The studio pages of every catalog entity (`services::catalog`), written once: the
//! list (filters, sort, pages), its CSV export, the new / edit form, activation.
//! An entity adds its paths, templates and flash messages (`CatalogPage`).

use std::collections::BTreeMap;

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};

use super::super::auth::{CurrentTenant, CurrentUser};
use super::super::render::Page;
use super::super::{see_other, PageNo};
use super::{active_filter, given, pager_base, ActiveForm, PAGE_SIZE};
use crate::db;
use crate::db::catalog::{CatalogRow, Sort};
use crate::db::partners::{PartnerFilter, Partners};
use crate::db::products::{ProductFilter, Products};
use crate::db::rewards::{RewardFilter, Rewards};
use crate::domain::TenantId;
use crate::error::AppError;
use crate::services::audit::Actor;
use crate::services::catalog::{self, export, Catalog, Filter, Form, IdOf, Saved};
use crate::services::FieldErrors;
use crate::startup::AppState;

/// What the studio shows of a catalog entity.
pub trait CatalogPage: Catalog {
    /// Where its pages live, e.g. `/studio/partners`.
    const PATH: &'static str;
    /// Its name in templates and file names (`partners`).
    const NAME: &'static str;
    /// Flash messages: created, saved, deactivated, reactivated.
    const FLASH: [&'static str; 4];
    /// The query-string filters besides `q`, `active` and `sort`.
    const FILTERS: &'static [&'static str];
    /// The sort keys, the default first.
    const SORTS: &'static [&'static str];

    fn filter(query: &ListQuery) -> Filter<Self>;

    /// Where a saved row is shown.
    fn saved_location(id: IdOf<Self>) -> String {
        format!("{}/{id}", Self::PATH)
    }

    /// What a row's edit page shows besides the form (`extras` in the template).
    fn extras(
        _conn: &mut diesel::PgConnection,
        _tenant: TenantId,
        _id: IdOf<Self>,
    ) -> Result<serde_json::Value, AppError> {
        Ok(serde_json::Value::Null)
    }
}

/// A list's query string: `q`, `active`, `sort` and the entity's filters, each present
/// (empty when not given), so templates can read every one.
pub struct ListQuery(pub BTreeMap<String, String>);

impl ListQuery {
    fn of<E: CatalogPage>(mut params: BTreeMap<String, String>) -> Self {
        let names = ["q", "active", "sort"]
            .into_iter()
            .chain(E::FILTERS.iter().copied());
        let kept = names
            .map(|n| (n.to_string(), params.remove(n).unwrap_or_default()))
            .collect();
        ListQuery(kept)
    }

    fn value(&self, name: &str) -> &str {
        self.0.get(name).map_or("", String::as_str)
    }

    /// A non-blank filter value.
    pub fn given(&self, name: &str) -> Option<String> {
        given(self.value(name))
    }

    pub fn active(&self) -> Option<bool> {
        active_filter(self.value("active"))
    }

    pub fn sort(&self, keys: &[&str]) -> Sort {
        Sort::parse(self.value("sort"), keys)
    }

    /// The query string without the page (and without `leave_out`), for links that
    /// add their own (`…&page=N`).
    fn base(&self, leave_out: &str) -> String {
        let set: Vec<(&String, &String)> = self
            .0
            .iter()
            .filter(|(k, v)| !v.is_empty() && *k != leave_out)
            .collect();
        pager_base(&set)
    }
}

impl CatalogPage for Partners {
    const PATH: &'static str = "/studio/partners";
    const NAME: &'static str = "partners";
    const FLASH: [&'static str; 4] = [
        "partners-created",
        "partners-saved",
        "partners-deactivated",
        "partners-reactivated",
    ];
    const FILTERS: &'static [&'static str] = &["kind", "region", "tier"];
    const SORTS: &'static [&'static str] = crate::services::partners::SORTS;

    fn filter(q: &ListQuery) -> PartnerFilter {
        PartnerFilter {
            search: q.given("q"),
            kind: q.given("kind"),
            region: q.given("region"),
            tier: q.given("tier"),
            active: q.active(),
            sort: q.sort(Self::SORTS),
        }
    }
}

impl CatalogPage for Products {
    const PATH: &'static str = "/studio/products";
    const NAME: &'static str = "products";
    const FLASH: [&'static str; 4] = [
        "products-created",
        "products-saved",
        "products-deactivated",
        "products-reactivated",
    ];
    const FILTERS: &'static [&'static str] = &["category"];
    const SORTS: &'static [&'static str] = crate::services::products::SORTS;

    fn filter(q: &ListQuery) -> ProductFilter {
        ProductFilter {
            search: q.given("q"),
            category: q.given("category"),
            active: q.active(),
            sort: q.sort(Self::SORTS),
        }
    }

    /// Products have no page of their own: back to the list.
    fn saved_location(_id: IdOf<Self>) -> String {
        Self::PATH.to_string()
    }
}

impl CatalogPage for Rewards {
    const PATH: &'static str = "/studio/rewards";
    const NAME: &'static str = "rewards";
    const FLASH: [&'static str; 4] = [
        "studio-rewards-created",
        "studio-rewards-saved",
        "studio-rewards-deactivated",
        "studio-rewards-reactivated",
    ];
    const FILTERS: &'static [&'static str] = &["category", "kind"];
    const SORTS: &'static [&'static str] = crate::services::rewards::catalog::SORTS;

    fn filter(q: &ListQuery) -> RewardFilter {
        RewardFilter {
            search: q.given("q"),
            category: q.given("category"),
            kind: q.given("kind"),
            active: q.active(),
            sort: q.sort(Self::SORTS),
        }
    }

    /// Images, segments and (e-vouchers) the code pool's counts.
    fn extras(
        conn: &mut diesel::PgConnection,
        tenant: TenantId,
        id: IdOf<Self>,
    ) -> Result<serde_json::Value, AppError> {
        let extras = crate::services::rewards::catalog::extras(conn, tenant, id)?;
        let positions: Vec<i16> = (1..=crate::services::rewards::catalog::MAX_IMAGES).collect();
        Ok(serde_json::json!({
            "images": extras.images.iter().map(|i| i.position).collect::<Vec<_>>(),
            "positions": positions,
            "segments": extras.segments,
            "codes_free": extras.codes_free,
            "codes_given": extras.codes_given,
            "voucher": extras.reward.kind == "voucher",
            "tier": crate::services::tiers::reward_tier_setting(conn, tenant, id)?,
        }))
    }
}

/// The routes every catalog entity has, under the studio scope.
pub fn routes<E: CatalogPage>(cfg: &mut web::ServiceConfig) {
    let path = E::PATH.trim_start_matches("/studio");
    cfg.route(path, web::get().to(list::<E>))
        .route(path, web::post().to(create::<E>))
        .route(&format!("{path}.csv"), web::get().to(export_csv::<E>))
        .route(&format!("{path}/new"), web::get().to(new_form::<E>))
        .route(&format!("{path}/{{id}}"), web::post().to(update::<E>))
        .route(
            &format!("{path}/{{id}}/active"),
            web::post().to(set_active::<E>),
        );
}

pub async fn list<E: CatalogPage>(
    page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    query: web::Query<BTreeMap<String, String>>,
    page_no: web::Query<PageNo>,
) -> Result<HttpResponse, AppError> {
    let tid = tenant.0.tenant_id();
    let (query, n) = (query.into_inner(), page_no.number());
    list_page::<E>(page, &state, tid, query, n, &FieldErrors::new()).await
}

/// The list page; with `errors` (a form of the list page refused), status 422.
pub async fn list_page<E: CatalogPage>(
    mut page: Page,
    state: &web::Data<AppState>,
    tid: TenantId,
    query: BTreeMap<String, String>,
    n: i64,
    errors: &FieldErrors,
) -> Result<HttpResponse, AppError> {
    let query = ListQuery::of::<E>(query);
    let filter = E::filter(&query);
    let list = db::run(&state.pool, move |conn| {
        E::list_view(conn, tid, &filter, n, PAGE_SIZE)
    })
    .await?;
    let sort = query.sort(E::SORTS);
    page.insert("list", &list)
        .insert("path", E::PATH)
        .insert("entity", E::NAME)
        .insert("pager_base", &query.base("page"))
        .insert("sort_base", &query.base("sort"))
        .insert(
            "sort",
            &format!("{}{}", if sort.descending { "-" } else { "" }, sort.key),
        )
        .insert("query", &query.0)
        .insert("errors", errors);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    page.render_status(&format!("studio/{}.html", E::NAME), status)
}

/// Every row the list's filters take, as CSV, in the list's order.
pub async fn export_csv<E: CatalogPage>(
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    query: web::Query<BTreeMap<String, String>>,
) -> Result<HttpResponse, AppError> {
    let filter = E::filter(&ListQuery::of::<E>(query.into_inner()));
    let tid = tenant.0.tenant_id();
    let bytes = db::run(&state.pool, move |conn| {
        export::to_csv::<E>(conn, tid, &filter)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}.csv\"", E::NAME),
        ))
        .body(bytes))
}

fn render_form<E: CatalogPage>(
    mut page: Page,
    form: &Form<E>,
    errors: &FieldErrors,
    extras: &serde_json::Value,
) -> Result<HttpResponse, AppError> {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    page.insert("id", &form.row.as_ref().map(CatalogRow::id))
        .insert("row", &form.row)
        .insert("form", &form.input)
        .insert("choices", &form.choices)
        .insert("form_token", &form.form_token)
        .insert("errors", errors)
        .insert("extras", extras)
        .insert("path", E::PATH);
    page.render_status(&format!("studio/{}_form.html", E::NAME), status)
}

async fn form<E: CatalogPage>(
    page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    id: Option<IdOf<E>>,
) -> Result<HttpResponse, AppError> {
    form_page::<E>(page, &state, tenant.0.tenant_id(), id, &FieldErrors::new()).await
}

/// The new / edit page of a row, with its extras; with `errors` (one of the page's
/// forms refused), status 422.
pub async fn form_page<E: CatalogPage>(
    page: Page,
    state: &web::Data<AppState>,
    tid: TenantId,
    id: Option<IdOf<E>>,
    errors: &FieldErrors,
) -> Result<HttpResponse, AppError> {
    let (form, extras) = db::run(&state.pool, move |conn| {
        let form = catalog::form::<E>(conn, tid, id).map_err(AppError::from)?;
        let extras = match id {
            Some(id) => E::extras(conn, tid, id)?,
            None => serde_json::Value::Null,
        };
        Ok::<_, AppError>((form, extras))
    })
    .await?;
    render_form(page, &form, errors, &extras)
}

pub async fn new_form<E: CatalogPage>(
    page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    form::<E>(page, tenant, state, None).await
}

pub async fn edit_form<E: CatalogPage>(
    page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    path: web::Path<IdOf<E>>,
) -> Result<HttpResponse, AppError> {
    form::<E>(page, tenant, state, Some(path.into_inner())).await
}

/// Creates (`id` = `None`) or updates a row; refused input is shown again with its errors.
async fn save<E: CatalogPage>(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    id: Option<IdOf<E>>,
    input: E::Input,
    form_token: String,
) -> Result<HttpResponse, AppError> {
    let (tid, actor) = (tenant.0.tenant_id(), Actor::user(&me.0));
    let saved = db::run(&state.pool, move |conn| {
        catalog::save::<E>(conn, tid, &actor, id, input, &form_token)
    })
    .await?;
    match saved {
        Saved::Done(row) => {
            page.flash(E::FLASH[usize::from(id.is_some())])?;
            Ok(see_other(&E::saved_location(row.id())))
        }
        Saved::Refused(errors, form) => {
            let extras = match id {
                Some(id) => db::run(&state.pool, move |conn| E::extras(conn, tid, id)).await?,
                None => serde_json::Value::Null,
            };
            render_form(page, &form, &errors, &extras)
        }
    }
}

pub async fn create<E: CatalogPage>(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    form: web::Form<WithToken<E::Input>>,
) -> Result<HttpResponse, AppError> {
    let WithToken { form_token, input } = form.into_inner();
    save::<E>(page, tenant, me, state, None, input, form_token).await
}

/// A creating form: the entity's fields and the form's one-time token.
#[derive(serde::Deserialize)]
pub struct WithToken<T> {
    #[serde(default)]
    form_token: String,
    #[serde(flatten)]
    input: T,
}

pub async fn update<E: CatalogPage>(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<IdOf<E>>,
    form: web::Form<E::Input>,
) -> Result<HttpResponse, AppError> {
    let id = Some(path.into_inner());
    save::<E>(
        page,
        tenant,
        me,
        state,
        id,
        form.into_inner(),
        String::new(),
    )
    .await
}

pub async fn set_active<E: CatalogPage>(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<IdOf<E>>,
    form: web::Form<ActiveForm>,
) -> Result<HttpResponse, AppError> {
    let (tid, id, active) = (tenant.0.tenant_id(), path.into_inner(), form.active);
    let actor = Actor::user(&me.0);
    db::run(&state.pool, move |conn| {
        catalog::set_active::<E>(conn, tid, &actor, id, active)
    })
    .await?;
    page.flash(E::FLASH[if active { 3 } else { 2 }])?;
    Ok(see_other(&format!("{}/{id}", E::PATH)))
}
