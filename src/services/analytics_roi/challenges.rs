//! Results across challenges: participation, the attainment distribution, incremental
//! sell-out against each subject's reference period, the points the awards cost and the
//! points per incremental unit (rules in `domain::analytics_roi`).

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::analytics_roi::{self as rows, ChallengeSums, SubjectRow};
use crate::db::challenges::scores;
use crate::db::tenants;
use crate::domain::analytics_roi::{bucket, per_unit_hundredths, reference_period, BUCKETS};
use crate::domain::challenges::{percent_of, Objective, Scope};
use crate::domain::declarations::{FIRST_DAY, LAST_DAY};
use crate::domain::{ChallengeId, TenantId, Zone};
use crate::services::ServiceError;

/// The default period: challenges that started in the last year.
pub const DEFAULT_DAYS: i64 = 365;

/// A subject with its reference, incremental and attainment.
#[derive(Debug, Clone, Serialize)]
pub struct Subject {
    #[serde(flatten)]
    pub row: SubjectRow,
    pub reference: i64,
    pub incremental: i64,
    /// Whole percent of the target, when there is one.
    pub percent: Option<i64>,
}

/// One challenge's line of the table.
#[derive(Debug, Clone, Serialize)]
pub struct ChallengeLine {
    pub challenge: ChallengeSums,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub reference: (NaiveDate, NaiveDate),
    /// Whether the reference period was the growth target's (else the default).
    pub reference_given: bool,
    /// Participants with progress, in whole percent of those enrolled.
    pub participation_percent: i64,
    pub distribution: [i64; 5],
    pub total: i64,
    pub reference_total: i64,
    pub incremental: i64,
    /// Points per incremental unit (per currency unit for revenue), in hundredths.
    pub per_unit_hundredths: Option<i64>,
    /// The same as whole units and two digits of hundredths, for display.
    pub per_unit: Option<(i64, String)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Overview {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub lines: Vec<ChallengeLine>,
    pub buckets: [&'static str; 5],
}

#[derive(Debug, Clone, Serialize)]
pub struct Detail {
    pub line: ChallengeLine,
    pub subjects: Vec<Subject>,
    pub by_partner: bool,
    pub buckets: [&'static str; 5],
}

/// The period asked for (days in the tenant's zone), within sane years.
pub fn period(
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    today: NaiveDate,
) -> (NaiveDate, NaiveDate) {
    let sane = |d: NaiveDate| d.clamp(FIRST_DAY, LAST_DAY);
    let to = sane(to.unwrap_or(today));
    let from = from
        .map(sane)
        .filter(|f| *f <= to)
        .unwrap_or_else(|| to - Duration::days(DEFAULT_DAYS));
    (from, to)
}

/// The days of a challenge, its reference period and whether it was given, and every
/// subject's result over that period.
struct Reference {
    first_day: NaiveDate,
    last_day: NaiveDate,
    period: (NaiveDate, NaiveDate),
    given: bool,
    by_subject: BTreeMap<i64, i64>,
}

fn reference_of(
    conn: &mut PgConnection,
    tenant: TenantId,
    zone: Zone,
    c: &ChallengeSums,
) -> QueryResult<Reference> {
    let by_partner = c.scope == Scope::Partner.as_str();
    let first_day = zone.date_of(c.starts_at);
    let last_day = zone.date_of(c.ends_at - Duration::seconds(1));
    let given = c.reference_starts_on.zip(c.reference_ends_on);
    let period = reference_period(first_day, last_day, given);
    let objective = Objective::parse(&c.objective).unwrap_or(Objective::Units);
    let products: Vec<i64> = c.product_ids.iter().flatten().copied().collect();
    let categories: Vec<String> = c.categories.iter().flatten().cloned().collect();
    let by_subject = scores::reference_results(
        conn,
        tenant,
        objective,
        by_partner,
        &products,
        &categories,
        period.0,
        period.1,
    )?;
    Ok(Reference {
        first_day,
        last_day,
        period,
        given: given.is_some(),
        by_subject,
    })
}

fn subject(row: SubjectRow, reference: &Reference) -> Subject {
    let before = reference.by_subject.get(&row.id).copied().unwrap_or(0);
    Subject {
        incremental: row.result - before,
        percent: row.target.map(|t| percent_of(row.result, t)),
        reference: before,
        row,
    }
}

fn line_and_subjects(
    conn: &mut PgConnection,
    tenant: TenantId,
    zone: Zone,
    c: ChallengeSums,
) -> Result<(ChallengeLine, Vec<Subject>), ServiceError> {
    let by_partner = c.scope == Scope::Partner.as_str();
    let objective = Objective::parse(&c.objective).unwrap_or(Objective::Units);
    let r = reference_of(conn, tenant, zone, &c)?;
    let (first_day, last_day, reference, given) = (r.first_day, r.last_day, r.period, r.given);
    let subjects: Vec<Subject> = rows::subjects(conn, tenant, c.id, by_partner)?
        .into_iter()
        .map(|row| subject(row, &r))
        .collect();
    let mut distribution = [0; 5];
    for s in &subjects {
        if let Some(b) = bucket(s.row.result, s.row.target) {
            distribution[b] += 1;
        }
    }
    let total: i64 = subjects.iter().map(|s| s.row.result).sum();
    let reference_total: i64 = subjects.iter().map(|s| s.reference).sum();
    let incremental = total - reference_total;
    let scale = if objective == Objective::Revenue {
        tenants::find(conn, tenant)?.currency().scale()
    } else {
        1
    };
    let roi = per_unit_hundredths(c.points, incremental, scale);
    let line = ChallengeLine {
        first_day,
        last_day,
        reference,
        reference_given: given,
        participation_percent: percent_of(c.progressing, c.eligible),
        distribution,
        total,
        reference_total,
        incremental,
        per_unit_hundredths: roi,
        per_unit: roi.map(|h| (h / 100, format!("{:02}", (h % 100).abs()))),
        challenge: c,
    };
    Ok((line, subjects))
}

/// Every published challenge that started in `[from, to]`.
pub fn overview(
    conn: &mut PgConnection,
    tenant: TenantId,
    (from, to): (NaiveDate, NaiveDate),
) -> Result<Overview, ServiceError> {
    conn.transaction(|conn| {
        let zone = tenants::find(conn, tenant)?.zone();
        let window = window(zone, from, to);
        let mut lines = vec![];
        for c in rows::challenges(conn, tenant, window, None)? {
            lines.push(line_and_subjects(conn, tenant, zone, c)?.0);
        }
        Ok(Overview {
            from,
            to,
            lines,
            buckets: BUCKETS,
        })
    })
}

fn window(zone: Zone, from: NaiveDate, to: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    (zone.day_start(from), zone.day_start(to + Duration::days(1)))
}

fn published(
    conn: &mut PgConnection,
    tenant: TenantId,
    zone: Zone,
    id: ChallengeId,
) -> Result<ChallengeSums, ServiceError> {
    let all = (
        zone.day_start(FIRST_DAY),
        zone.day_start(LAST_DAY + Duration::days(1)),
    );
    rows::challenges(conn, tenant, all, Some(id))?
        .into_iter()
        .next()
        .ok_or(ServiceError::NotFound)
}

/// Whether the challenge is published and the tenant's (else a 404), and whether its
/// subjects are partners: checked before an export starts.
pub fn exportable(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: ChallengeId,
) -> Result<bool, ServiceError> {
    let zone = tenants::find(conn, tenant)?.zone();
    Ok(published(conn, tenant, zone, id)?.scope == Scope::Partner.as_str())
}

/// Every subject of a published challenge, handed to `f` one at a time as the database
/// sends them (for the CSV export).
pub fn each_subject(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: ChallengeId,
    mut f: impl FnMut(Subject) -> QueryResult<()>,
) -> Result<(), ServiceError> {
    let zone = tenants::find(conn, tenant)?.zone();
    let c = published(conn, tenant, zone, id)?;
    let r = reference_of(conn, tenant, zone, &c)?;
    let by_partner = c.scope == Scope::Partner.as_str();
    rows::each_subject(conn, tenant, id, by_partner, |row| f(subject(row, &r)))?;
    Ok(())
}

/// One published challenge with every subject (404 for a draft or another tenant's).
pub fn detail(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: ChallengeId,
) -> Result<Detail, ServiceError> {
    conn.transaction(|conn| {
        let zone = tenants::find(conn, tenant)?.zone();
        let c = published(conn, tenant, zone, id)?;
        let by_partner = c.scope == Scope::Partner.as_str();
        let (line, subjects) = line_and_subjects(conn, tenant, zone, c)?;
        Ok(Detail {
            line,
            subjects,
            by_partner,
            buckets: BUCKETS,
        })
    })
}
