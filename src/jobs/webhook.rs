//! Sends one webhook delivery: signed, with a short timeout, outside any transaction. A
//! 2xx is success; anything else (or no answer) fails the job, which the queue retries
//! with backoff; after the last attempt the delivery is marked failed.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;

use super::{Settled, Worker};
use crate::db::{self, jobs::Job};
use crate::domain::ids::WebhookDeliveryId;
use crate::domain::webhooks::{
    excerpt, signature_header, EVENT_ID_HEADER, EVENT_TYPE_HEADER, SIGNATURE_HEADER,
};
use crate::services::webhooks::send::{self, NotSent, Outgoing, Response};

/// The whole request, connection included.
pub const TIMEOUT: Duration = Duration::from_secs(10);
/// Characters of a response's body kept on the delivery.
const EXCERPT: usize = 300;
/// Bytes of a response's body read at most.
const READ_LIMIT: usize = 64 * 1024;

/// TLS for outgoing requests: rustls with ring and the webpki roots (no aws-lc-rs, no
/// system store to depend on).
pub fn tls_config() -> Result<Arc<rustls::ClientConfig>, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS configuration: {e}"))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

impl Worker {
    pub(super) async fn send_webhook(&self, job: &Job) -> Result<Settled, String> {
        let id: WebhookDeliveryId = serde_json::from_value(job.payload["delivery"].clone())
            .map_err(|e| format!("unreadable webhook job: {e}"))?;
        let tenant = job.tenant_id;
        let key = self.settings.security.secret_key.clone();
        let prepared = db::run(&self.pool, move |conn| {
            send::prepare(conn, tenant, key.as_bytes(), id)
        })
        .await
        .map_err(|e| e.to_string())?;
        let outgoing = match prepared {
            Ok(o) => o,
            Err(NotSent::Gone) => return Ok(Settled::Skipped("endpoint deleted".into())),
            Err(NotSent::Disabled) => return Ok(Settled::Skipped("endpoint disabled".into())),
        };
        let response = self.post(&outgoing).await;
        let last = job.attempts >= job.max_attempts;
        let r = response.clone();
        db::run(&self.pool, move |conn| {
            send::record(conn, tenant, id, &r, last, Utc::now())
        })
        .await
        .map_err(|e| e.to_string())?;
        if response.succeeded() {
            Ok(Settled::Done)
        } else {
            Err(match response.code {
                Some(code) => format!("webhook answered HTTP {code}"),
                None => format!("webhook not reached: {}", response.text),
            })
        }
    }

    async fn post(&self, o: &Outgoing) -> Response {
        let client = awc::Client::builder()
            .connector(awc::Connector::new().rustls_0_23(self.tls.clone()))
            .timeout(TIMEOUT)
            .disable_redirects()
            .finish();
        let timestamp = Utc::now().timestamp();
        let sent = client
            .post(&o.url)
            .insert_header(("Content-Type", "application/json"))
            .insert_header(("User-Agent", "Relais-Webhooks/1"))
            .insert_header((
                SIGNATURE_HEADER,
                signature_header(&o.secret, timestamp, &o.body),
            ))
            .insert_header((EVENT_ID_HEADER, o.event_id.as_str()))
            .insert_header((EVENT_TYPE_HEADER, o.event_type.as_str()))
            .send_body(o.body.clone())
            .await;
        match sent {
            Ok(mut res) => {
                let code = res.status().as_u16();
                let text = match res.body().limit(READ_LIMIT).await {
                    Ok(bytes) => excerpt(&String::from_utf8_lossy(&bytes), EXCERPT),
                    Err(_) => String::new(),
                };
                Response {
                    code: Some(code),
                    text,
                }
            }
            Err(e) => Response {
                code: None,
                text: excerpt(&e.to_string(), EXCERPT),
            },
        }
    }
}
