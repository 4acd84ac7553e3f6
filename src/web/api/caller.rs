//! Who calls the API: the tenant of the host (found by `identify`, as for pages) and
//! one of its unrevoked keys sent as `Authorization: Bearer`; and the per-key rate limit.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::Instant;

use actix_web::dev::Payload;
use actix_web::http::{header, StatusCode};
use actix_web::{web, FromRequest, HttpRequest};
use chrono::Utc;

use super::error::ApiError;
use crate::config::ApiSettings;
use crate::db::api_keys::ApiKey;
use crate::db::tenants::Tenant;
use crate::domain::{ApiKeyId, TenantId};
use crate::services::api_keys;
use crate::services::audit::Actor;
use crate::startup::AppState;
use crate::web::identify::tenant_of;

pub struct Caller {
    pub tenant: Tenant,
    pub key: ApiKey,
}

impl Caller {
    pub fn tenant_id(&self) -> TenantId {
        self.tenant.tenant_id()
    }

    /// 403 unless the key has `scope`.
    pub fn require(&self, scope: &str) -> Result<(), ApiError> {
        if self.key.scopes.iter().any(|s| s == scope) {
            Ok(())
        } else {
            Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "insufficient_scope",
                format!("This API key lacks the `{scope}` scope."),
            ))
        }
    }

    /// Who the audit log says acted.
    pub fn actor(&self) -> Actor {
        Actor::system("api")
    }
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let tenant = tenant_of(req);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let secret = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|h| h.to_str().ok())
            .and_then(|h| h.strip_prefix("Bearer "))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty() && s.len() <= 200);
        Box::pin(async move {
            let tenant = tenant.ok_or_else(ApiError::not_found)?;
            let state = state.ok_or_else(|| ApiError::internal("no app state"))?;
            let secret = secret.ok_or_else(ApiError::unauthorized)?;
            let tid = tenant.tenant_id();
            let key = crate::db::run(&state.pool, move |conn| {
                api_keys::authenticate(conn, tid, &secret, Utc::now())
            })
            .await?
            .ok_or_else(ApiError::unauthorized)?;
            state.api_limiter.check(tid, key.id)?;
            Ok(Caller { tenant, key })
        })
    }
}

/// A token bucket per key, in this instance's memory: with several instances behind a
/// load balancer, each allows the configured pace (the limit protects each instance).
pub struct RateLimiter {
    per_second: f64,
    burst: f64,
    buckets: Mutex<HashMap<(TenantId, ApiKeyId), (f64, Instant)>>,
}

impl RateLimiter {
    pub fn new(settings: &ApiSettings) -> Self {
        RateLimiter {
            per_second: f64::from(settings.requests_per_minute.max(1)) / 60.0,
            burst: f64::from(settings.burst.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one request from the key's bucket, or says how long to wait (429).
    pub fn check(&self, tenant: TenantId, key: ApiKeyId) -> Result<(), ApiError> {
        let now = Instant::now();
        // A panic elsewhere cannot leave the counts inconsistent: take them as they are.
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() > 100_000 {
            // Forget idle keys (full buckets) rather than grow without bound.
            let (burst, rate) = (self.burst, self.per_second);
            buckets.retain(|_, (tokens, at)| {
                *tokens + now.duration_since(*at).as_secs_f64() * rate < burst
            });
        }
        let (tokens, at) = buckets.entry((tenant, key)).or_insert((self.burst, now));
        *tokens =
            (*tokens + now.duration_since(*at).as_secs_f64() * self.per_second).min(self.burst);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            return Ok(());
        }
        let wait = ((1.0 - *tokens) / self.per_second).ceil().max(1.0) as u64;
        let mut e = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            format!("Too many requests with this key; retry in {wait} s."),
        );
        e.retry_after = Some(wait);
        Err(e)
    }
}
