//! Development only: the e-mails the file transport wrote, newest first. Not routed in
//! other environments.

use actix_web::{web, HttpResponse};
use serde::Serialize;

use super::auth::CurrentTenant;
use super::render::Page;
use crate::error::AppError;
use crate::startup::AppState;

#[derive(Serialize)]
struct MailFile {
    name: String,
    content: String,
}

pub async fn mail(
    mut page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    // Only this tenant's e-mails: they carry its users' reset links.
    let root = state.settings.root.join(&state.settings.email.file_dir);
    let dir = crate::email::tenant_mail_dir(&root, tenant.0.id);
    let files = web::block(move || -> std::io::Result<Vec<MailFile>> {
        let mut entries: Vec<_> = match std::fs::read_dir(&dir) {
            Ok(rd) => rd.filter_map(Result::ok).collect(),
            Err(_) => return Ok(vec![]),
        };
        entries.sort_by_key(|e| std::cmp::Reverse(e.metadata().and_then(|m| m.modified()).ok()));
        entries
            .into_iter()
            .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
            .take(50)
            .map(|e| {
                Ok(MailFile {
                    name: e.file_name().to_string_lossy().into_owned(),
                    content: std::fs::read_to_string(e.path())?,
                })
            })
            .collect()
    })
    .await
    .map_err(AppError::internal)?
    .map_err(AppError::internal)?;
    page.insert("files", &files);
    page.render("dev/mail.html")
}
