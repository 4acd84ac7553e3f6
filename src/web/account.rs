//! Links from e-mails: accepting an invitation, resetting a password; and "forgot
//! password". Pages for anonymous visitors on the tenant's host.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::auth::CurrentTenant;
use super::render::Page;
use super::see_other;
use crate::db;
use crate::error::AppError;
use crate::services::invitations::{self, LinkProblem, UseLinkError, INVITATION, PASSWORD_RESET};
use crate::services::FieldErrors;
use crate::startup::AppState;

fn purpose_of(kind: &str) -> Result<&'static str, AppError> {
    match kind {
        "invitation" => Ok(INVITATION),
        "reset" => Ok(PASSWORD_RESET),
        _ => Err(AppError::NotFound),
    }
}

fn link_problem_page(page: &mut Page, problem: LinkProblem) -> Result<HttpResponse, AppError> {
    page.insert("problem", problem.message_key());
    let status = match problem {
        LinkProblem::Unknown => StatusCode::NOT_FOUND,
        _ => StatusCode::GONE,
    };
    page.render_status("account/link_problem.html", status)
}

/// The form to choose a password, if the link still works.
pub async fn link_form(
    mut page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (kind, token) = path.into_inner();
    let purpose = purpose_of(&kind)?;
    let tid = tenant.0.tenant_id();
    let t = token.clone();
    let checked = db::run(&state.pool, move |conn| {
        invitations::check_link(conn, tid, purpose, &t)
    })
    .await?;
    match checked {
        Ok(user) => {
            page.insert("kind", &kind)
                .insert("token", &token)
                .insert("invitee", &user.display_name)
                .insert("errors", &FieldErrors::new());
            page.render("account/set_password.html")
        }
        Err(problem) => link_problem_page(&mut page, problem),
    }
}

#[derive(Deserialize)]
pub struct SetPasswordForm {
    password: String,
    confirmation: String,
}

pub async fn link_submit(
    mut page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: web::Form<SetPasswordForm>,
) -> Result<HttpResponse, AppError> {
    let (kind, token) = path.into_inner();
    let purpose = purpose_of(&kind)?;
    let tid = tenant.0.tenant_id();
    let form = form.into_inner();
    let t = token.clone();
    let outcome = db::run(
        &state.pool,
        move |conn| match invitations::set_password_with_link(
            conn,
            tid,
            purpose,
            &t,
            &form.password,
            &form.confirmation,
        ) {
            Ok(user) => Ok(Ok(user)),
            Err(UseLinkError::Failed(e)) => Err(AppError::from(e)),
            Err(other) => Ok(Err(other)),
        },
    )
    .await?;
    match outcome {
        Ok(_) => {
            page.flash("account-password-set")?;
            Ok(see_other("/login"))
        }
        Err(UseLinkError::Link(problem)) => link_problem_page(&mut page, problem),
        Err(UseLinkError::Invalid(errors)) => {
            let invitee = "";
            page.insert("kind", &kind)
                .insert("token", &token)
                .insert("invitee", invitee)
                .insert("errors", &errors);
            page.render_status(
                "account/set_password.html",
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(UseLinkError::Failed(e)) => Err(e.into()),
    }
}

pub async fn forgot_form(mut page: Page) -> Result<HttpResponse, AppError> {
    page.insert("sent", &false);
    page.render("account/forgot.html")
}

#[derive(Deserialize)]
pub struct ForgotForm {
    email: String,
}

/// The same answer whether or not the address has an account.
pub async fn forgot_submit(
    mut page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    form: web::Form<ForgotForm>,
) -> Result<HttpResponse, AppError> {
    let tid = tenant.0.tenant_id();
    let email = form.into_inner().email;
    db::run(&state.pool, move |conn| {
        invitations::request_password_reset(conn, tid, &email)
    })
    .await?;
    page.insert("sent", &true);
    page.render("account/forgot.html")
}
