//! Page rendering: every template gets the tenant's branding, the user, the language,
//! the CSRF token and the flash message; handlers add their own values.

use std::future::{ready, Ready};

use actix_session::{Session, SessionExt};
use actix_web::http::StatusCode;
use actix_web::{web, FromRequest, HttpRequest, HttpResponse};
use serde::Serialize;
use tera::{Context, Tera};

use super::csrf;
use super::identify::{locale_of, tenant_of, user_of};
use crate::domain::{Currency, Locale, Role, Zone};
use crate::error::AppError;
use crate::startup::AppState;

const FLASH_KEY: &str = "flash";

#[derive(Serialize)]
struct LocaleChoice {
    code: &'static str,
    name: &'static str,
}

/// A page being prepared for the current request.
pub struct Page {
    tera: web::Data<AppState>,
    pub ctx: Context,
    pub locale: Locale,
    /// The tenant's time zone (UTC where no tenant is known): its "today".
    pub zone: Zone,
    session: Session,
}

/// The context every page shares. Used by handlers (through `Page`) and error pages.
pub fn base_context(
    req: &HttpRequest,
    locale: Locale,
    with_csrf: bool,
) -> Result<Context, AppError> {
    let session = req.get_session();
    let mut ctx = Context::new();
    let user = user_of(req);
    let role = user.as_ref().map(|u| u.role());
    let tenant = tenant_of(req);
    // The logo's URL changes with the theme, so browsers may cache it.
    let logo_url = tenant
        .as_ref()
        .filter(|t| t.has_logo())
        .map(|t| format!("/branding/logo?v={}", t.updated_at.timestamp()));
    ctx.insert("logo_url", &logo_url);
    ctx.insert("tenant", &tenant);
    // Every instant is shown in the tenant's zone (`when(tz=tz)`), every amount in its
    // currency (`money(cur=currency)`).
    let (zone, currency) = tenant
        .as_ref()
        .map_or((Zone::UTC, Currency::EUR), |t| (t.zone(), t.currency()));
    ctx.insert("tz", zone.name());
    ctx.insert("currency", currency.code);
    ctx.insert("user", &user);
    ctx.insert(
        "is_marketer",
        &role.is_some_and(|r| r.includes(Role::Marketer)),
    );
    ctx.insert("is_admin", &role.is_some_and(|r| r.includes(Role::Admin)));
    ctx.insert("lang", locale.as_str());
    let choices: Vec<LocaleChoice> = Locale::ALL
        .iter()
        .map(|l| LocaleChoice {
            code: l.as_str(),
            name: l.native_name(),
        })
        .collect();
    ctx.insert("locales", &choices);
    let path = match req.query_string() {
        "" => req.path().to_string(),
        q => format!("{}?{q}", req.path()),
    };
    ctx.insert("current_path", &path);
    let token = if with_csrf {
        Some(csrf::token(&session)?)
    } else {
        session.get::<String>("csrf")?
    };
    ctx.insert("csrf_token", &token.unwrap_or_default());
    Ok(ctx)
}

impl FromRequest for Page {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        ready((|| {
            let state = req
                .app_data::<web::Data<AppState>>()
                .cloned()
                .ok_or_else(|| AppError::internal(anyhow::anyhow!("no app state")))?;
            let locale = locale_of(req);
            let mut ctx = base_context(req, locale, true)?;
            let session = req.get_session();
            let flash: Option<String> = session.get(FLASH_KEY)?;
            if flash.is_some() {
                session.remove(FLASH_KEY);
            }
            ctx.insert("flash", &flash);
            let zone = tenant_of(req).map(|t| t.zone()).unwrap_or_default();
            Ok(Page {
                tera: state,
                ctx,
                locale,
                zone,
                session,
            })
        })())
    }
}

impl Page {
    /// The application's settings (limits shown on forms).
    pub fn settings(&self) -> &crate::config::Settings {
        &self.tera.settings
    }

    pub fn insert<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> &mut Self {
        self.ctx.insert(key, value);
        self
    }

    pub fn render(&self, template: &str) -> Result<HttpResponse, AppError> {
        self.render_status(template, StatusCode::OK)
    }

    /// Renders with a status, e.g. 422 for a form re-shown with its errors.
    pub fn render_status(
        &self,
        template: &str,
        status: StatusCode,
    ) -> Result<HttpResponse, AppError> {
        let html = render_html(&self.tera.templates, template, &self.ctx)?;
        Ok(HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .body(html))
    }

    /// Keeps a message (its translation key) for the next page shown, after a redirect.
    pub fn flash(&self, key: &str) -> Result<(), AppError> {
        self.session.insert(FLASH_KEY, key)?;
        Ok(())
    }

    pub fn session(&self) -> &Session {
        &self.session
    }

    /// A page that only reads: runs `read` (one service call) on a pooled connection and
    /// renders its value as `name` in `template`.
    pub async fn show<T, E>(
        mut self,
        name: &str,
        template: &str,
        read: impl FnOnce(&mut diesel::PgConnection) -> Result<T, E> + Send + 'static,
    ) -> Result<HttpResponse, AppError>
    where
        T: Serialize + Send + 'static,
        E: Into<AppError> + Send + 'static,
    {
        let value = crate::db::run(&self.tera.pool, read).await?;
        self.insert(name, &value);
        self.render(template)
    }
}

/// A NUL that came in with the input (a query string, a form) and is echoed back becomes
/// U+FFFD: HTML may not contain it, and this covers every page at once.
pub fn render_html(tera: &Tera, template: &str, ctx: &Context) -> Result<String, AppError> {
    let html = tera.render(template, ctx).map_err(|e| {
        // Tera's top-level message hides the cause; keep the whole chain for the log.
        let mut chain = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            chain.push_str(": ");
            chain.push_str(&s.to_string());
            source = s.source();
        }
        AppError::internal(anyhow::anyhow!("rendering {template}: {chain}"))
    })?;
    Ok(if html.contains('\0') {
        html.replace('\0', "\u{FFFD}")
    } else {
        html
    })
}
