//! Pure rules and validated input types: no I/O, no actix, and no diesel but the
//! derived column mapping of the ids.

pub mod contrast;
pub mod declarations;
pub mod ids;
pub mod ledger;
pub mod locale;
pub mod missions;
pub mod money;
pub mod network;
pub mod role;
pub mod stock;
pub mod time;
pub mod values;

pub use ids::{
    AccountId, AttemptId, AuditEventId, AuthTokenId, CompletionId, DecisionId, DeclarationId,
    HoldId, JobId, LotId, MissionId, OptionId, PartnerId, ProductId, QuestionId, SegmentId,
    SellInId, TenantId, TransactionId, UploadId, UserId,
};
pub use ledger::Points;
pub use locale::Locale;
pub use money::Currency;
pub use role::Role;
pub use time::Zone;
pub use values::{DisplayName, EmailAddress, HexColor, Slug, TenantName};
