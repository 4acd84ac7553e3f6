//! The points ledger through its service, against real Postgres: behaviour, concurrency
//! with real connections on threads, expiry, and random operation sequences checked
//! against an in-memory model.

mod common;

#[path = "ledger/basics.rs"]
mod basics;
#[path = "ledger/concurrency.rs"]
mod concurrency;
#[path = "ledger/expiry.rs"]
mod expiry;
#[path = "ledger/model.rs"]
mod model;
#[path = "ledger/properties.rs"]
mod properties;
#[path = "ledger/scale.rs"]
mod scale;
#[path = "ledger/support.rs"]
mod support;
