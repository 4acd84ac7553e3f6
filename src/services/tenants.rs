//! Tenants: creation by the operator, resolution from a request's host, the theme.

use chrono::Utc;
use diesel::prelude::*;

use super::accounts::{self, NewAccount};
use super::audit::{self, Actor};
use super::regional::{self, RegionalInput};
use super::{FieldErrors, ServiceError};
use crate::db::tenants::{self, NewTenant, Tenant, ThemeChanges};
use crate::db::users::User;
use crate::domain::contrast;
use crate::domain::{HexColor, Locale, Slug, TenantId, TenantName};

/// Largest logo accepted, in bytes.
pub const MAX_LOGO_BYTES: usize = 1024 * 1024;

pub struct NewTenantInput<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub domains: &'a [String],
    pub default_locale: Locale,
    /// Time zone, currency and point value (`RegionalInput::new("Europe/Paris", "EUR")`).
    pub regional: RegionalInput,
    pub admin: NewAccount<'a>,
}

/// Creates a tenant, its custom domains and its first admin, in one transaction.
pub fn create_tenant(
    conn: &mut PgConnection,
    input: &NewTenantInput,
) -> Result<(Tenant, User), ServiceError> {
    let mut errors = FieldErrors::new();
    let slug = Slug::parse(input.slug)
        .map_err(|e| errors.insert("slug", e))
        .ok();
    let name = TenantName::parse(input.name)
        .map_err(|e| errors.insert("name", e))
        .ok();
    let regional = regional::validate(&input.regional)
        .map_err(|e| errors.extend(e))
        .ok();
    let (Some(slug), Some(name), Some(regional)) = (slug, name, regional) else {
        return Err(ServiceError::Invalid(errors));
    };
    conn.transaction(|conn| {
        regional::check_zone_in_database(conn, &regional)?;
        if tenants::find_by_slug(conn, slug.as_str())?.is_some() {
            return Err(ServiceError::field("slug", "error-slug-taken"));
        }
        let tenant = tenants::insert(
            conn,
            &NewTenant {
                slug: slug.as_str(),
                name: name.as_str(),
                default_locale: input.default_locale.as_str(),
                primary_color: "#1f6f5c",
                accent_color: "#f2a541",
                time_zone: regional.zone.name(),
                currency: regional.currency.code,
                point_value_minor: regional.point_value_minor,
            },
        )?;
        for domain in input.domains {
            let domain = normalize_host(domain);
            if tenants::find_by_domain(conn, &domain)?.is_some() {
                return Err(ServiceError::field("domain", "error-domain-taken"));
            }
            tenants::add_domain(conn, tenant.tenant_id(), &domain)?;
        }
        let admin = accounts::create_user(conn, tenant.tenant_id(), &input.admin)?;
        Ok((tenant, admin))
    })
}

/// Lower-cases a host and strips its port.
pub fn normalize_host(host: &str) -> String {
    let host = host.trim().to_ascii_lowercase();
    match host.rsplit_once(':') {
        Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) && !name.contains(']') => {
            name.to_string()
        }
        _ => host,
    }
}

/// The tenant answering at `host`: a custom domain, else `{slug}.{base_domain}`.
pub fn resolve_host(
    conn: &mut PgConnection,
    host: &str,
    base_domain: &str,
) -> Result<Option<Tenant>, ServiceError> {
    let host = normalize_host(host);
    if let Some(tenant) = tenants::find_by_domain(conn, &host)? {
        return Ok(Some(tenant));
    }
    let suffix = format!(".{}", base_domain.to_ascii_lowercase());
    match host.strip_suffix(&suffix) {
        Some(slug) if !slug.is_empty() && !slug.contains('.') => {
            Ok(tenants::find_by_slug(conn, slug)?)
        }
        _ => Ok(None),
    }
}

pub struct ThemeInput<'a> {
    pub name: &'a str,
    pub primary_color: &'a str,
    pub accent_color: &'a str,
    pub default_locale: &'a str,
    /// A new logo, if one was uploaded.
    pub logo: Option<&'a [u8]>,
}

/// The content type of an accepted logo, judged by its bytes, never by its name.
pub fn check_logo(bytes: &[u8]) -> Result<&'static str, &'static str> {
    if bytes.len() > MAX_LOGO_BYTES {
        return Err("error-logo-too-large");
    }
    match infer::get(bytes).map(|t| t.mime_type()) {
        Some("image/png") => Ok("image/png"),
        Some("image/jpeg") => Ok("image/jpeg"),
        Some("image/webp") => Ok("image/webp"),
        _ => Err("error-logo-type"),
    }
}

/// Validates and saves the theme; nothing is saved unless every field is valid.
pub fn update_theme(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    input: &ThemeInput,
) -> Result<Tenant, ServiceError> {
    let mut errors = FieldErrors::new();
    let name = TenantName::parse(input.name)
        .map_err(|e| errors.insert("name", e))
        .ok();
    let primary = HexColor::parse(input.primary_color)
        .and_then(|c| contrast::readable_primary(&c).map(|()| c))
        .map_err(|e| errors.insert("primary_color", e))
        .ok();
    let accent = HexColor::parse(input.accent_color)
        .map_err(|e| errors.insert("accent_color", e))
        .ok();
    let locale = Locale::parse(input.default_locale).ok_or("error-locale-invalid");
    let locale = locale.map_err(|e| errors.insert("default_locale", e)).ok();
    let logo = match input.logo {
        Some(bytes) => check_logo(bytes)
            .map(|ct| Some((bytes, ct)))
            .map_err(|e| errors.insert("logo", e))
            .ok(),
        None => Some(None),
    };
    let (Some(name), Some(primary), Some(accent), Some(locale), Some(logo)) =
        (name, primary, accent, locale, logo)
    else {
        return Err(ServiceError::Invalid(errors));
    };
    let now = Utc::now();
    conn.transaction(|conn| {
        let before = tenants::find(conn, tenant)?;
        if let Some((bytes, content_type)) = logo {
            tenants::set_logo(conn, tenant, bytes, content_type, now)?;
        }
        let changes = ThemeChanges {
            name: name.as_str(),
            default_locale: locale.as_str(),
            primary_color: primary.as_str(),
            accent_color: accent.as_str(),
            updated_at: now,
        };
        let after = tenants::update_theme(conn, tenant, &changes)?;
        let change = audit::Change::new("theme.updated", "tenant", Some(tenant.into()))
            .before(&ThemeAudit::of(&before, None))
            .after(&ThemeAudit::of(&after, logo.map(|(_, ct)| ct)));
        audit::record(conn, tenant, actor, change)?;
        Ok(after)
    })
}

/// The audited view of a theme (the logo as "a new one was uploaded", not its bytes).
#[derive(serde::Serialize)]
struct ThemeAudit<'a> {
    name: &'a str,
    default_locale: &'a str,
    primary_color: &'a str,
    accent_color: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    new_logo: Option<&'a str>,
}

impl<'a> ThemeAudit<'a> {
    fn of(t: &'a Tenant, new_logo: Option<&'a str>) -> Self {
        ThemeAudit {
            name: &t.name,
            default_locale: &t.default_locale,
            primary_color: &t.primary_color,
            accent_color: &t.accent_color,
            new_logo,
        }
    }
}

/// The tenant's logo and its content type, if it has one.
pub fn logo(
    conn: &mut PgConnection,
    tenant: TenantId,
) -> Result<Option<(Vec<u8>, String)>, ServiceError> {
    Ok(crate::db::tenants::find_logo(conn, tenant)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_lose_their_port_and_case() {
        assert_eq!(
            normalize_host("Respire.LocalHost:8080"),
            "respire.localhost"
        );
        assert_eq!(normalize_host("shop.example.com"), "shop.example.com");
    }

    #[test]
    fn logos_are_judged_by_content() {
        assert_eq!(check_logo(b"\x89PNG\r\n\x1a\n0000IHDR"), Ok("image/png"));
        assert_eq!(check_logo(b"<svg onload=alert(1)>"), Err("error-logo-type"));
        assert_eq!(
            check_logo(b"just text, named logo.png"),
            Err("error-logo-type")
        );
        assert_eq!(
            check_logo(&vec![0u8; MAX_LOGO_BYTES + 1]),
            Err("error-logo-too-large")
        );
    }
}
