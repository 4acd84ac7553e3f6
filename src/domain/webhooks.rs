//! Outgoing webhooks, the pure part: the events an endpoint may subscribe to, the
//! endpoint's URL rules and the signature of a delivery (Stripe style: HMAC-SHA256 over
//! `"{timestamp}.{body}"`, sent as `Relais-Signature: t={timestamp},v1={hex}`).

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::values::ErrorKey;

/// The header carrying the signature.
pub const SIGNATURE_HEADER: &str = "Relais-Signature";
/// The header carrying the event's id (the same on every re-send: deduplicate on it).
pub const EVENT_ID_HEADER: &str = "Relais-Event-Id";
/// The header carrying the event's type.
pub const EVENT_TYPE_HEADER: &str = "Relais-Event-Type";

/// The longest URL accepted.
pub const MAX_URL: usize = 2000;
/// The longest description accepted.
pub const MAX_DESCRIPTION: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventType {
    DeclarationDecided,
    OrderStatusChanged,
    ChallengeAwarded,
    MissionCompleted,
}

impl EventType {
    pub const ALL: [EventType; 4] = [
        EventType::DeclarationDecided,
        EventType::OrderStatusChanged,
        EventType::ChallengeAwarded,
        EventType::MissionCompleted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventType::DeclarationDecided => "declaration.decided",
            EventType::OrderStatusChanged => "order.status_changed",
            EventType::ChallengeAwarded => "challenge.awarded",
            EventType::MissionCompleted => "mission.completed",
        }
    }

    pub fn parse(s: &str) -> Option<EventType> {
        Self::ALL.into_iter().find(|e| e.as_str() == s)
    }
}

/// An endpoint's URL, checked: absolute `https` (or `http` where `allow_http`, i.e.
/// development and test), a host, no credentials, no spaces.
pub fn check_url(input: &str, allow_http: bool) -> Result<String, ErrorKey> {
    let url = input.trim();
    if url.is_empty() {
        return Err("error-required");
    }
    if url.chars().count() > MAX_URL {
        return Err("error-too-long");
    }
    let lower = url.to_ascii_lowercase();
    let rest = if let Some(rest) = lower.strip_prefix("https://") {
        rest
    } else if let Some(rest) = lower.strip_prefix("http://") {
        if !allow_http {
            return Err("error-webhook-url-https");
        }
        rest
    } else {
        return Err("error-webhook-url-invalid");
    };
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) || !url.is_ascii() {
        return Err("error-webhook-url-invalid");
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.contains('@') {
        return Err("error-webhook-url-invalid");
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || authority.starts_with('[') => (h, Some(p)),
        _ => (authority, None),
    };
    let host_ok = if let Some(v6) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        !v6.is_empty()
            && v6
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
    } else {
        !host.is_empty()
            && !host.starts_with(['.', '-'])
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
    };
    let port_ok = port.is_none_or(|p| p.parse::<u16>().is_ok_and(|n| n > 0));
    if !host_ok || !port_ok {
        return Err("error-webhook-url-invalid");
    }
    Ok(url.to_string())
}

/// The hexadecimal HMAC-SHA256 of `"{timestamp}.{body}"` keyed with the secret's bytes.
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// The value of the signature header.
pub fn signature_header(secret: &str, timestamp: i64, body: &str) -> String {
    format!("t={timestamp},v1={}", signature(secret, timestamp, body))
}

/// An endpoint's signing secret: derived from the server's key, the endpoint and a random
/// salt kept in the database (so the database alone cannot sign), shown to the admin.
pub fn derive_secret(server_key: &[u8], tenant: i64, endpoint: i64, salt: &str) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(server_key)
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(format!("relais-webhook-secret:{tenant}:{endpoint}:{salt}").as_bytes());
    format!("whsec_{}", hex::encode(mac.finalize().into_bytes()))
}

/// The start of a response's body, as kept on a delivery: at most `max` characters,
/// control characters replaced.
pub fn excerpt(body: &str, max: usize) -> String {
    body.chars()
        .take(max)
        .map(|c| if c.is_control() && c != '\n' { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_absolute_http_or_https() {
        assert_eq!(
            check_url(" https://erp.example.com/hooks ", false),
            Ok("https://erp.example.com/hooks".into())
        );
        assert!(check_url("https://127.0.0.1:8443/in?x=1", false).is_ok());
        assert!(check_url("https://[::1]:8443/in", false).is_ok());
        assert_eq!(
            check_url("http://erp.example.com/", false),
            Err("error-webhook-url-https")
        );
        assert!(check_url("http://localhost:3000/", true).is_ok());
        for bad in [
            "erp.example.com/hooks",
            "/hooks",
            "ftp://x.example",
            "https://",
            "https:///x",
            "https://user:pw@x.example/",
            "https://x.example:0/",
            "https://x.example:99999/",
            "https://x .example/",
            "javascript:alert(1)",
            "https://ex\u{e9}.example/",
        ] {
            assert!(check_url(bad, true).is_err(), "{bad}");
        }
        assert_eq!(check_url("", true), Err("error-required"));
    }

    #[test]
    fn the_signature_is_the_hmac_of_timestamp_dot_body() {
        // echo -n '1700000000.{"a":1}' | openssl dgst -sha256 -hmac whsec_test
        let s = signature("whsec_test", 1_700_000_000, r#"{"a":1}"#);
        assert_eq!(s.len(), 64);
        assert_eq!(
            signature_header("whsec_test", 1_700_000_000, r#"{"a":1}"#),
            format!("t=1700000000,v1={s}")
        );
        assert_ne!(s, signature("whsec_test", 1_700_000_001, r#"{"a":1}"#));
    }

    #[test]
    fn secrets_differ_by_endpoint_and_salt() {
        let a = derive_secret(b"k", 1, 1, "salt-a");
        assert!(a.starts_with("whsec_"));
        assert_ne!(a, derive_secret(b"k", 1, 2, "salt-a"));
        assert_ne!(a, derive_secret(b"k", 1, 1, "salt-b"));
        assert_ne!(a, derive_secret(b"other", 1, 1, "salt-a"));
    }
}
