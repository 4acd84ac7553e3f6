//! API keys: created by an admin (or the operator's command line) with a name and
//! scopes, shown once, stored as the SHA-256 of the secret, revocable. Also the
//! idempotency of API writes (`idempotent`).
//!
//! Why SHA-256 and not argon2: the secret is 32 random bytes (256 bits), so no dictionary
//! or brute force applies to its hash, and every API request must be checked without a
//! deliberately slow hash (argon2 here costs tens of milliseconds of CPU per call).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use super::audit::{self, Actor, Change};
use super::{FieldErrors, ServiceError};
use crate::db::api_keys::{self as rows, ApiKey, NewApiKey};
use crate::domain::{ApiKeyId, TenantId};

/// What a key may do; `read` covers every GET.
pub const SCOPES: &[&str] = &["read", "sell-in", "sell-out", "network", "fulfilment"];

/// Secrets start with this, so that a leaked one is recognisable (secret scanners).
const SECRET_PREFIX: &str = "rls_";

/// How long a response stays replayable by its idempotency key (at least 24 hours).
pub const KEEP_RESPONSES: chrono::Duration = chrono::Duration::hours(48);

/// A key just created, with its secret (shown this once).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Created {
    pub key: ApiKey,
    pub secret: String,
}

#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct KeyInput {
    pub name: String,
    pub scopes: Vec<String>,
}

pub fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

fn validate(input: &KeyInput) -> Result<(String, Vec<String>), FieldErrors> {
    let mut errors = FieldErrors::new();
    let name = input.name.trim().to_string();
    if name.is_empty() {
        errors.insert("name", "error-required");
    } else if name.chars().count() > 100 || name.chars().any(char::is_control) {
        errors.insert("name", "error-api-key-name-invalid");
    }
    let mut scopes: Vec<String> = vec![];
    for s in &input.scopes {
        match SCOPES.iter().find(|k| **k == s.trim()) {
            Some(k) if !scopes.iter().any(|x| x == k) => scopes.push(k.to_string()),
            Some(_) => {}
            None => {
                errors.insert("scopes", "error-api-key-scope-unknown");
            }
        }
    }
    if scopes.is_empty() && !errors.contains_key("scopes") {
        errors.insert("scopes", "error-api-key-scope-required");
    }
    if errors.is_empty() {
        Ok((name, scopes))
    } else {
        Err(errors)
    }
}

pub fn create(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    input: &KeyInput,
    now: DateTime<Utc>,
) -> Result<Created, ServiceError> {
    let (name, scopes) = validate(input).map_err(ServiceError::Invalid)?;
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    let secret = format!("{SECRET_PREFIX}{}", hex::encode(bytes));
    let prefix: String = secret.chars().take(12).collect();
    conn.transaction(|conn| {
        let key = rows::insert(
            conn,
            &NewApiKey {
                tenant_id: tenant,
                name: &name,
                prefix: &prefix,
                secret_sha256: &hash(&secret),
                scopes: &scopes,
                created_by: actor.id,
                created_at: now,
            },
        )?;
        let change = Change::new("api_key.created", "api_key", Some(key.id.0))
            .after(&serde_json::json!({ "name": name, "scopes": scopes, "prefix": prefix }));
        audit::record(conn, tenant, actor, change)?;
        Ok(Created { key, secret })
    })
}

pub fn list(conn: &mut PgConnection, tenant: TenantId) -> Result<Vec<ApiKey>, ServiceError> {
    Ok(rows::list(conn, tenant)?)
}

pub fn revoke(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    id: ApiKeyId,
    now: DateTime<Utc>,
) -> Result<ApiKey, ServiceError> {
    conn.transaction(|conn| {
        let key = rows::revoke(conn, tenant, id, now)?.ok_or(ServiceError::NotFound)?;
        let change = Change::new("api_key.revoked", "api_key", Some(id.0))
            .before(&serde_json::json!({ "name": key.name, "prefix": key.prefix }));
        audit::record(conn, tenant, actor, change)?;
        Ok(key)
    })
}

/// The unrevoked key of `tenant` with this secret, its use recorded; `None` otherwise.
pub fn authenticate(
    conn: &mut PgConnection,
    tenant: TenantId,
    secret: &str,
    now: DateTime<Utc>,
) -> Result<Option<ApiKey>, ServiceError> {
    let Some(key) = rows::find_active_by_hash(conn, tenant, &hash(secret))? else {
        return Ok(None);
    };
    rows::touch(conn, tenant, key.id, now)?;
    Ok(Some(key))
}

/// Forgets the tenant's kept responses past `KEEP_RESPONSES` (the daily job).
pub fn forget_responses(
    conn: &mut PgConnection,
    tenant: TenantId,
    now: DateTime<Utc>,
) -> Result<usize, ServiceError> {
    Ok(rows::forget_before(conn, tenant, now - KEEP_RESPONSES)?)
}

/// A POST's idempotency: who sent it, under which key, and the hash of what was sent.
#[derive(Debug, Clone)]
pub struct Idempotency {
    pub api_key: ApiKeyId,
    pub key: String,
    pub request_sha256: String,
}

/// The outcome of an idempotent write: the status and body to answer.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub body: serde_json::Value,
    /// A replay of the first response.
    pub replayed: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum IdempotentError<E> {
    /// The key was used before with another request.
    #[error("the idempotency key was used with another request")]
    Mismatch,
    #[error(transparent)]
    Effect(E),
}

impl<E> From<diesel::result::Error> for IdempotentError<E>
where
    E: From<diesel::result::Error>,
{
    fn from(e: diesel::result::Error) -> Self {
        IdempotentError::Effect(E::from(e))
    }
}

/// Runs `effect` once per idempotency key: the key is claimed in the same transaction
/// as the effect, so a concurrent retry waits on the unique index, then replays what
/// the first stored. A refused or failed effect rolls back with its claim: the request
/// may be sent again (corrected) under the same key.
pub fn idempotent<E, F>(
    conn: &mut PgConnection,
    tenant: TenantId,
    idem: Option<&Idempotency>,
    now: DateTime<Utc>,
    effect: F,
) -> Result<Answer, IdempotentError<E>>
where
    E: From<diesel::result::Error>,
    F: FnOnce(&mut PgConnection) -> Result<(u16, serde_json::Value), E>,
{
    let Some(idem) = idem else {
        let (status, body) = effect(conn).map_err(IdempotentError::Effect)?;
        return Ok(Answer {
            status,
            body,
            replayed: false,
        });
    };
    conn.transaction(|conn| {
        let first = rows::claim(
            conn,
            tenant,
            idem.api_key,
            &idem.key,
            &idem.request_sha256,
            now,
        )?;
        if !first {
            let kept = rows::kept(conn, tenant, idem.api_key, &idem.key)?;
            if kept.request_sha256 != idem.request_sha256 {
                return Err(IdempotentError::Mismatch);
            }
            return Ok(Answer {
                status: u16::try_from(kept.status).unwrap_or(200),
                body: kept.body,
                replayed: true,
            });
        }
        let (status, body) = effect(conn).map_err(IdempotentError::Effect)?;
        let code = i16::try_from(status).unwrap_or(200);
        rows::keep(conn, tenant, idem.api_key, &idem.key, code, &body)?;
        Ok(Answer {
            status,
            body,
            replayed: false,
        })
    })
}

/// The demo's keys (once): an ERP connector in use and a CRM sync revoked. Their secrets
/// are not kept: an admin creates a key of their own to try the API.
pub fn seed_demo(conn: &mut PgConnection, tenant: TenantId) -> Result<(), ServiceError> {
    if !rows::list(conn, tenant)?.is_empty() {
        return Ok(());
    }
    let actor = Actor::system("seed-demo");
    let now = Utc::now();
    let erp = KeyInput {
        name: "SAP S/4HANA sell-in feed".into(),
        scopes: vec!["read".into(), "sell-in".into(), "network".into()],
    };
    let created = create(conn, tenant, &actor, &erp, now - chrono::Duration::days(40))?;
    rows::touch(
        conn,
        tenant,
        created.key.id,
        now - chrono::Duration::hours(3),
    )?;
    let crm = KeyInput {
        name: "Old CRM sync".into(),
        scopes: vec!["read".into()],
    };
    let old = create(
        conn,
        tenant,
        &actor,
        &crm,
        now - chrono::Duration::days(200),
    )?;
    revoke(
        conn,
        tenant,
        &actor,
        old.key.id,
        now - chrono::Duration::days(30),
    )?;
    Ok(())
}
