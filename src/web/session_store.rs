//! Sessions kept on the server, in Postgres (`web_sessions`), so that several app
//! instances share them, logging out ends them for every copy of the cookie, and idle
//! and absolute timeouts hold whatever the browser does with its cookie.
//!
//! The cookie carries a random key (signed and encrypted by actix-session); the table
//! stores only its SHA-256, so a copy of the table opens no session.

use std::collections::HashMap;

use actix_session::storage::{LoadError, SaveError, SessionKey, SessionStore, UpdateError};
use actix_web::cookie::time::Duration as CookieDuration;
use chrono::{Duration, Utc};

use crate::db::{self, sessions, DbPool};
use crate::domain::{TenantId, UserId};

type State = HashMap<String, String>;

/// How long a session lives: without a request (idle) and at most (absolute).
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    pub idle: Duration,
    pub absolute: Duration,
}

#[derive(Clone)]
pub struct PgSessionStore {
    pool: DbPool,
    timeouts: Timeouts,
}

impl PgSessionStore {
    pub fn new(pool: DbPool, timeouts: Timeouts) -> Self {
        Self { pool, timeouts }
    }
}

fn new_key() -> Result<SessionKey, anyhow::Error> {
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    SessionKey::try_from(hex::encode(bytes)).map_err(|e| anyhow::anyhow!("session key: {e}"))
}

/// The user and tenant a session belongs to (written by `web::auth` at login), kept in
/// their own columns so that a user's sessions can be ended together.
fn owner(state: &State) -> (Option<TenantId>, Option<UserId>) {
    let read = |k: &str| state.get(k).and_then(|v| v.parse::<i64>().ok());
    (
        read(super::identify::SESSION_TENANT).map(TenantId),
        read(super::identify::SESSION_USER).map(UserId),
    )
}

fn to_json(state: &State) -> serde_json::Value {
    serde_json::Value::Object(
        state
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
            .collect(),
    )
}

fn from_json(value: serde_json::Value) -> State {
    match value {
        serde_json::Value::Object(map) => map
            .into_iter()
            .filter_map(|(k, v)| match v {
                serde_json::Value::String(s) => Some((k, s)),
                _ => None,
            })
            .collect(),
        _ => State::new(),
    }
}

impl PgSessionStore {
    async fn write(&self, key: &SessionKey, state: State) -> Result<(), anyhow::Error> {
        let id = sessions::digest(key.as_ref());
        let (tenant, user) = owner(&state);
        let json = to_json(&state);
        let timeouts = self.timeouts;
        db::run(&self.pool, move |conn| {
            sessions::upsert(
                conn,
                &sessions::Write {
                    id: &id,
                    state: &json,
                    tenant_id: tenant,
                    user_id: user,
                    now: Utc::now(),
                    idle: timeouts.idle,
                    absolute: timeouts.absolute,
                },
            )
        })
        .await
        .map_err(|e| anyhow::anyhow!("saving a session: {e}"))
    }
}

impl SessionStore for PgSessionStore {
    async fn load(&self, key: &SessionKey) -> Result<Option<State>, LoadError> {
        let id = sessions::digest(key.as_ref());
        let idle = self.timeouts.idle;
        let found = db::run(&self.pool, move |conn| {
            sessions::load_and_touch(conn, &id, Utc::now(), idle)
        })
        .await
        .map_err(|e| LoadError::Other(anyhow::anyhow!("loading a session: {e}")))?;
        Ok(found.map(from_json))
    }

    async fn save(&self, state: State, _ttl: &CookieDuration) -> Result<SessionKey, SaveError> {
        let key = new_key().map_err(SaveError::Other)?;
        self.write(&key, state).await.map_err(SaveError::Other)?;
        Ok(key)
    }

    async fn update(
        &self,
        key: SessionKey,
        state: State,
        _ttl: &CookieDuration,
    ) -> Result<SessionKey, UpdateError> {
        self.write(&key, state).await.map_err(UpdateError::Other)?;
        Ok(key)
    }

    async fn update_ttl(&self, _key: &SessionKey, _ttl: &CookieDuration) -> anyhow::Result<()> {
        // The idle deadline moves in `load`, at most once a minute.
        Ok(())
    }

    async fn delete(&self, key: &SessionKey) -> anyhow::Result<()> {
        let id = sessions::digest(key.as_ref());
        db::run(&self.pool, move |conn| sessions::delete(conn, &id))
            .await
            .map_err(|e| anyhow::anyhow!("deleting a session: {e}"))
    }
}
