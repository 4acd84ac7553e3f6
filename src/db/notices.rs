//! E-mails queued for many participants at once: one `INSERT … SELECT` into the job
//! queue per event (a challenge launched to 20,000 participants is one statement, not
//! 20,000 round trips). The payload is the JSON of `services::email::EmailMessage`;
//! `unique_key` makes each e-mail go out at most once; participants who turned the
//! category off are left out here already (and checked again when sending).

use chrono::{DateTime, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::query_builder::BoxedSqlQuery;
use diesel::sql_types::{BigInt, Integer, Jsonb, Text, Timestamptz};
use serde_json::Value;

use crate::domain::{ChallengeId, TenantId};

/// Who receives it and what it says, beside the recipients.
pub struct Bulk<'a> {
    pub template: &'a str,
    pub category: &'a str,
    pub link_path: &'a str,
    /// The template's values shared by every recipient.
    pub args: &'a Value,
    /// The unique key of each e-mail is this prefix followed by the participant's id.
    pub key_prefix: &'a str,
    pub now: DateTime<Utc>,
    pub max_attempts: i32,
}

/// The e-mail's payload, built in SQL for the user row `u` of the tenant row `t`.
const PAYLOAD: &str = "jsonb_build_object(
        'to', u.email, 'to_name', u.display_name,
        'locale', COALESCE(u.locale, t.default_locale),
        'template', $2::text, 'link_path', $3::text, 'args', $4::jsonb || extra.args)";

const NOT_OPTED_OUT: &str = "NOT u.disabled AND u.role = 'participant'
        AND NOT EXISTS (SELECT 1 FROM email_opt_outs o
                        WHERE o.tenant_id = u.tenant_id AND o.user_id = u.id AND o.category = $5)";

/// To every participant enrolled in the challenge (with their own target in `args`).
/// Returns how many e-mails were queued.
pub fn to_challenge_entrants(
    conn: &mut PgConnection,
    tenant: TenantId,
    challenge: ChallengeId,
    bulk: &Bulk,
) -> QueryResult<usize> {
    let sql = format!(
        "INSERT INTO jobs (tenant_id, kind, payload, unique_key, run_at, max_attempts)
         SELECT u.tenant_id, 'email', {PAYLOAD}, $6 || u.id::text, $7, $8
         FROM challenge_scores s
         JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.participant_id
         JOIN tenants t ON t.id = u.tenant_id
         CROSS JOIN LATERAL (SELECT jsonb_build_object('target', s.target) AS args) extra
         WHERE s.tenant_id = $1 AND s.challenge_id = $9 AND {NOT_OPTED_OUT}
         ORDER BY u.id
         ON CONFLICT ON CONSTRAINT jobs_unique_key DO NOTHING"
    );
    bind(diesel::sql_query(sql), tenant, bulk)
        .bind::<BigInt, _>(challenge)
        .execute(conn)
}

/// Last month in figures, for every participant with something to tell (points earned or
/// spent, approved declarations, or a balance). `month` is `[from, until)`; expiring
/// points are those of lots expiring before `expiring_before`.
pub fn monthly_summaries(
    conn: &mut PgConnection,
    tenant: TenantId,
    bulk: &Bulk,
    (from, until): (DateTime<Utc>, DateTime<Utc>),
    expiring_before: DateTime<Utc>,
) -> QueryResult<usize> {
    let sql = format!(
        "WITH moves AS (
             SELECT user_id,
                    COALESCE(SUM(amount) FILTER (WHERE kind = 'earn'), 0) AS earned,
                    COALESCE(SUM(amount) FILTER (WHERE kind = 'capture'), 0) AS spent
             FROM ledger_transactions
             WHERE tenant_id = $1 AND created_at >= $9 AND created_at < $10
               AND kind IN ('earn', 'capture')
             GROUP BY user_id),
         approved AS (
             SELECT d.participant_id AS user_id, COUNT(*) AS approved
             FROM declaration_decisions dd
             JOIN declarations d ON d.tenant_id = dd.tenant_id AND d.id = dd.declaration_id
             WHERE dd.tenant_id = $1 AND dd.status = 'approved'
               AND dd.decided_at >= $9 AND dd.decided_at < $10
             GROUP BY d.participant_id),
         expiring AS (
             SELECT user_id, SUM(remaining) AS expiring
             FROM ledger_lots
             WHERE tenant_id = $1 AND remaining > 0 AND expires_at < $11
             GROUP BY user_id)
         INSERT INTO jobs (tenant_id, kind, payload, unique_key, run_at, max_attempts)
         SELECT u.tenant_id, 'email', {PAYLOAD}, $6 || u.id::text, $7, $8
         FROM users u
         JOIN tenants t ON t.id = u.tenant_id
         LEFT JOIN moves m ON m.user_id = u.id
         LEFT JOIN approved a ON a.user_id = u.id
         LEFT JOIN expiring e ON e.user_id = u.id
         LEFT JOIN ledger_balances b ON b.tenant_id = u.tenant_id AND b.user_id = u.id
         CROSS JOIN LATERAL (SELECT jsonb_build_object(
             'earned', COALESCE(m.earned, 0), 'spent', COALESCE(m.spent, 0),
             'balance', COALESCE(b.available, 0), 'expiring', COALESCE(e.expiring, 0),
             'approved', COALESCE(a.approved, 0)) AS args) extra
         WHERE u.tenant_id = $1 AND u.password_hash IS NOT NULL AND {NOT_OPTED_OUT}
           AND (COALESCE(m.earned, 0) > 0 OR COALESCE(m.spent, 0) > 0
                OR COALESCE(a.approved, 0) > 0 OR COALESCE(b.available, 0) > 0)
         ORDER BY u.id
         ON CONFLICT ON CONSTRAINT jobs_unique_key DO NOTHING"
    );
    bind(diesel::sql_query(sql), tenant, bulk)
        .bind::<Timestamptz, _>(from)
        .bind::<Timestamptz, _>(until)
        .bind::<Timestamptz, _>(expiring_before)
        .execute(conn)
}

/// `$1` tenant, `$2` template, `$3` link, `$4` shared args, `$5` category, `$6` key
/// prefix, `$7` run at, `$8` attempts; each query binds its own from `$9`.
fn bind<'a>(
    query: diesel::query_builder::SqlQuery,
    tenant: TenantId,
    b: &Bulk<'a>,
) -> BoxedSqlQuery<'a, Pg, diesel::query_builder::SqlQuery> {
    query
        .into_boxed::<Pg>()
        .bind::<BigInt, _>(tenant)
        .bind::<Text, _>(b.template)
        .bind::<Text, _>(b.link_path)
        .bind::<Jsonb, _>(b.args)
        .bind::<Text, _>(b.category)
        .bind::<Text, _>(b.key_prefix)
        .bind::<Timestamptz, _>(b.now)
        .bind::<Integer, _>(b.max_attempts)
}
