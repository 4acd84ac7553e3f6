//! The tenant's declaration rules (one row per tenant, absent until changed).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::upsert::excluded;

use crate::db::schema::declaration_rules;
use crate::domain::declarations::Rules;
use crate::domain::TenantId;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = declaration_rules)]
struct RulesRow {
    window_days: i32,
    max_quantity_per_line: i32,
    auto_approve: bool,
    auto_approve_max_points: i64,
    max_declarations_per_day: i32,
    stock_out_weeks: i32,
    overstock_weeks: i32,
}

/// The tenant's rules, or the defaults when it never changed them.
pub fn find(conn: &mut PgConnection, tenant: TenantId) -> QueryResult<Rules> {
    let row: Option<RulesRow> = declaration_rules::table
        .find(tenant)
        .select(RulesRow::as_select())
        .first(conn)
        .optional()?;
    Ok(row.map_or_else(Rules::default, |r| Rules {
        window_days: r.window_days,
        max_quantity_per_line: r.max_quantity_per_line,
        auto_approve: r.auto_approve,
        auto_approve_max_points: r.auto_approve_max_points,
        max_declarations_per_day: r.max_declarations_per_day,
        stock_out_weeks: r.stock_out_weeks,
        overstock_weeks: r.overstock_weeks,
    }))
}

pub fn save(
    conn: &mut PgConnection,
    tenant: TenantId,
    rules: &Rules,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    use declaration_rules::dsl as r;
    diesel::insert_into(r::declaration_rules)
        .values((
            r::tenant_id.eq(tenant),
            r::window_days.eq(rules.window_days),
            r::max_quantity_per_line.eq(rules.max_quantity_per_line),
            r::auto_approve.eq(rules.auto_approve),
            r::auto_approve_max_points.eq(rules.auto_approve_max_points),
            r::max_declarations_per_day.eq(rules.max_declarations_per_day),
            r::stock_out_weeks.eq(rules.stock_out_weeks),
            r::overstock_weeks.eq(rules.overstock_weeks),
            r::updated_at.eq(now),
        ))
        .on_conflict(r::tenant_id)
        .do_update()
        .set((
            r::window_days.eq(excluded(r::window_days)),
            r::max_quantity_per_line.eq(excluded(r::max_quantity_per_line)),
            r::auto_approve.eq(excluded(r::auto_approve)),
            r::auto_approve_max_points.eq(excluded(r::auto_approve_max_points)),
            r::max_declarations_per_day.eq(excluded(r::max_declarations_per_day)),
            r::stock_out_weeks.eq(excluded(r::stock_out_weeks)),
            r::overstock_weeks.eq(excluded(r::overstock_weeks)),
            r::updated_at.eq(excluded(r::updated_at)),
        ))
        .execute(conn)
        .map(|_| ())
}
