//! The marketers' studio.

use actix_web::HttpResponse;

use super::render::Page;
use crate::error::AppError;

pub async fn home(page: Page) -> Result<HttpResponse, AppError> {
    page.render("studio/home.html")
}
