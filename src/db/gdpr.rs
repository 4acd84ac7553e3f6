//! A person's rows: the profile fields the `User` row leaves out (phone, anonymisation),
//! every table holding their id as JSON for "download my data", and the erasure an
//! anonymisation writes. Every query is scoped by tenant and user.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Jsonb, Text, Timestamptz};
use serde_json::Value;

use super::schema::{delivery_addresses, reward_wishes, users};
use crate::domain::{TenantId, UserId};

/// The profile fields kept beside the `User` row.
#[derive(Debug, Clone, Queryable)]
pub struct Extra {
    pub phone: Option<String>,
    pub anonymised_at: Option<DateTime<Utc>>,
}

pub fn extra(conn: &mut PgConnection, tenant: TenantId, user: UserId) -> QueryResult<Extra> {
    users::table
        .find((tenant, user))
        .select((users::phone, users::anonymised_at))
        .first(conn)
}

/// Saves the name, phone and language a user chose.
pub fn set_details(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    (name, phone, locale): (&str, Option<&str>, &str),
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(users::table.find((tenant, user)))
        .set((
            users::display_name.eq(name),
            users::phone.eq(phone),
            users::locale.eq(locale),
            users::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

#[derive(QueryableByName)]
struct JsonRow {
    #[diesel(sql_type = Jsonb)]
    row: Value,
}

/// What one section of the export reads: a query returning one JSON value per row in a
/// column `row`, taking `$1` = tenant, `$2` = user, `$3` = the user's e-mail.
pub struct Section {
    pub name: &'static str,
    pub sql: &'static str,
}

/// Every table that holds something about a user (`db/schema.rs`, read for user ids and
/// e-mail addresses). Secrets (password hash, token hashes, session keys) and file bytes
/// are left out: files are listed with their name, type and size.
pub const SECTIONS: &[Section] = &[
    Section {
        name: "account",
        sql: "SELECT to_jsonb(u) - 'password_hash' - 'sessions_valid_from' AS row FROM users u \
              WHERE u.tenant_id = $1 AND u.id = $2 AND $3 = $3",
    },
    Section {
        name: "partner",
        sql: "SELECT to_jsonb(p) AS row FROM partners p JOIN users u \
              ON u.tenant_id = p.tenant_id AND u.partner_id = p.id \
              WHERE u.tenant_id = $1 AND u.id = $2 AND $3 = $3",
    },
    Section {
        name: "delivery_address",
        sql: "SELECT to_jsonb(a) AS row FROM delivery_addresses a \
              WHERE a.tenant_id = $1 AND a.user_id = $2 AND $3 = $3",
    },
    Section {
        name: "declarations",
        sql: "SELECT to_jsonb(d) || jsonb_build_object(\
                'lines', (SELECT coalesce(jsonb_agg(to_jsonb(l) ORDER BY l.line_no), '[]') \
                  FROM declaration_lines l WHERE l.tenant_id = d.tenant_id AND l.declaration_id = d.id), \
                'decisions', (SELECT coalesce(jsonb_agg(to_jsonb(x) ORDER BY x.id), '[]') \
                  FROM declaration_decisions x WHERE x.tenant_id = d.tenant_id AND x.declaration_id = d.id), \
                'proofs', (SELECT coalesce(jsonb_agg(jsonb_build_object('n', f.n, 'file_name', f.file_name, \
                  'content_type', f.content_type, 'size', f.size) ORDER BY f.n), '[]') \
                  FROM declaration_proofs f WHERE f.tenant_id = d.tenant_id AND f.declaration_id = d.id)) AS row \
              FROM declarations d WHERE d.tenant_id = $1 AND d.participant_id = $2 AND $3 = $3 ORDER BY d.id",
    },
    Section {
        name: "mission_submissions",
        sql: "SELECT to_jsonb(a) || jsonb_build_object(\
                'answers', (SELECT coalesce(jsonb_agg(to_jsonb(x) ORDER BY x.question_id), '[]') \
                  FROM mission_answers x WHERE x.tenant_id = a.tenant_id AND x.attempt_id = a.id), \
                'photos', (SELECT coalesce(jsonb_agg(jsonb_build_object('n', f.n, 'file_name', f.file_name, \
                  'content_type', f.content_type, 'size', f.size) ORDER BY f.n), '[]') \
                  FROM mission_photos f WHERE f.tenant_id = a.tenant_id AND f.attempt_id = a.id)) AS row \
              FROM mission_attempts a WHERE a.tenant_id = $1 AND a.participant_id = $2 AND $3 = $3 ORDER BY a.id",
    },
    Section {
        name: "mission_completions",
        sql: "SELECT to_jsonb(c) AS row FROM mission_completions c \
              WHERE c.tenant_id = $1 AND c.participant_id = $2 AND $3 = $3 ORDER BY c.id",
    },
    Section {
        name: "mission_video_watches",
        sql: "SELECT to_jsonb(w) - 'seen' AS row FROM mission_video_watches w \
              WHERE w.tenant_id = $1 AND w.participant_id = $2 AND $3 = $3 ORDER BY w.id",
    },
    Section {
        name: "challenge_scores",
        sql: "SELECT to_jsonb(s) AS row FROM challenge_scores s \
              WHERE s.tenant_id = $1 AND s.participant_id = $2 AND $3 = $3 ORDER BY s.challenge_id",
    },
    Section {
        name: "challenge_contributions",
        sql: "SELECT to_jsonb(c) AS row FROM challenge_contributions c \
              WHERE c.tenant_id = $1 AND c.participant_id = $2 AND $3 = $3 \
              ORDER BY c.challenge_id, c.source, c.source_id",
    },
    Section {
        name: "challenge_awards",
        sql: "SELECT to_jsonb(a) AS row FROM challenge_awards a \
              WHERE a.tenant_id = $1 AND a.participant_id = $2 AND $3 = $3 ORDER BY a.challenge_id",
    },
    Section {
        name: "points_balance",
        sql: "SELECT to_jsonb(b) AS row FROM ledger_balances b \
              WHERE b.tenant_id = $1 AND b.user_id = $2 AND $3 = $3",
    },
    Section {
        name: "points_statement",
        sql: "SELECT to_jsonb(t) - 'request_fingerprint' AS row FROM ledger_transactions t \
              WHERE t.tenant_id = $1 AND t.user_id = $2 AND $3 = $3 ORDER BY t.id",
    },
    Section {
        name: "points_lots",
        sql: "SELECT to_jsonb(l) AS row FROM ledger_lots l \
              WHERE l.tenant_id = $1 AND l.user_id = $2 AND $3 = $3 ORDER BY l.id",
    },
    Section {
        name: "points_holds",
        sql: "SELECT to_jsonb(h) AS row FROM ledger_holds h \
              WHERE h.tenant_id = $1 AND h.user_id = $2 AND $3 = $3 ORDER BY h.id",
    },
    Section {
        name: "reward_orders",
        sql: "SELECT to_jsonb(o) || jsonb_build_object(\
                'lines', (SELECT coalesce(jsonb_agg(to_jsonb(l) ORDER BY l.id), '[]') \
                  FROM reward_order_lines l WHERE l.tenant_id = o.tenant_id AND l.order_id = o.id), \
                'codes', (SELECT coalesce(jsonb_agg(jsonb_build_object('order_line_id', c.order_line_id, \
                  'code', c.code) ORDER BY c.id), '[]') FROM reward_codes c JOIN reward_order_lines l \
                  ON l.tenant_id = c.tenant_id AND l.id = c.order_line_id \
                  WHERE l.tenant_id = o.tenant_id AND l.order_id = o.id)) AS row \
              FROM reward_orders o WHERE o.tenant_id = $1 AND o.user_id = $2 AND $3 = $3 ORDER BY o.id",
    },
    Section {
        name: "wishlist",
        sql: "SELECT to_jsonb(w) AS row FROM reward_wishes w \
              WHERE w.tenant_id = $1 AND w.user_id = $2 AND $3 = $3 ORDER BY w.created_at",
    },
    Section {
        name: "audit_entries",
        sql: "SELECT to_jsonb(e) AS row FROM audit_events e WHERE e.tenant_id = $1 \
              AND (e.actor_id = $2 OR (e.subject_type = 'user' AND e.subject_id = $2)) AND $3 = $3 \
              ORDER BY e.id",
    },
    Section {
        name: "emails",
        sql: "SELECT jsonb_build_object('id', j.id, 'status', j.status, 'created_at', j.created_at, \
                'finished_at', j.finished_at, 'message', j.payload - 'link_path') AS row FROM jobs j \
              WHERE j.tenant_id = $1 AND j.kind = 'email' AND j.payload ->> 'to' = $3 AND $2 = $2 \
              ORDER BY j.id",
    },
    Section {
        name: "sign_in_links",
        sql: "SELECT to_jsonb(t) - 'token_hash' AS row FROM auth_tokens t \
              WHERE t.tenant_id = $1 AND t.user_id = $2 AND $3 = $3 ORDER BY t.id",
    },
    Section {
        name: "login_attempts",
        sql: "SELECT to_jsonb(a) AS row FROM login_attempts a \
              WHERE a.tenant_id = $1 AND a.email = $3 AND $2 = $2 ORDER BY a.id",
    },
    Section {
        name: "sessions",
        sql: "SELECT jsonb_build_object('created_at', s.created_at, 'idle_expires_at', s.idle_expires_at, \
                'absolute_expires_at', s.absolute_expires_at) AS row FROM web_sessions s \
              WHERE s.tenant_id = $1 AND s.user_id = $2 AND $3 = $3 ORDER BY s.created_at",
    },
    Section {
        name: "uploaded_files",
        sql: "SELECT jsonb_build_object('id', i.id, 'kind', i.kind, 'file_name', i.file_name, \
                'created_at', i.created_at) AS row FROM import_uploads i \
              WHERE i.tenant_id = $1 AND i.user_id = $2 AND $3 = $3 ORDER BY i.id",
    },
];

/// The rows of one section.
pub fn section_rows(
    conn: &mut PgConnection,
    section: &Section,
    tenant: TenantId,
    user: UserId,
    email: &str,
) -> QueryResult<Vec<Value>> {
    let rows: Vec<JsonRow> = diesel::sql_query(section.sql)
        .bind::<BigInt, _>(tenant.0)
        .bind::<BigInt, _>(user.0)
        .bind::<Text, _>(email)
        .load(conn)?;
    Ok(rows.into_iter().map(|r| r.row).collect())
}

/// Erases the person from the account row: name and e-mail replaced, phone and password
/// gone, disabled, every session ended. The row stays: the ledger and declarations
/// point at it.
pub fn erase_account(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    (name, email): (&str, &str),
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(users::table.find((tenant, user)))
        .set((
            users::display_name.eq(name),
            users::email.eq(email),
            users::phone.eq(None::<String>),
            users::password_hash.eq(None::<String>),
            users::disabled.eq(true),
            users::sessions_valid_from.eq(now),
            users::updated_at.eq(now),
            users::anonymised_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// What an anonymisation erased besides the account row, for its audit entry.
#[derive(Debug, Default, serde::Serialize)]
pub struct Erased {
    pub addresses: usize,
    pub order_addresses: usize,
    pub feedback: usize,
    pub free_text_answers: usize,
    pub emails_cancelled: usize,
    pub emails_scrubbed: usize,
    pub audit_entries: usize,
}

/// Erases what else names or locates the person (see `services::gdpr::anonymise`).
pub fn erase_traces(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    (old_email, old_name): (&str, &str),
    (name, email): (&str, &str),
    now: DateTime<Utc>,
) -> QueryResult<Erased> {
    let t = tenant.0;
    let u = user.0;
    let mut erased = Erased {
        addresses: diesel::delete(delivery_addresses::table.find((tenant, user))).execute(conn)?,
        ..Erased::default()
    };
    diesel::delete(
        reward_wishes::table
            .filter(reward_wishes::tenant_id.eq(tenant))
            .filter(reward_wishes::user_id.eq(user)),
    )
    .execute(conn)?;
    erased.order_addresses = diesel::sql_query(
        "UPDATE reward_orders SET delivery_address = NULL \
         WHERE tenant_id = $1 AND user_id = $2 AND delivery_address IS NOT NULL",
    )
    .bind::<BigInt, _>(t)
    .bind::<BigInt, _>(u)
    .execute(conn)?;
    erased.feedback = diesel::sql_query(
        "UPDATE declarations SET feedback = NULL \
         WHERE tenant_id = $1 AND participant_id = $2 AND feedback IS NOT NULL",
    )
    .bind::<BigInt, _>(t)
    .bind::<BigInt, _>(u)
    .execute(conn)?;
    erased.free_text_answers = diesel::sql_query(
        "UPDATE mission_answers x SET text_value = NULL FROM mission_attempts a \
         WHERE x.tenant_id = $1 AND a.tenant_id = $1 AND a.id = x.attempt_id \
         AND a.participant_id = $2 AND x.text_value IS NOT NULL",
    )
    .bind::<BigInt, _>(t)
    .bind::<BigInt, _>(u)
    .execute(conn)?;
    diesel::sql_query(
        "UPDATE auth_tokens SET revoked_at = $3 \
         WHERE tenant_id = $1 AND user_id = $2 AND used_at IS NULL AND revoked_at IS NULL",
    )
    .bind::<BigInt, _>(t)
    .bind::<BigInt, _>(u)
    .bind::<Timestamptz, _>(now)
    .execute(conn)?;
    diesel::sql_query("DELETE FROM web_sessions WHERE tenant_id = $1 AND user_id = $2")
        .bind::<BigInt, _>(t)
        .bind::<BigInt, _>(u)
        .execute(conn)?;
    diesel::sql_query("DELETE FROM login_attempts WHERE tenant_id = $1 AND email = $2")
        .bind::<BigInt, _>(t)
        .bind::<Text, _>(old_email)
        .execute(conn)?;
    // E-mails not yet sent (or given up) are cancelled: deleted, so that no retry can
    // send them. Those sent stay in the log, addressed to the placeholder.
    erased.emails_cancelled = diesel::sql_query(
        "DELETE FROM jobs WHERE tenant_id = $1 AND kind = 'email' \
         AND status IN ('queued', 'failed') AND payload ->> 'to' = $2",
    )
    .bind::<BigInt, _>(t)
    .bind::<Text, _>(old_email)
    .execute(conn)?;
    erased.emails_scrubbed = diesel::sql_query(
        "UPDATE jobs SET payload = (payload || jsonb_build_object('to', $3::text, 'to_name', $4::text, \
           'args', '{}'::jsonb)) - 'link_path' \
         WHERE tenant_id = $1 AND kind = 'email' AND payload ->> 'to' = $2",
    )
    .bind::<BigInt, _>(t)
    .bind::<Text, _>(old_email)
    .bind::<Text, _>(email)
    .bind::<Text, _>(name)
    .execute(conn)?;
    // The audit log keeps what happened, not who it was: the actor's label, and the
    // e-mail and name wherever they appear as a JSON value of an entry's before/after.
    diesel::sql_query(
        "UPDATE audit_events SET actor_label = $3 WHERE tenant_id = $1 AND actor_id = $2",
    )
    .bind::<BigInt, _>(t)
    .bind::<BigInt, _>(u)
    .bind::<Text, _>(name)
    .execute(conn)?;
    // Their e-mail anywhere in the tenant's log (an admin's entry about an invitation,
    // say); their name only in entries by or about them (a namesake keeps theirs).
    erased.audit_entries = replace_in_audit(conn, tenant, (old_email, email), None)?;
    erased.audit_entries += replace_in_audit(conn, tenant, (old_name, name), Some(user))?;
    Ok(erased)
}

/// Replaces a JSON string value `from` by `to` in the before/after of audit entries (all
/// of the tenant's, or those by or about `only`); how many entries changed.
fn replace_in_audit(
    conn: &mut PgConnection,
    tenant: TenantId,
    (from, to): (&str, &str),
    only: Option<UserId>,
) -> QueryResult<usize> {
    diesel::sql_query(
        "UPDATE audit_events SET \
           before = replace(before::text, to_jsonb($2::text)::text, to_jsonb($3::text)::text)::jsonb, \
           after = replace(after::text, to_jsonb($2::text)::text, to_jsonb($3::text)::text)::jsonb \
         WHERE tenant_id = $1 \
           AND ($4::bigint IS NULL OR actor_id = $4 OR (subject_type = 'user' AND subject_id = $4)) \
           AND (strpos(before::text, to_jsonb($2::text)::text) > 0 \
             OR strpos(after::text, to_jsonb($2::text)::text) > 0)",
    )
    .bind::<BigInt, _>(tenant.0)
    .bind::<Text, _>(from)
    .bind::<Text, _>(to)
    .bind::<diesel::sql_types::Nullable<BigInt>, _>(only.map(|u| u.0))
    .execute(conn)
}
