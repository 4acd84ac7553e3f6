//! E-mail categories and the signed one-click unsubscribe token (pure: no I/O).
//!
//! Essential e-mails (account access, orders) always go. Every other e-mail belongs to a
//! category a participant may turn off, on their preferences page or with the link in
//! the e-mail (RFC 8058 one-click). The token of that link is
//! `v1.{tenant}.{user}.{category}.{mac}`, the MAC an HMAC-SHA256 of the rest under a key
//! derived from the server's secret: it proves the link was sent by us to that person,
//! so the link works without a session (a mail client posts it on its own).

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use super::{TenantId, UserId};

vocabulary!(
    /// What an e-mail is about, as a participant chooses what they receive.
    Category {
        Essential => "essential",
        Declarations => "declarations",
        Missions => "missions",
        Challenges => "challenges",
        Points => "points",
        MonthlySummary => "monthly_summary",
        Achievements => "achievements",
    }
);

impl Category {
    /// Whether a participant may turn it off.
    pub fn optional(self) -> bool {
        self != Category::Essential
    }

    /// The categories a participant chooses from, in the order shown.
    pub fn optional_ones() -> impl Iterator<Item = Category> {
        Category::ALL.iter().copied().filter(|c| c.optional())
    }

    /// The catalog key of its name (`notify-category-…`).
    pub fn label_key(self) -> String {
        format!("notify-category-{}", self.as_str().replace('_', "-"))
    }
}

/// The category of an e-mail template; `None` for a template unknown here, which a test
/// refuses for every template of `services::email::TEMPLATES`. The tier and badge e-mails
/// are named ahead of their templates.
pub fn category(template: &str) -> Option<Category> {
    use Category::*;
    Some(match template {
        "invitation" | "password_reset" => Essential,
        t if t.starts_with("order_") => Essential,
        "declaration_approved" | "declaration_rejected" => Declarations,
        "mission_photo_approved" | "mission_photo_rejected" => Missions,
        "challenge_launched" | "challenge_ending" | "challenge_results" => Challenges,
        "points_expiring" => Points,
        "monthly_summary" => MonthlySummary,
        "tier_changed" | "badge_earned" => Achievements,
        _ => return None,
    })
}

type HmacSha256 = Hmac<Sha256>;

/// What a valid token says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unsubscribe {
    pub tenant: TenantId,
    pub user: UserId,
    pub category: Category,
}

fn mac(secret: &[u8], payload: &str) -> HmacSha256 {
    // A key of its own for this purpose, derived from the server's secret: a MAC made
    // for another use of the secret can never pass for an unsubscribe token.
    let mut derive = keyed(secret);
    derive.update(b"relais unsubscribe v1");
    let mut mac = keyed(&derive.finalize().into_bytes());
    mac.update(payload.as_bytes());
    mac
}

fn keyed(key: &[u8]) -> HmacSha256 {
    match HmacSha256::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC takes a key of any length"),
    }
}

impl Unsubscribe {
    fn payload(&self) -> String {
        format!(
            "v1.{}.{}.{}",
            self.tenant,
            self.user,
            self.category.as_str()
        )
    }

    /// The token of the link (URL-safe: digits, letters, `.`, `_`, `-`).
    pub fn token(&self, secret: &[u8]) -> String {
        use base64::Engine;
        let payload = self.payload();
        let tag = mac(secret, &payload).finalize().into_bytes();
        format!(
            "{payload}.{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(tag)
        )
    }

    /// The token's content when its MAC is right (compared in constant time); `None` for
    /// anything malformed or tampered with.
    pub fn verify(secret: &[u8], token: &str) -> Option<Unsubscribe> {
        use base64::Engine;
        if token.len() > 200 {
            return None;
        }
        let (payload, tag) = token.rsplit_once('.')?;
        let mut parts = payload.split('.');
        let (Some("v1"), Some(tenant), Some(user), Some(category), None) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return None;
        };
        let tag = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(tag)
            .ok()?;
        mac(secret, payload).verify_slice(&tag).ok()?;
        let parsed = Unsubscribe {
            tenant: TenantId(tenant.parse().ok()?),
            user: UserId(user.parse().ok()?),
            category: Category::parse(category).filter(|c| c.optional())?,
        };
        // Only the canonical spelling (no "+1", "01", upper case) is ever signed.
        (parsed.payload() == payload).then_some(parsed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"a-secret-of-sixty-four-characters-or-more-for-the-tests-0123456";

    fn sample() -> Unsubscribe {
        Unsubscribe {
            tenant: TenantId(7),
            user: UserId(42),
            category: Category::MonthlySummary,
        }
    }

    #[test]
    fn a_token_verifies_and_says_who_and_what() {
        let token = sample().token(SECRET);
        assert!(token.starts_with("v1.7.42.monthly_summary."), "{token}");
        assert_eq!(Unsubscribe::verify(SECRET, &token), Some(sample()));
    }

    #[test]
    fn a_changed_user_tenant_category_or_secret_is_refused() {
        let token = sample().token(SECRET);
        let tag = token.rsplit_once('.').unwrap().1;
        for forged in [
            format!("v1.7.43.monthly_summary.{tag}"),
            format!("v1.8.42.monthly_summary.{tag}"),
            format!("v1.7.42.challenges.{tag}"),
            format!("v1.7.42.essential.{tag}"),
            format!("v1.7.042.monthly_summary.{tag}"),
            format!("{token}x"),
            token.replace("v1.", "v2."),
            String::new(),
            "v1.7.42".into(),
        ] {
            assert_eq!(Unsubscribe::verify(SECRET, &forged), None, "{forged}");
        }
        assert_eq!(
            Unsubscribe::verify(
                b"another-secret-of-sixty-four-characters-or-more-0123456789",
                &token
            ),
            None
        );
    }

    #[test]
    fn essential_emails_are_never_optional() {
        assert_eq!(category("invitation"), Some(Category::Essential));
        assert_eq!(category("order_shipped"), Some(Category::Essential));
        assert_eq!(category("monthly_summary"), Some(Category::MonthlySummary));
        assert_eq!(category("no_such_template"), None);
        assert!(Category::optional_ones().all(|c| c != Category::Essential));
    }
}
