//! `/profile`: every signed-in user's own details, delivery address and password, and
//! "download my data".

use crate::domain::values::echoable;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use chrono::Utc;
use serde::Deserialize;

use super::auth::{issued_now, CurrentTenant, CurrentUser};
use super::identify::{SESSION_ISSUED_AT, SESSION_LOCALE};
use super::render::Page;
use super::{csrf, refused, see_other};
use crate::db;
use crate::domain::rewards::AddressInput;
use crate::error::AppError;
use crate::services::profile::{self, DetailsInput, PasswordInput, ProfileView};
use crate::services::{gdpr, passwords, FieldErrors};
use crate::startup::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/profile", web::get().to(show))
        .route("/profile/details", web::post().to(save_details))
        .route("/profile/address", web::post().to(save_address))
        .route("/profile/password", web::post().to(change_password))
        .route("/profile/data.json", web::get().to(download));
}

async fn load(
    state: &web::Data<AppState>,
    tenant: &CurrentTenant,
    me: &CurrentUser,
) -> Result<ProfileView, AppError> {
    let (tid, uid, default) = (tenant.0.tenant_id(), me.0.user_id(), tenant.0.locale());
    Ok(db::run(&state.pool, move |conn| {
        profile::view(conn, tid, uid, default)
    })
    .await?)
}

fn render(
    mut page: Page,
    view: &ProfileView,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let a = &view.address;
    let address = serde_json::json!({
        "address_name": a.name, "address_line1": a.line1, "address_line2": a.line2,
        "address_postcode": a.postcode, "address_city": a.city,
        "address_country": a.country, "address_phone": a.phone,
    });
    page.insert("profile", view)
        .insert("address", &address)
        .insert("errors", errors);
    page.render_status("profile/show.html", status)
}

pub async fn show(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let view = load(&state, &tenant, &me).await?;
    render(page, &view, &FieldErrors::new(), StatusCode::OK)
}

pub async fn save_details(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    form: web::Form<DetailsInput>,
) -> Result<HttpResponse, AppError> {
    let input = form.into_inner();
    let (tid, uid) = (tenant.0.tenant_id(), me.0.user_id());
    let typed = input.clone();
    let saved = db::run(&state.pool, move |conn| {
        refused(profile::save_details(conn, tid, uid, &typed, Utc::now()))
    })
    .await?;
    match saved {
        Ok(locale) => {
            page.session().insert(SESSION_LOCALE, locale.as_str())?;
            page.flash("profile-details-saved")?;
            Ok(see_other("/profile"))
        }
        Err(errors) => {
            let mut view = load(&state, &tenant, &me).await?;
            view.display_name = echoable(&input.display_name);
            view.phone = echoable(&input.phone);
            render(page, &view, &errors, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

/// The address form: the address fields, named `address_<field>` as their errors are.
#[derive(Debug, Deserialize)]
pub struct AddressForm {
    #[serde(default)]
    address_name: String,
    #[serde(default)]
    address_line1: String,
    #[serde(default)]
    address_line2: String,
    #[serde(default)]
    address_postcode: String,
    #[serde(default)]
    address_city: String,
    #[serde(default)]
    address_country: String,
    #[serde(default)]
    address_phone: String,
}

impl From<AddressForm> for AddressInput {
    fn from(f: AddressForm) -> Self {
        AddressInput {
            name: f.address_name,
            line1: f.address_line1,
            line2: f.address_line2,
            postcode: f.address_postcode,
            city: f.address_city,
            country: f.address_country,
            phone: f.address_phone,
        }
    }
}

pub async fn save_address(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    form: web::Form<AddressForm>,
) -> Result<HttpResponse, AppError> {
    let input = AddressInput::from(form.into_inner());
    let (tid, uid) = (tenant.0.tenant_id(), me.0.user_id());
    let typed = input.clone();
    let saved = db::run(&state.pool, move |conn| {
        refused(profile::save_address(conn, tid, uid, &typed, Utc::now()))
    })
    .await?;
    match saved {
        Ok(()) => {
            page.flash("profile-address-saved")?;
            Ok(see_other("/profile"))
        }
        Err(errors) => {
            let mut view = load(&state, &tenant, &me).await?;
            view.address = AddressInput {
                name: echoable(&input.name),
                line1: echoable(&input.line1),
                line2: echoable(&input.line2),
                postcode: echoable(&input.postcode),
                city: echoable(&input.city),
                country: echoable(&input.country),
                phone: echoable(&input.phone),
            };
            render(page, &view, &errors, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

/// Changes the password once the current one is checked (on the hashing pool, holding
/// no connection). Every other session ends; this one is renewed and stays signed in.
pub async fn change_password(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    form: web::Form<PasswordInput>,
) -> Result<HttpResponse, AppError> {
    let input = form.into_inner();
    let user = me.0.clone();
    let mut errors = profile::check_new_password(&input);
    let hash = user.password_hash.clone().unwrap_or_default();
    if errors.is_empty() {
        let ok = !hash.is_empty()
            && passwords::verify(input.current_password.clone(), hash.clone()).await;
        if !ok {
            errors.insert("current_password", "profile-password-wrong");
        }
    }
    if errors.is_empty() {
        let now = Utc::now();
        let changed = db::run(&state.pool, move |conn| {
            refused(profile::change_password(conn, &user, &hash, &input, now))
        })
        .await?;
        match changed {
            Ok(()) => {
                let session = page.session();
                session.renew();
                session.insert(SESSION_ISSUED_AT, issued_now())?;
                csrf::rotate(session)?;
                page.flash("profile-password-changed")?;
                return Ok(see_other("/profile"));
            }
            Err(refusal) => errors = refusal,
        }
    }
    let view = load(&state, &tenant, &me).await?;
    render(page, &view, &errors, StatusCode::UNPROCESSABLE_ENTITY)
}

/// "Download my data": a JSON file of everything Relais holds about the signed-in user.
pub async fn download(
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let (tid, uid) = (tenant.0.tenant_id(), me.0.user_id());
    let doc = db::run(&state.pool, move |conn| {
        gdpr::export(conn, tid, uid, Utc::now())
    })
    .await?;
    let body = serde_json::to_vec_pretty(&doc).map_err(AppError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"relais-my-data-{}-{uid}.json\"",
                tenant.0.slug
            ),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body))
}
