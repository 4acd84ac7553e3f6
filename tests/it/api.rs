//! The integration API: keys (page, command line), every endpoint against missing,
//! revoked, other tenants' and unscoped keys, sell-in and sell-out through the CSV and
//! form services, idempotent replays (sequential and concurrent), one error shape for
//! bad input, rate limit, cursor pages, the served OpenAPI document.

mod auth;
mod docs_browser;
mod idempotency;
mod input;
mod network;
mod orders;
pub mod progress;
mod readme;
mod sales;
pub mod support;
