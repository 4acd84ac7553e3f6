//! Orders as the integration API reads them: the admin queue's matches in id order
//! after a cursor (keyset pages, stable while orders are placed), with their lines.

use diesel::prelude::*;

use super::views::{with_lines, QueueEntry};
use super::RewardError;
use crate::db::rewards::orders::{self, QueueFilter};
use crate::domain::TenantId;
use crate::services::integration::Listed;

/// A page of orders matching `filter` (as the admin queue filters them), after the
/// order `after`.
pub fn orders_after(
    conn: &mut PgConnection,
    tenant: TenantId,
    filter: &QueueFilter,
    after: i64,
    limit: i64,
) -> Result<Listed<QueueEntry>, RewardError> {
    let found = orders::queue_after(conn, tenant, filter, after, limit)?;
    let next_after = if found.len() as i64 == limit {
        found.last().map(|r| r.order.id.0)
    } else {
        None
    };
    let list = found.iter().map(|r| r.order.clone()).collect();
    let mut views = with_lines(conn, tenant, list, false)?.into_iter();
    let items = found
        .into_iter()
        .map(|row| QueueEntry {
            lines: views.next().map(|v| v.lines).unwrap_or_default(),
            row,
        })
        .collect();
    Ok(Listed { items, next_after })
}
