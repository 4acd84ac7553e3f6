//! Pure rules and validated input types: no I/O, no actix, and no diesel but the
//! derived column mapping of the ids.

/// A closed set of words stored as text: the enum, `ALL`, `as_str` and `parse` (trimmed,
/// any case). Declared before the modules so that each of them can use it.
macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(s: &str) -> Option<Self> {
                let s = s.trim();
                Self::ALL.iter().copied().find(|v| v.as_str().eq_ignore_ascii_case(s))
            }
        }
    };
}

pub mod analytics_roi;
pub mod badges;
pub mod challenges;
pub mod contrast;
pub mod declarations;
pub mod ids;
pub mod ledger;
pub mod locale;
pub mod missions;
pub mod money;
pub mod network;
pub mod news;
pub mod notifications;
pub mod profile;
pub mod rewards;
pub mod role;
pub mod stock;
pub mod tiers;
pub mod time;
pub mod values;
pub mod webhooks;

pub use ids::{
    AccountId, ApiKeyId, AttemptId, AuditEventId, AuthTokenId, ChallengeId, CompletionId,
    DecisionId, DeclarationId, HoldId, JobId, LotId, MediaId, MissionId, OptionId, OrderId,
    OrderLineId, PartnerId, ProductId, QuestionId, RewardId, SegmentId, SellInId, TenantId,
    TransactionId, UploadId, UserId, WatchId,
};
pub use ledger::Points;
pub use locale::Locale;
pub use money::Currency;
pub use role::Role;
pub use time::Zone;
pub use values::{DisplayName, EmailAddress, HexColor, Slug, TenantName};
