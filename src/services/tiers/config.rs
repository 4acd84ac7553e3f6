//! The tenant's tiers and window, as the studio's form shows and saves them.

use std::collections::BTreeMap;

use chrono::Utc;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::recompute;
use crate::db::tiers as rows;
use crate::domain::tiers::{parse_tiers, Tier, TierRowInput, TierWindow, MAX_TIERS};
use crate::domain::TenantId;
use crate::services::audit::{self, Actor, Change};
use crate::services::{FieldErrors, ServiceError};

/// The form's field names, row by row: name, threshold, multiplier.
pub const ROW_FIELDS: [[&str; 3]; MAX_TIERS] = [
    ["name_1", "threshold_1", "multiplier_1"],
    ["name_2", "threshold_2", "multiplier_2"],
    ["name_3", "threshold_3", "multiplier_3"],
    ["name_4", "threshold_4", "multiplier_4"],
    ["name_5", "threshold_5", "multiplier_5"],
    ["name_6", "threshold_6", "multiplier_6"],
];

#[derive(Debug, Clone, Serialize)]
pub struct TierSettings {
    pub window: TierWindow,
    pub tiers: Vec<Tier>,
}

pub fn settings(conn: &mut PgConnection, tenant: TenantId) -> Result<TierSettings, ServiceError> {
    Ok(TierSettings {
        window: rows::window(conn, tenant)?,
        tiers: rows::list(conn, tenant)?,
    })
}

/// The form as typed: `window` and the `ROW_FIELDS` of up to six rows (each present,
/// empty when not sent, so that the page can show every one).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, from = "SentTiers")]
pub struct TiersInput {
    pub window: String,
    #[serde(flatten)]
    pub fields: BTreeMap<String, String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SentTiers {
    window: String,
    #[serde(flatten)]
    fields: BTreeMap<String, String>,
}

impl From<SentTiers> for TiersInput {
    fn from(sent: SentTiers) -> Self {
        let fields = ROW_FIELDS
            .iter()
            .flatten()
            .map(|f| {
                let v = sent.fields.get(*f).cloned().unwrap_or_default();
                (f.to_string(), v)
            })
            .collect();
        TiersInput {
            window: sent.window,
            fields,
        }
    }
}

impl TiersInput {
    pub fn of(s: &TierSettings) -> Self {
        let mut fields: BTreeMap<String, String> = ROW_FIELDS
            .iter()
            .flatten()
            .map(|f| (f.to_string(), String::new()))
            .collect();
        for (t, names) in s.tiers.iter().zip(ROW_FIELDS.iter()) {
            fields.insert(names[0].to_string(), t.name.clone());
            fields.insert(names[1].to_string(), t.threshold.to_string());
            fields.insert(names[2].to_string(), t.multiplier_text());
        }
        TiersInput {
            window: s.window.as_str().to_string(),
            fields,
        }
    }

    fn get(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", String::as_str)
    }
}

/// Checks and saves the tiers and window (audited), then recomputes every participant's
/// tier at once (e-mailing those whose tier changed). A tier that a reward requires
/// cannot be removed.
pub fn save_settings(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    input: &TiersInput,
) -> Result<TierSettings, ServiceError> {
    let mut errors = FieldErrors::new();
    let window = TierWindow::parse(&input.window);
    if window.is_none() {
        errors.insert("window", "error-tier-window");
    }
    let typed: Vec<TierRowInput> = ROW_FIELDS
        .iter()
        .map(|[n, t, m]| TierRowInput {
            name: input.get(n),
            threshold: input.get(t),
            multiplier: input.get(m),
        })
        .collect();
    let tiers = match parse_tiers(&typed) {
        Ok(tiers) => Some(tiers),
        Err(problems) => {
            for (row, field, key) in problems {
                errors.entry(ROW_FIELDS[row][field]).or_insert(key);
            }
            None
        }
    };
    let (Some(window), Some(tiers)) = (window, tiers) else {
        return Err(ServiceError::Invalid(errors));
    };
    conn.transaction(|conn| {
        let before = settings(conn, tenant)?;
        let required = rows::highest_required_rank(conn, tenant)?;
        if usize::from(required.unsigned_abs()) > tiers.len() {
            return Err(ServiceError::field(
                "tiers",
                "error-tier-required-by-reward",
            ));
        }
        if before.window == window && before.tiers == tiers {
            return Ok(before);
        }
        let now = Utc::now();
        rows::save(conn, tenant, &tiers, window, now)?;
        let after = TierSettings { window, tiers };
        let change = Change::new("tiers.updated", "tenant", Some(tenant.0))
            .before(&json!(before))
            .after(&json!(after));
        audit::record(conn, tenant, actor, change)?;
        recompute::recompute_all(conn, tenant, now, true)?;
        Ok(after)
    })
}
