//! Lists of declarations: a participant's own, the review queue, a partner's history,
//! and the declarations sharing an invoice reference.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Serialize;

use super::{btrim, lower_text, Declaration};
use crate::db::schema::{declarations, partners, users};
use crate::domain::{DeclarationId, PartnerId, TenantId, UserId, Zone};

/// A participant's declarations, newest first, and how many they have.
pub fn list_of_participant(
    conn: &mut PgConnection,
    tenant: TenantId,
    participant: UserId,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<Declaration>, i64)> {
    let mine = declarations::table
        .filter(declarations::tenant_id.eq(tenant))
        .filter(declarations::participant_id.eq(participant));
    let total = mine.count().get_result(conn)?;
    let rows = mine
        .order((declarations::created_at.desc(), declarations::id.desc()))
        .offset(offset)
        .limit(limit)
        .select(Declaration::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// The other declarations of this partner with the same invoice reference (trimmed,
/// any case), withdrawn ones aside: `(id, status)`.
pub fn same_invoice(
    conn: &mut PgConnection,
    tenant: TenantId,
    partner: PartnerId,
    normalized_ref: &str,
    except: Option<DeclarationId>,
) -> QueryResult<Vec<(DeclarationId, String)>> {
    declarations::table
        .filter(declarations::tenant_id.eq(tenant))
        .filter(declarations::partner_id.eq(partner))
        .filter(lower_text(btrim(declarations::invoice_ref)).eq(normalized_ref))
        .filter(declarations::status.ne("withdrawn"))
        .filter(declarations::id.ne(except.unwrap_or(DeclarationId(0))))
        .order(declarations::id)
        .select((declarations::id, declarations::status))
        .load(conn)
}

/// What the review queue is filtered by; `None` means any.
#[derive(Debug, Clone, Default)]
pub struct QueueFilter {
    pub status: Option<String>,
    pub flag: Option<String>,
    /// Only declarations without flags.
    pub unflagged: bool,
    pub partner: Option<PartnerId>,
    pub region: Option<String>,
    /// Submitted on or after / on or before these days of the tenant's `zone`.
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    pub zone: Zone,
}

/// A declaration in the queue, with the names a reviewer reads.
#[derive(Debug, Clone, Serialize, Queryable)]
pub struct QueueRow {
    #[diesel(embed)]
    pub declaration: Declaration,
    pub partner_name: String,
    pub partner_region: String,
    pub participant_name: String,
}

/// The declarations matching a filter, on the declarations table alone (the region
/// through the partners of that region), so that counting a long queue reads one index.
macro_rules! queue_query {
    ($tenant:expr, $f:expr) => {{
        let f: &QueueFilter = $f;
        let mut q = declarations::table
            .filter(declarations::tenant_id.eq($tenant))
            .into_boxed();
        if let Some(status) = &f.status {
            q = q.filter(declarations::status.eq(status.clone()));
        }
        if let Some(flag) = &f.flag {
            q = q.filter(declarations::flags.contains(vec![Some(flag.clone())]));
        }
        if f.unflagged {
            q = q.filter(declarations::flags.eq(Vec::<Option<String>>::new()));
        }
        if let Some(partner) = f.partner {
            q = q.filter(declarations::partner_id.eq(partner));
        }
        if let Some(region) = &f.region {
            q = q.filter(
                declarations::partner_id.eq_any(
                    partners::table
                        .filter(partners::tenant_id.eq($tenant))
                        .filter(partners::region.eq(region.clone()))
                        .select(partners::id),
                ),
            );
        }
        let (from, until) = f.zone.days(f.from, f.until);
        if let Some(from) = from {
            q = q.filter(declarations::created_at.ge(from));
        }
        if let Some(until) = until {
            q = q.filter(declarations::created_at.lt(until));
        }
        q
    }};
}

/// The names a reviewer reads beside a page of declarations, two lookups by id.
fn with_names(
    conn: &mut PgConnection,
    tenant: TenantId,
    page: Vec<Declaration>,
) -> QueryResult<Vec<QueueRow>> {
    let partner_ids: Vec<PartnerId> = page.iter().map(|d| d.partner_id).collect();
    let user_ids: Vec<UserId> = page.iter().map(|d| d.participant_id).collect();
    let partners: HashMap<PartnerId, (String, String)> = partners::table
        .filter(partners::tenant_id.eq(tenant))
        .filter(partners::id.eq_any(partner_ids))
        .select((partners::id, partners::name, partners::region))
        .load::<(PartnerId, String, String)>(conn)?
        .into_iter()
        .map(|(id, name, region)| (id, (name, region)))
        .collect();
    let users: HashMap<UserId, String> = users::table
        .filter(users::tenant_id.eq(tenant))
        .filter(users::id.eq_any(user_ids))
        .select((users::id, users::display_name))
        .load::<(UserId, String)>(conn)?
        .into_iter()
        .collect();
    Ok(page
        .into_iter()
        .map(|declaration| {
            let (partner_name, partner_region) = partners
                .get(&declaration.partner_id)
                .cloned()
                .unwrap_or_default();
            let participant_name = users
                .get(&declaration.participant_id)
                .cloned()
                .unwrap_or_default();
            QueueRow {
                declaration,
                partner_name,
                partner_region,
                participant_name,
            }
        })
        .collect())
}

/// One page of the queue, oldest first (first come, first reviewed), and the total.
pub fn queue(
    conn: &mut PgConnection,
    tenant: TenantId,
    filter: &QueueFilter,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<QueueRow>, i64)> {
    let total = queue_query!(tenant, filter).count().get_result(conn)?;
    let page = queue_query!(tenant, filter)
        .order((declarations::created_at, declarations::id))
        .offset(offset)
        .limit(limit)
        .select(Declaration::as_select())
        .load(conn)?;
    Ok((with_names(conn, tenant, page)?, total))
}

/// The ids of every declaration matching the filter (bulk actions), oldest first.
pub fn queue_ids(
    conn: &mut PgConnection,
    tenant: TenantId,
    filter: &QueueFilter,
    limit: i64,
) -> QueryResult<Vec<DeclarationId>> {
    queue_query!(tenant, filter)
        .order((declarations::created_at, declarations::id))
        .limit(limit)
        .select(declarations::id)
        .load(conn)
}

/// A partner's latest declarations, newest first.
pub fn history_of_partner(
    conn: &mut PgConnection,
    tenant: TenantId,
    partner: PartnerId,
    limit: i64,
) -> QueryResult<Vec<QueueRow>> {
    let filter = QueueFilter {
        partner: Some(partner),
        ..QueueFilter::default()
    };
    let page = queue_query!(tenant, &filter)
        .order((declarations::created_at.desc(), declarations::id.desc()))
        .limit(limit)
        .select(Declaration::as_select())
        .load(conn)?;
    with_names(conn, tenant, page)
}
