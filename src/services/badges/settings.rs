//! The tenant's badges as the built-in rules with its changes applied; the studio's
//! edits (audited) and the participant's views.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use serde_json::json;

use crate::db::badges::{self as rows, BadgeAward, BadgeSettings};
use crate::domain::badges::{BadgeRule, DEFAULT_STREAK_WEEKS, MAX_BADGE_POINTS, STREAK_WEEKS};
use crate::domain::{TenantId, UserId};
use crate::services::audit::{self, Actor, Change};
use crate::services::{FieldErrors, ServiceError};

/// A badge as the tenant has it. `name` and `description` are empty where the tenant
/// kept the catalog's (`badge-<key>-name`, `badge-<key>-rule`), shown in the reader's
/// language.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Badge {
    pub rule: BadgeRule,
    /// The rule with dashes, for the catalog keys.
    pub key: String,
    pub name: String,
    pub description: String,
    pub points: i64,
    pub active: bool,
    pub streak_weeks: i32,
    pub has_image: bool,
    /// Changes the image's URL when the image changes (browsers may cache it).
    pub version: i64,
}

impl Badge {
    fn built_in(rule: BadgeRule) -> Badge {
        Badge {
            rule,
            key: rule.key(),
            name: String::new(),
            description: String::new(),
            points: 0,
            active: true,
            streak_weeks: DEFAULT_STREAK_WEEKS,
            has_image: false,
            version: 0,
        }
    }

    fn with(rule: BadgeRule, s: &BadgeSettings) -> Badge {
        Badge {
            name: s.name.clone(),
            description: s.description.clone(),
            points: s.points,
            active: s.active,
            streak_weeks: s.streak_weeks,
            has_image: s.image_key.is_some(),
            version: s.updated_at.timestamp(),
            ..Badge::built_in(rule)
        }
    }
}

/// Every badge of the tenant, in the rules' order.
pub fn catalog(conn: &mut PgConnection, tenant: TenantId) -> QueryResult<Vec<Badge>> {
    let changed: BTreeMap<String, BadgeSettings> = rows::settings(conn, tenant)?
        .into_iter()
        .map(|s| (s.rule.clone(), s))
        .collect();
    Ok(BadgeRule::ALL
        .iter()
        .map(|r| match changed.get(r.as_str()) {
            Some(s) => Badge::with(*r, s),
            None => Badge::built_in(*r),
        })
        .collect())
}

/// A badge on a participant's page: earned (when, and the points it brought) or not.
#[derive(Debug, Clone, Serialize)]
pub struct BadgeCard {
    pub badge: Badge,
    pub earned_at: Option<DateTime<Utc>>,
    pub points: i64,
}

/// The participant's `/badges` page: earned first (latest first), then the active ones
/// still to earn, each with its rule explained.
#[derive(Debug, Clone, Serialize)]
pub struct BadgesPage {
    pub earned: Vec<BadgeCard>,
    pub locked: Vec<BadgeCard>,
}

fn card(badges: &[Badge], a: &BadgeAward) -> Option<BadgeCard> {
    let rule = BadgeRule::parse(&a.badge)?;
    let badge = badges.iter().find(|b| b.rule == rule)?.clone();
    Some(BadgeCard {
        badge,
        earned_at: Some(a.awarded_at),
        points: a.points,
    })
}

pub fn page_for(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
) -> QueryResult<BadgesPage> {
    let badges = catalog(conn, tenant)?;
    let awards = rows::awards_of(conn, tenant, user, BadgeRule::ALL.len() as i64)?;
    let earned: Vec<BadgeCard> = awards.iter().filter_map(|a| card(&badges, a)).collect();
    let locked = badges
        .iter()
        .filter(|b| b.active && !earned.iter().any(|e| e.badge.rule == b.rule))
        .map(|b| BadgeCard {
            badge: b.clone(),
            earned_at: None,
            points: b.points,
        })
        .collect();
    Ok(BadgesPage { earned, locked })
}

/// The participant's latest badges, for the home page (serializable).
pub fn recent_for(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    limit: i64,
) -> QueryResult<Vec<BadgeCard>> {
    let badges = catalog(conn, tenant)?;
    let awards = rows::awards_of(conn, tenant, user, limit.clamp(0, 50))?;
    Ok(awards.iter().filter_map(|a| card(&badges, a)).collect())
}

/// What the studio's form sends (already trimmed).
#[derive(Debug, Clone, Default)]
pub struct BadgeInput {
    pub name: String,
    pub description: String,
    pub points: String,
    pub active: bool,
    pub streak_weeks: String,
}

fn parse(input: &BadgeInput, rule: BadgeRule) -> Result<(i64, i32), FieldErrors> {
    let mut errors = FieldErrors::new();
    if input.name.chars().count() > 80 {
        errors.insert("name", "error-badge-name-length");
    }
    if input.description.chars().count() > 500 {
        errors.insert("description", "error-badge-description-length");
    }
    let points = match input.points.trim() {
        "" => 0,
        p => p.parse::<i64>().unwrap_or(-1),
    };
    if !(0..=MAX_BADGE_POINTS).contains(&points) {
        errors.insert("points", "error-badge-points");
    }
    let weeks = if rule == BadgeRule::StreakWeeks {
        let w = input.streak_weeks.trim().parse::<i32>().unwrap_or(0);
        if !STREAK_WEEKS.contains(&w) {
            errors.insert("streak_weeks", "error-badge-weeks");
        }
        w
    } else {
        DEFAULT_STREAK_WEEKS
    };
    if errors.is_empty() {
        Ok((points, weeks))
    } else {
        Err(errors)
    }
}

fn current(
    conn: &mut PgConnection,
    tenant: TenantId,
    rule: BadgeRule,
    now: DateTime<Utc>,
) -> QueryResult<BadgeSettings> {
    Ok(
        rows::settings_of(conn, tenant, rule.as_str())?.unwrap_or(BadgeSettings {
            tenant_id: tenant,
            rule: rule.as_str().to_string(),
            name: String::new(),
            description: String::new(),
            image_key: None,
            image_content_type: None,
            points: 0,
            active: true,
            streak_weeks: DEFAULT_STREAK_WEEKS,
            updated_at: now,
        }),
    )
}

fn audited(
    conn: &mut PgConnection,
    actor: &Actor,
    before: &BadgeSettings,
    after: &BadgeSettings,
) -> Result<(), ServiceError> {
    let view = |s: &BadgeSettings| {
        json!({ "name": s.name, "description": s.description, "points": s.points,
                "active": s.active, "streak_weeks": s.streak_weeks,
                "image": s.image_key.is_some() })
    };
    let change = Change::new("badge.updated", "badge", None)
        .before(&json!({ "rule": before.rule, "badge": view(before) }))
        .after(&json!({ "rule": after.rule, "badge": view(after) }));
    audit::record(conn, after.tenant_id, actor, change)?;
    Ok(())
}

/// Saves a badge's name, description, points, switch and streak length (audited).
pub fn update(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    rule: BadgeRule,
    input: &BadgeInput,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let (points, streak_weeks) = parse(input, rule).map_err(ServiceError::Invalid)?;
    conn.transaction(|conn| {
        let before = current(conn, tenant, rule, now)?;
        let after = BadgeSettings {
            name: input.name.trim().to_string(),
            description: input.description.trim().to_string(),
            points,
            active: input.active,
            streak_weeks,
            updated_at: now,
            ..before.clone()
        };
        rows::upsert(conn, &after)?;
        audited(conn, actor, &before, &after)
    })
}

/// Sets (or with `None` removes) a badge's image, already checked and stored; the key
/// it replaced, to delete once committed.
pub fn set_image(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    rule: BadgeRule,
    image: Option<(&str, &str)>,
    now: DateTime<Utc>,
) -> Result<Option<String>, ServiceError> {
    conn.transaction(|conn| {
        let before = current(conn, tenant, rule, now)?;
        let after = BadgeSettings {
            image_key: image.map(|(k, _)| k.to_string()),
            image_content_type: image.map(|(_, c)| c.to_string()),
            updated_at: now,
            ..before.clone()
        };
        rows::upsert(conn, &after)?;
        audited(conn, actor, &before, &after)?;
        Ok(before
            .image_key
            .filter(|old| Some(old.as_str()) != image.map(|i| i.0)))
    })
}

/// A badge's image (storage key and type), to anyone of the tenant.
pub fn image_of(
    conn: &mut PgConnection,
    tenant: TenantId,
    rule: BadgeRule,
) -> Result<(String, String), ServiceError> {
    let s = rows::settings_of(conn, tenant, rule.as_str())?.ok_or(ServiceError::NotFound)?;
    match (s.image_key, s.image_content_type) {
        (Some(k), Some(c)) => Ok((k, c)),
        _ => Err(ServiceError::NotFound),
    }
}
