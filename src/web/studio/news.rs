//! The studio's news: list, write, edit (one multipart form with the optional image,
//! checked by content and resized as reward images are).

use crate::domain::values::echoable;
use actix_multipart::form::tempfile::TempFile;
use actix_multipart::form::text::Text;
use actix_multipart::form::MultipartForm;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::Utc;

use super::super::auth::{CurrentTenant, CurrentUser};
use super::super::forms::{text, Clean};
use super::super::render::Page;
use super::super::{refused, see_other, PageNo};
use super::PAGE_SIZE;
use crate::db;
use crate::domain::ids::NewsPostId;
use crate::domain::missions::MediaRole;
use crate::domain::news::NewsInput;
use crate::error::AppError;
use crate::services::audit::Actor;
use crate::services::missions::media;
use crate::services::news::studio::{self, ImageChange, Submitted};
use crate::services::rewards::catalog::resize_image;
use crate::services::FieldErrors;
use crate::startup::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/news", web::get().to(list))
        .route("/news", web::post().to(create))
        .route("/news/new", web::get().to(new_form))
        .route("/news/{id}", web::get().to(edit_form))
        .route("/news/{id}", web::post().to(update));
}

pub async fn list(
    page: Page,
    tenant: CurrentTenant,
    page_no: web::Query<PageNo>,
) -> Result<HttpResponse, AppError> {
    let (tid, n) = (tenant.0.tenant_id(), page_no.number());
    page.show("listing", "studio/news.html", move |conn| {
        studio::list(conn, tid, n, PAGE_SIZE, Utc::now())
    })
    .await
}

/// The form page, with what was typed (if refused) and the errors.
async fn form_page(
    mut page: Page,
    state: &web::Data<AppState>,
    tenant: &CurrentTenant,
    id: Option<NewsPostId>,
    typed: Option<(NewsInput, Vec<String>)>,
    errors: &FieldErrors,
) -> Result<HttpResponse, AppError> {
    let tid = tenant.0.tenant_id();
    let mut form = db::run(&state.pool, move |conn| {
        studio::form(conn, tid, id, Utc::now())
    })
    .await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    if let Some((input, segments)) = typed {
        // Shown back as typed, minus what HTML cannot hold: control characters (a
        // textarea keeps its line breaks) and a date field's unreadable value.
        let date = |d: &str| {
            if chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok() {
                d.to_string()
            } else {
                String::new()
            }
        };
        form.input = NewsInput {
            title: echoable(&input.title),
            body: input
                .body
                .chars()
                .map(|c| {
                    if c.is_control() && !matches!(c, '\n' | '\r' | '\t') {
                        '\u{FFFD}'
                    } else {
                        c
                    }
                })
                .collect(),
            publish_on: date(&input.publish_on),
            end_on: date(&input.end_on),
        };
        for s in &mut form.segments {
            s.2 = segments.contains(&s.0.to_string());
        }
    }
    page.insert("form", &form).insert("errors", errors);
    page.render_status("studio/news_form.html", status)
}

pub async fn new_form(
    page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    form_page(page, &state, &tenant, None, None, &FieldErrors::new()).await
}

pub async fn edit_form(
    page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    path: web::Path<NewsPostId>,
) -> Result<HttpResponse, AppError> {
    let id = Some(path.into_inner());
    form_page(page, &state, &tenant, id, None, &FieldErrors::new()).await
}

#[derive(MultipartForm)]
pub struct NewsForm {
    title: Option<Text<Clean>>,
    body: Option<Text<Clean>>,
    publish_on: Option<Text<Clean>>,
    end_on: Option<Text<Clean>>,
    segments: Vec<Text<Clean>>,
    remove_image: Option<Text<Clean>>,
    /// Images up to the configured limit (10 MB by default); the check says more.
    #[multipart(limit = "16MB")]
    image: Option<TempFile>,
}

pub async fn create(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    form: MultipartForm<NewsForm>,
) -> Result<HttpResponse, AppError> {
    save(page, tenant, me, state, None, form.into_inner()).await
}

pub async fn update(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<NewsPostId>,
    form: MultipartForm<NewsForm>,
) -> Result<HttpResponse, AppError> {
    let id = Some(path.into_inner());
    save(page, tenant, me, state, id, form.into_inner()).await
}

/// Checks and stores an uploaded image (none: `Ok(None)`), or the error key for it.
async fn store_image(
    state: &web::Data<AppState>,
    tenant: &CurrentTenant,
    file: Option<TempFile>,
) -> Result<Result<Option<String>, &'static str>, AppError> {
    let Some(file) = file.filter(|f| f.size > 0) else {
        return Ok(Ok(None));
    };
    let bytes = std::fs::read(file.file.path())
        .map_err(|e| AppError::internal(anyhow::anyhow!("reading an upload: {e}")))?;
    let max_image = state.settings.storage.max_image_mb << 20;
    let checked = web::block(move || {
        media::check(MediaRole::Cover, bytes, max_image, 0).and_then(|f| resize_image(&f.bytes))
    })
    .await
    .map_err(|e| AppError::internal(anyhow::anyhow!("checking an upload: {e}")))?;
    match checked {
        Ok(jpeg) => {
            let key = state
                .storage
                .put(tenant.0.tenant_id(), "jpg", jpeg)
                .await
                .map_err(AppError::internal)?;
            Ok(Ok(Some(key)))
        }
        Err(e) => Ok(Err(e)),
    }
}

async fn save(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    id: Option<NewsPostId>,
    form: NewsForm,
) -> Result<HttpResponse, AppError> {
    let input = NewsInput {
        title: text(form.title),
        body: text(form.body),
        publish_on: text(form.publish_on),
        end_on: text(form.end_on),
    };
    let segments: Vec<String> = form
        .segments
        .into_iter()
        .map(|t| t.into_inner().0)
        .collect();
    let remove = !text(form.remove_image).is_empty();
    let stored = match store_image(&state, &tenant, form.image).await? {
        Ok(stored) => stored,
        Err(key) => {
            let errors = FieldErrors::from([("image", key)]);
            let typed = Some((input, segments));
            return form_page(page, &state, &tenant, id, typed, &errors).await;
        }
    };
    let image = match (&stored, remove) {
        (Some(key), _) => ImageChange::Set(key.clone()),
        (None, true) => ImageChange::Remove,
        (None, false) => ImageChange::Keep,
    };
    let (tid, actor) = (tenant.0.tenant_id(), Actor::user(&me.0));
    let (typed_input, typed_segments) = (input.clone(), segments.clone());
    let saved = db::run(&state.pool, move |conn| {
        let submitted = Submitted {
            input: &typed_input,
            segments: &typed_segments,
            image,
        };
        refused(studio::save(conn, tid, &actor, id, submitted, Utc::now()))
    })
    .await;
    let outcome = match saved {
        Ok(o) => o,
        Err(e) => {
            if let Some(key) = &stored {
                let _ = state.storage.delete(key).await;
            }
            return Err(e.into());
        }
    };
    match outcome {
        Ok((post, unused)) => {
            if let Some(old) = unused {
                if let Err(e) = state.storage.delete(&old).await {
                    tracing::warn!(error = %e, "could not delete a replaced news image");
                }
            }
            page.flash("studio-news-saved")?;
            Ok(see_other(&format!("/studio/news/{}", post.id)))
        }
        Err(errors) => {
            if let Some(key) = &stored {
                let _ = state.storage.delete(key).await;
            }
            form_page(page, &state, &tenant, id, Some((input, segments)), &errors).await
        }
    }
}
