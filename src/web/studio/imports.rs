//! CSV imports: choose what to import, upload, then see every bad row or a summary;
//! when the file's columns are not all recognised, map them and import again.

use crate::web::forms::Clean;
use actix_multipart::form::tempfile::TempFile;
use actix_multipart::form::text::Text;
use actix_multipart::form::MultipartForm;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Serialize;

use super::super::auth::{CurrentTenant, CurrentUser};
use super::super::render::Page;
use crate::db;
use crate::domain::{Role, UploadId};
use crate::error::AppError;
use crate::services::imports::mapping::{self, Chosen};
use crate::services::imports::{ImportError, ImportFile, ImportKind, Refusal, Summary};
use crate::startup::AppState;

/// What the page documents for each kind of file.
#[derive(Serialize)]
struct KindDoc {
    kind: &'static str,
    required: &'static [&'static str],
    optional: &'static [&'static str],
}

/// Whether `role` may import files of `kind`.
fn may_import(role: Role, kind: ImportKind) -> bool {
    !kind.admin_only() || role.includes(Role::Admin)
}

fn render(
    mut page: Page,
    role: Role,
    kind: &str,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let docs: Vec<KindDoc> = ImportKind::ALL
        .iter()
        .filter(|k| may_import(role, **k))
        .map(|k| KindDoc {
            kind: k.as_str(),
            required: k.required_columns(),
            optional: k.optional_columns(),
        })
        .collect();
    page.insert("docs", &docs).insert("kind", kind);
    page.render_status("studio/imports.html", status)
}

pub async fn form(page: Page, me: CurrentUser) -> Result<HttpResponse, AppError> {
    render(page, me.0.role(), "partners", StatusCode::OK)
}

#[derive(MultipartForm)]
pub struct Upload {
    kind: Text<Clean>,
    #[multipart(limit = "20MB")]
    file: TempFile,
}

pub async fn upload(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    MultipartForm(upload): MultipartForm<Upload>,
) -> Result<HttpResponse, AppError> {
    let kind_name = upload.kind.into_inner().0;
    let Some(kind) = ImportKind::parse(&kind_name) else {
        return Err(AppError::BadRequest(format!(
            "unknown import kind {kind_name:?}"
        )));
    };
    let role = me.0.role();
    if !may_import(role, kind) {
        return Err(AppError::Forbidden);
    }
    let name = upload.file.file_name.clone().unwrap_or_default();
    let (tid, user) = (tenant.0.tenant_id(), me.0);
    let outcome = db::run(&state.pool, move |conn| {
        let bytes = std::fs::read(upload.file.file.path())
            .map_err(|e| AppError::internal(anyhow::anyhow!("reading the uploaded file: {e}")))?;
        let file = ImportFile {
            kind,
            name: &name,
            bytes: &bytes,
        };
        settled(mapping::upload(conn, tid, &user, &file))
    })
    .await?;
    show(page, role, kind, outcome)
}

/// The columns chosen for a kept file: saved, then the file is imported with them.
pub async fn map_columns(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<UploadId>,
    form: web::Form<Chosen>,
) -> Result<HttpResponse, AppError> {
    let (tid, role, user) = (tenant.0.tenant_id(), me.0.role(), me.0);
    let (id, chosen) = (path.into_inner(), form.into_inner());
    let outcome = db::run(&state.pool, move |conn| {
        settled(mapping::map_and_import(conn, tid, &user, id, &chosen))
    })
    .await?;
    let kind = match &outcome {
        Ok(summary) => summary.kind,
        Err(refusal) => refusal.kind,
    };
    show(page, role, kind.unwrap_or(ImportKind::Partners), outcome)
}

/// A summary, or a refusal to show on the form; failures are errors.
fn settled(result: Result<Summary, ImportError>) -> Result<Result<Summary, Refusal>, AppError> {
    match result {
        Ok(summary) => Ok(Ok(summary)),
        Err(ImportError::Refused(refusal)) => Ok(Err(refusal)),
        Err(ImportError::Failed(e)) => Err(AppError::from(e)),
    }
}

fn show(
    mut page: Page,
    role: Role,
    kind: ImportKind,
    outcome: Result<Summary, Refusal>,
) -> Result<HttpResponse, AppError> {
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
    render(page, role, kind.as_str(), status)
}
