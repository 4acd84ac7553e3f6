//! The declaration form: lines with a product picker, a points preview (a submit button
//! without JavaScript, live with it), proofs, and the declaration itself.

use crate::web::forms::{text, Clean};
use actix_multipart::form::tempfile::TempFile;
use actix_multipart::form::text::Text;
use actix_multipart::form::MultipartForm;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::{Duration, Utc};
use serde::Serialize;

use super::super::auth::{CurrentTenant, CurrentUser};
use super::super::render::Page;
use super::super::see_other;
use crate::db;
use crate::db::products::Product;
use crate::domain::declarations::{Channel, CustomerType, Rules};
use crate::domain::DeclarationId;
use crate::error::AppError;
use crate::services::declarations::{
    self as service, DeclarationError, DeclarationErrors, DeclarationInput, LineInput, Preview,
    MAX_LINES,
};
use crate::services::FieldErrors;
use crate::startup::AppState;

/// Rows shown on a new form (a phone screen shows them without scrolling far).
const BLANK_LINES: usize = 2;

#[derive(Serialize)]
struct LineRow {
    input: LineInput,
    errors: FieldErrors,
    product_name: Option<String>,
    price: Option<i64>,
    points: Option<i64>,
}

/// Everything the form template needs besides the page's basics.
struct FormState<'a> {
    input: &'a DeclarationInput,
    errors: &'a DeclarationErrors,
    preview: Option<&'a Preview>,
    products: &'a [Product],
    rules: &'a Rules,
    /// Files were sent with a form shown again: browsers cannot keep them.
    reattach: bool,
}

fn render(mut page: Page, s: FormState, status: StatusCode) -> Result<HttpResponse, AppError> {
    let today = page.zone.today(Utc::now());
    let rows: Vec<LineRow> = s
        .input
        .lines
        .iter()
        .enumerate()
        .map(|(i, line)| LineRow {
            input: line.clone(),
            errors: s.errors.lines.get(i).cloned().unwrap_or_default(),
            product_name: s
                .preview
                .and_then(|p| p.line_products.get(i).cloned().flatten()),
            price: s
                .preview
                .and_then(|p| p.line_prices.get(i).copied().flatten()),
            points: s
                .preview
                .and_then(|p| p.line_points.get(i).copied().flatten()),
        })
        .collect();
    page.insert("form", s.input)
        .insert("rows", &rows)
        .insert("errors", &s.errors.fields)
        .insert("preview", &s.preview)
        .insert("products", s.products)
        .insert("rules", s.rules)
        .insert("reattach", &s.reattach)
        .insert("refused", &(status == StatusCode::UNPROCESSABLE_ENTITY))
        .insert("today", &today.to_string())
        .insert(
            "earliest",
            &(today - Duration::days(s.rules.window_days.into())).to_string(),
        )
        .insert(
            "channels",
            &Channel::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
        )
        .insert(
            "customer_types",
            &CustomerType::ALL
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>(),
        );
    page.render_status("declarations/form.html", status)
}

pub async fn new_form(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    if me.0.partner_id.is_none() {
        return page.render_status("declarations/no_partner.html", StatusCode::FORBIDDEN);
    }
    let tid = tenant.0.tenant_id();
    let (products, rules) = db::run(&state.pool, move |conn| {
        Ok::<_, AppError>((
            service::form_products(conn, tid)?,
            service::rules(conn, tid)?,
        ))
    })
    .await?;
    let input = DeclarationInput {
        sale_date: page.zone.today(Utc::now()).to_string(),
        channel: Channel::InStore.as_str().into(),
        lines: vec![LineInput::default(); BLANK_LINES],
        form_token: crate::services::once::new_token(),
        ..DeclarationInput::default()
    };
    let state = FormState {
        input: &input,
        errors: &DeclarationErrors::default(),
        preview: None,
        products: &products,
        rules: &rules,
        reattach: false,
    };
    render(page, state, StatusCode::OK)
}

#[derive(MultipartForm)]
pub struct DeclarationUpload {
    sale_date: Option<Text<Clean>>,
    channel: Option<Text<Clean>>,
    invoice_ref: Option<Text<Clean>>,
    line_product: Vec<Text<Clean>>,
    line_quantity: Vec<Text<Clean>>,
    line_unit_price: Vec<Text<Clean>>,
    customer_type: Option<Text<Clean>>,
    feedback: Option<Text<Clean>>,
    form_token: Option<Text<Clean>>,
    /// Files above the 10 MB rule are refused by the service with a message; far larger
    /// ones by this limit.
    #[multipart(limit = "24MB")]
    proofs: Vec<TempFile>,
    action: Option<Text<Clean>>,
}

impl DeclarationUpload {
    /// The typed values, and the files that were actually chosen.
    fn split(self) -> (DeclarationInput, Vec<TempFile>, String) {
        let n = self
            .line_product
            .len()
            .max(self.line_quantity.len())
            .max(self.line_unit_price.len());
        let cell =
            |v: &[Text<Clean>], i: usize| v.get(i).map(|t| t.0 .0.clone()).unwrap_or_default();
        let lines = (0..n)
            .map(|i| LineInput {
                product: cell(&self.line_product, i),
                quantity: cell(&self.line_quantity, i),
                unit_price: cell(&self.line_unit_price, i),
            })
            .collect();
        let input = DeclarationInput {
            sale_date: text(self.sale_date),
            channel: text(self.channel),
            invoice_ref: text(self.invoice_ref),
            lines,
            customer_type: text(self.customer_type),
            feedback: text(self.feedback),
            form_token: text(self.form_token),
        };
        // An empty file input still sends a part.
        let files = self.proofs.into_iter().filter(|f| f.size > 0).collect();
        (input, files, text(self.action))
    }
}

enum Outcome {
    Declared(DeclarationId, bool),
    Shown(Box<Preview>, DeclarationErrors, StatusCode),
}

/// Previews (the `preview` and `add_line` buttons) or declares (`submit`).
pub async fn submit(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    MultipartForm(upload): MultipartForm<DeclarationUpload>,
) -> Result<HttpResponse, AppError> {
    let (mut input, files, action) = upload.split();
    // The form never has more rows: the extra ones are dropped before anything is looked
    // up, and the form comes back with the first ones and a message.
    let too_many = input.lines.len() > MAX_LINES;
    input.lines.truncate(MAX_LINES);
    let reattach = !files.is_empty();
    if action == "add_line" && input.lines.len() < MAX_LINES {
        input.lines.push(LineInput::default());
    }
    let (tid, user, typed) = (tenant.0.tenant_id(), me.0, input.clone());
    let declaring = action == "submit" && !too_many;
    let (outcome, products, rules) = db::run(&state.pool, move |conn| {
        let now = Utc::now();
        let outcome = if declaring {
            let uploads = super::super::forms::uploads(files)?;
            match service::declare(conn, tid, &user, &typed, uploads, now) {
                Ok(d) => Outcome::Declared(d.declaration.id, d.auto_approved),
                Err(DeclarationError::Invalid(errors)) => {
                    let preview = service::preview(conn, tid, &user, &typed, now)?;
                    Outcome::Shown(Box::new(preview), *errors, StatusCode::UNPROCESSABLE_ENTITY)
                }
                Err(e) => return Err(AppError::from(e)),
            }
        } else {
            let mut preview = service::preview(conn, tid, &user, &typed, now)?;
            // A preview shows what the lines are worth; the other fields are judged
            // when the declaration is sent.
            let errors = DeclarationErrors {
                fields: FieldErrors::new(),
                lines: std::mem::take(&mut preview.errors.lines),
            };
            Outcome::Shown(Box::new(preview), errors, StatusCode::OK)
        };
        Ok((
            outcome,
            service::form_products(conn, tid)?,
            service::rules(conn, tid)?,
        ))
    })
    .await?;
    match outcome {
        Outcome::Declared(id, auto) => {
            page.flash(if auto {
                "declarations-sent-approved"
            } else {
                "declarations-sent"
            })?;
            Ok(see_other(&format!("/declarations/{id}")))
        }
        Outcome::Shown(preview, mut errors, mut status) => {
            if too_many {
                errors.fields.insert("lines", "error-lines-too-many");
                status = StatusCode::UNPROCESSABLE_ENTITY;
            }
            let state = FormState {
                input: &input,
                errors: &errors,
                preview: Some(&preview),
                products: &products,
                rules: &rules,
                reattach,
            };
            render(page, state, status)
        }
    }
}
