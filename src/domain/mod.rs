//! Pure rules and validated input types: no I/O, no diesel, no actix.

pub mod declarations;
pub mod ids;
pub mod ledger;
pub mod locale;
pub mod network;
pub mod role;
pub mod stock;
pub mod values;

pub use ids::{TenantId, UserId};
pub use ledger::Points;
pub use locale::Locale;
pub use role::Role;
pub use values::{DisplayName, EmailAddress, HexColor, Slug, TenantName};
