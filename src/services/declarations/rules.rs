//! The tenant's declaration rules: read, and changed by an admin (audited).

use chrono::Utc;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::db::declarations::rules as rules_db;
use crate::domain::declarations::Rules;
use crate::domain::values::ErrorKey;
use crate::domain::TenantId;
use crate::services::audit::{self, Actor, Change};
use crate::services::{FieldErrors, ServiceError};

pub fn rules(conn: &mut PgConnection, tenant: TenantId) -> Result<Rules, ServiceError> {
    Ok(rules_db::find(conn, tenant)?)
}

/// The rules as typed in the settings form.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct RulesInput {
    pub window_days: String,
    pub max_quantity_per_line: String,
    /// A checkbox: present ("on") when ticked.
    pub auto_approve: Option<String>,
    pub auto_approve_max_points: String,
    pub max_declarations_per_day: String,
    pub stock_out_weeks: String,
    pub overstock_weeks: String,
}

impl RulesInput {
    pub fn of(r: &Rules) -> Self {
        RulesInput {
            window_days: r.window_days.to_string(),
            max_quantity_per_line: r.max_quantity_per_line.to_string(),
            auto_approve: r.auto_approve.then(|| "on".to_string()),
            auto_approve_max_points: r.auto_approve_max_points.to_string(),
            max_declarations_per_day: r.max_declarations_per_day.to_string(),
            stock_out_weeks: r.stock_out_weeks.to_string(),
            overstock_weeks: r.overstock_weeks.to_string(),
        }
    }
}

fn whole(input: &str, min: i64, max: i64) -> Result<i64, ErrorKey> {
    let s = input.trim();
    if s.is_empty() {
        return Err("error-required");
    }
    match s.parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err("error-number-range"),
    }
}

fn validate(input: &RulesInput) -> Result<Rules, FieldErrors> {
    let mut e = FieldErrors::new();
    let mut get = |name: &'static str, value: &str, min: i64, max: i64| {
        whole(value, min, max).map_err(|k| e.insert(name, k)).ok()
    };
    let window = get("window_days", &input.window_days, 1, 366);
    let cap = get(
        "max_quantity_per_line",
        &input.max_quantity_per_line,
        1,
        100_000,
    );
    let max_points = get(
        "auto_approve_max_points",
        &input.auto_approve_max_points,
        0,
        100_000_000,
    );
    let per_day = get(
        "max_declarations_per_day",
        &input.max_declarations_per_day,
        1,
        1000,
    );
    let stock_out = get("stock_out_weeks", &input.stock_out_weeks, 0, 52);
    let overstock = get("overstock_weeks", &input.overstock_weeks, 1, 520);
    if let (Some(low), Some(high)) = (stock_out, overstock) {
        if low >= high {
            e.insert("overstock_weeks", "error-overstock-below-stock-out");
        }
    }
    let narrow = |v: i64| i32::try_from(v).unwrap_or(i32::MAX);
    match (window, cap, max_points, per_day, stock_out, overstock) {
        (Some(w), Some(c), Some(m), Some(d), Some(s), Some(o)) if e.is_empty() => Ok(Rules {
            window_days: narrow(w),
            max_quantity_per_line: narrow(c),
            auto_approve: input.auto_approve.is_some(),
            auto_approve_max_points: m,
            max_declarations_per_day: narrow(d),
            stock_out_weeks: narrow(s),
            overstock_weeks: narrow(o),
        }),
        _ => Err(e),
    }
}

/// An admin changes the rules; the change is audited with before and after.
pub fn update_rules(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    input: &RulesInput,
) -> Result<Rules, ServiceError> {
    let rules = validate(input).map_err(ServiceError::Invalid)?;
    conn.transaction(|conn| {
        let before = rules_db::find(conn, tenant)?;
        if before == rules {
            return Ok(rules);
        }
        rules_db::save(conn, tenant, &rules, Utc::now())?;
        let change = Change::new("declaration.rules_updated", "tenant", Some(tenant.into()))
            .before(&before)
            .after(&rules);
        audit::record(conn, tenant, actor, change)?;
        Ok(rules)
    })
}
