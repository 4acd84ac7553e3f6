//! A participant uploads their partner's sell-out as CSV: every bad row is listed, or
//! the declarations are recorded (rows already imported are skipped).

use actix_multipart::form::tempfile::TempFile;
use actix_multipart::form::MultipartForm;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::super::auth::{CurrentTenant, CurrentUser};
use super::super::render::Page;
use crate::db;
use crate::error::AppError;
use crate::services::imports::sell_out::{import_for_participant, OPTIONAL, REQUIRED};
use crate::services::imports::{ImportError, ImportFile, ImportKind, Silent};
use crate::startup::AppState;

fn render(mut page: Page, status: StatusCode) -> Result<HttpResponse, AppError> {
    page.insert("required", REQUIRED)
        .insert("optional", OPTIONAL);
    page.render_status("declarations/import.html", status)
}

pub async fn form(page: Page, me: CurrentUser) -> Result<HttpResponse, AppError> {
    if me.0.partner_id.is_none() {
        return page.render_status("declarations/no_partner.html", StatusCode::FORBIDDEN);
    }
    render(page, StatusCode::OK)
}

#[derive(MultipartForm)]
pub struct Upload {
    #[multipart(limit = "20MB")]
    file: TempFile,
}

pub async fn upload(
    mut page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    MultipartForm(upload): MultipartForm<Upload>,
) -> Result<HttpResponse, AppError> {
    if me.0.partner_id.is_none() {
        return page.render_status("declarations/no_partner.html", StatusCode::FORBIDDEN);
    }
    let name = upload.file.file_name.clone().unwrap_or_default();
    let (tid, user) = (tenant.0.tenant_id(), me.0);
    let outcome = db::run(&state.pool, move |conn| {
        let bytes = std::fs::read(upload.file.file.path())
            .map_err(|e| AppError::internal(anyhow::anyhow!("reading the uploaded file: {e}")))?;
        let file = ImportFile {
            kind: ImportKind::SellOut,
            name: &name,
            bytes: &bytes,
        };
        match import_for_participant(conn, tid, &user, &file, &Silent) {
            Ok(summary) => Ok(Ok(summary)),
            Err(ImportError::Refused(refusal)) => Ok(Err(refusal)),
            Err(ImportError::Failed(e)) => Err(AppError::from(e)),
        }
    })
    .await?;
    let status = match &outcome {
        Ok(summary) => {
            page.insert("summary", summary);
            StatusCode::OK
        }
        Err(refusal) => {
            page.insert("refusal", refusal);
            StatusCode::UNPROCESSABLE_ENTITY
        }
    };
    render(page, status)
}
