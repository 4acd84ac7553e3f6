//! The tenant's theme: name, colours, default language and logo, with a live preview.

use crate::web::forms::Clean;
use actix_multipart::form::tempfile::TempFile;
use actix_multipart::form::text::Text;
use actix_multipart::form::MultipartForm;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Serialize;

use super::super::auth::{CurrentTenant, CurrentUser};
use super::super::refused;
use super::super::render::Page;
use super::super::see_other;
use crate::db;
use crate::error::AppError;
use crate::services::audit::Actor;
use crate::services::{tenants, FieldErrors};
use crate::startup::AppState;

#[derive(Serialize, Default)]
struct ThemeValues {
    name: String,
    primary_color: String,
    accent_color: String,
    default_locale: String,
}

pub async fn form(mut page: Page, tenant: CurrentTenant) -> Result<HttpResponse, AppError> {
    let t = tenant.0;
    page.insert(
        "form",
        &ThemeValues {
            name: t.name.clone(),
            primary_color: t.primary_color.clone(),
            accent_color: t.accent_color.clone(),
            default_locale: t.default_locale.clone(),
        },
    );
    page.insert("errors", &FieldErrors::new());
    page.render("admin/theme.html")
}

#[derive(MultipartForm)]
pub struct ThemeUpload {
    name: Text<Clean>,
    primary_color: Text<Clean>,
    accent_color: Text<Clean>,
    default_locale: Text<Clean>,
    #[multipart(limit = "5MB")]
    logo: Option<TempFile>,
}

pub async fn save(
    mut page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    MultipartForm(upload): MultipartForm<ThemeUpload>,
) -> Result<HttpResponse, AppError> {
    let values = ThemeValues {
        name: upload.name.into_inner().0,
        primary_color: upload.primary_color.into_inner().0,
        accent_color: upload.accent_color.into_inner().0,
        default_locale: upload.default_locale.into_inner().0,
    };
    // An empty file input still sends a part: treat it as "keep the current logo".
    let logo_file = upload.logo.filter(|f| f.size > 0);
    let tenant_id = tenant.0.tenant_id();
    let actor = Actor::user(&me.0);
    let input = (
        values.name.clone(),
        values.primary_color.clone(),
        values.accent_color.clone(),
        values.default_locale.clone(),
    );
    let result = db::run(&state.pool, move |conn| {
        let logo = logo_file
            .map(|f| std::fs::read(f.file.path()))
            .transpose()
            .map_err(|e| AppError::internal(anyhow::anyhow!("reading uploaded logo: {e}")))?;
        let theme = tenants::ThemeInput {
            name: &input.0,
            primary_color: &input.1,
            accent_color: &input.2,
            default_locale: &input.3,
            logo: logo.as_deref(),
        };
        refused(tenants::update_theme(conn, tenant_id, &actor, &theme).map(|_| ()))
    })
    .await?;
    match result {
        Ok(()) => {
            page.flash("theme-saved")?;
            Ok(see_other("/admin/theme"))
        }
        Err(errors) => {
            page.insert("form", &values);
            page.insert("errors", &errors);
            page.render_status("admin/theme.html", StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}
