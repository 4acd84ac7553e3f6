//! Scores move with what counts, in the transaction of its cause: an approval adds a
//! declaration's contribution to every challenge it counts for, a reversal takes exactly
//! that back, a mission completion adds one. And the multiplier a declaration line earns.
//!
//! Lock order: callers take the challenges (`open`, rows held `FOR SHARE`) before any
//! ledger movement, as closing does (challenge row, then balances): never a cycle.
//!
//! What counts: a declaration whose sale date is in the challenge's window, approved
//! while the challenge still takes scores (before its award instant, end + grace, and
//! before its results are frozen), by a participant who takes part. A participant who
//! joins the programme after publication takes part from their first counted event, with
//! the fixed target (or the floor of a growth target); uploaded targets name everyone who
//! takes part.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;

use crate::db::challenges::scores::{self, Entrant};
use crate::db::challenges::{self as rows, Challenge};
use crate::db::declarations::{self as declaration_rows, Declaration};
use crate::db::products::Product;
use crate::db::users::User;
use crate::db::{tenants, users};
use crate::domain::challenges::{
    line_amount, strongest, ChallengeStatus, Objective, Scope, TargetMode,
};
use crate::domain::declarations::Multiplier;
use crate::domain::{CompletionId, ProductId, Role, TenantId, UserId, Zone};
use crate::services::segments;
use crate::services::ServiceError;

const DECLARATION: &str = "declaration";
const MISSION: &str = "mission";

fn db_error(e: ServiceError) -> diesel::result::Error {
    match e {
        ServiceError::Db(e) => e,
        ServiceError::NotFound => diesel::result::Error::NotFound,
        other => diesel::result::Error::QueryBuilderError(other.to_string().into()),
    }
}

/// Whether the challenge's product set holds this product.
pub fn covers(challenge: &Challenge, product: ProductId, category: &str) -> bool {
    let products: Vec<i64> = challenge.product_ids.iter().flatten().copied().collect();
    let categories: Vec<&str> = challenge
        .categories
        .iter()
        .flatten()
        .map(String::as_str)
        .collect();
    (products.is_empty() && categories.is_empty())
        || products.contains(&product.0)
        || categories.contains(&category)
}

/// Whether a sale on `day` (tenant's zone) falls in the challenge's window.
pub fn in_window(challenge: &Challenge, zone: Zone, day: NaiveDate) -> bool {
    let start = zone.day_start(day);
    start >= challenge.starts_at && start < challenge.ends_at
}

/// Whether this user takes part, or may (eligible by the challenge's segments).
pub fn may_take_part(
    conn: &mut PgConnection,
    challenge: &Challenge,
    user: &User,
) -> QueryResult<bool> {
    let tenant = challenge.tenant_id;
    if user.tenant_id != tenant || user.role() != Role::Participant || user.disabled {
        return Ok(false);
    }
    if scores::score_of(conn, tenant, challenge.id, user.id)?.is_some() {
        return Ok(true);
    }
    let Some(partner) = user.partner_id else {
        return Ok(false);
    };
    if TargetMode::parse(&challenge.target_mode) == Some(TargetMode::Upload) {
        return Ok(false);
    }
    let wanted = rows::segments_of(conn, tenant, challenge.id)?;
    if wanted.is_empty() {
        return Ok(true);
    }
    for segment in wanted {
        if segments::contains(conn, tenant, segment, partner).map_err(db_error)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Counts `amount` from a source for the participant: at once when they take part (one
/// statement); else, when they may, they join (a late joiner gets the fixed target or the
/// floor) and it counts.
#[allow(clippy::too_many_arguments)]
fn count(
    conn: &mut PgConnection,
    challenge: &Challenge,
    user: &mut Option<User>,
    participant: UserId,
    (source, source_id): (&str, i64),
    amount: i64,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    let tenant = challenge.tenant_id;
    let id = challenge.id;
    if scores::contribute(
        conn,
        tenant,
        id,
        source,
        source_id,
        participant,
        amount,
        now,
    )? {
        return Ok(());
    }
    if scores::score_of(conn, tenant, id, participant)?.is_some() {
        return Ok(()); // counted before
    }
    let u = match user {
        Some(u) => u.clone(),
        None => {
            let u = users::find(conn, tenant, participant)?;
            *user = Some(u.clone());
            u
        }
    };
    if !may_take_part(conn, challenge, &u)? {
        return Ok(());
    }
    let Some(partner) = u.partner_id else {
        return Ok(());
    };
    let by_partner = Scope::parse(&challenge.scope) == Some(Scope::Partner);
    let entrant = Entrant {
        participant,
        partner,
        target: (!by_partner).then_some(challenge.target_value),
    };
    let partner_targets = if by_partner {
        [(partner, challenge.target_value)].into_iter().collect()
    } else {
        Default::default()
    };
    scores::enrol(conn, tenant, id, &[entrant], &partner_targets, now)?;
    scores::contribute(
        conn,
        tenant,
        id,
        source,
        source_id,
        participant,
        amount,
        now,
    )?;
    Ok(())
}

/// The challenges that may take scores now, held until the transaction ends: taken
/// before the ledger moves (see the lock order above).
pub fn open(
    conn: &mut PgConnection,
    tenant: TenantId,
    now: DateTime<Utc>,
) -> QueryResult<Vec<Challenge>> {
    rows::counting(conn, tenant, now)
}

/// An approved declaration counts for every challenge of `open` it falls in.
pub fn declaration_approved(
    conn: &mut PgConnection,
    tenant: TenantId,
    open: Vec<Challenge>,
    declaration: &Declaration,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    let open: Vec<Challenge> = open
        .into_iter()
        .filter(|c| Objective::parse(&c.objective) != Some(Objective::Missions))
        .collect();
    if open.is_empty() {
        return Ok(());
    }
    let zone = tenants::find(conn, tenant)?.zone();
    let open: Vec<Challenge> = open
        .into_iter()
        .filter(|c| in_window(c, zone, declaration.sale_date))
        .collect();
    if open.is_empty() {
        return Ok(());
    }
    let lines = declaration_rows::lines_of(conn, tenant, &[declaration.id])?;
    let ids: Vec<ProductId> = lines.iter().map(|l| l.product_id).collect();
    let products = declaration_rows::products_by_ids(conn, tenant, &ids)?;
    let mut user = None;
    for challenge in open {
        let objective = Objective::parse(&challenge.objective).unwrap_or(Objective::Units);
        let counted: Vec<_> = lines
            .iter()
            .filter(|l| {
                products
                    .get(&l.product_id)
                    .is_some_and(|p| covers(&challenge, p.id, &p.category))
            })
            .collect();
        let amount = match objective {
            Objective::Declarations => i64::from(!counted.is_empty()),
            _ => counted
                .iter()
                .map(|l| line_amount(objective, l.quantity, l.unit_price_minor))
                .sum(),
        };
        if amount == 0 {
            continue;
        }
        let source = (DECLARATION, declaration.id.into());
        count(
            conn,
            &challenge,
            &mut user,
            declaration.participant_id,
            source,
            amount,
            now,
        )?;
    }
    Ok(())
}

/// A declaration approved then reversed: what it added comes off every challenge whose
/// results are not frozen yet. Called before the ledger's reversal (lock order).
pub fn declaration_reversed(
    conn: &mut PgConnection,
    tenant: TenantId,
    declaration: &Declaration,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    let source: i64 = declaration.id.into();
    for id in scores::contributed_to(conn, tenant, DECLARATION, source)? {
        let challenge = rows::find_for_share(conn, tenant, id)?;
        if challenge.frozen_at.is_some() || challenge.status == ChallengeStatus::Awarded.as_str() {
            continue;
        }
        scores::withdraw(conn, tenant, id, DECLARATION, source, now)?;
    }
    Ok(())
}

/// A completed mission counts one for the mission challenges of `open` running at that
/// instant.
pub fn mission_completed(
    conn: &mut PgConnection,
    open: Vec<Challenge>,
    participant: UserId,
    completion: CompletionId,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    let open: Vec<Challenge> = open
        .into_iter()
        .filter(|c| Objective::parse(&c.objective) == Some(Objective::Missions))
        .filter(|c| now >= c.starts_at && now < c.ends_at)
        .collect();
    if open.is_empty() {
        return Ok(());
    }
    let mut user = None;
    for challenge in open {
        let source = (MISSION, completion.into());
        count(conn, &challenge, &mut user, participant, source, 1, now)?;
    }
    Ok(())
}

/// The multiplier a line of `product` sold on `sale_date` by `participant` earns: the
/// highest of the published challenges whose window holds the day, whose product set
/// holds the product and in which the participant takes part (or may).
pub fn multiplier(
    conn: &mut PgConnection,
    tenant: TenantId,
    participant: UserId,
    product: &Product,
    sale_date: NaiveDate,
) -> QueryResult<Option<Multiplier>> {
    // A day of any zone lies within a day and a half of UTC midnight: a cheap first cut.
    let midnight = sale_date.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    let wide = rows::with_multiplier(
        conn,
        tenant,
        midnight + chrono::Duration::hours(14),
        midnight - chrono::Duration::hours(14),
    )?;
    let candidates: Vec<Challenge> = wide
        .into_iter()
        .filter(|c| covers(c, product.id, &product.category))
        .collect();
    if candidates.is_empty() {
        return Ok(None);
    }
    let zone = tenants::find(conn, tenant)?.zone();
    let user = users::find(conn, tenant, participant)?;
    let mut found = vec![];
    for c in candidates {
        if in_window(&c, zone, sale_date) && may_take_part(conn, &c, &user)? {
            if let Some(m) = c.multiplier {
                found.push(Multiplier(u32::try_from(m).unwrap_or(1000)));
            }
        }
    }
    Ok(strongest(found))
}
