//! The points ledger through its service, against real Postgres: behaviour, concurrency
//! with real connections on threads, expiry, and random operation sequences checked
//! against an in-memory model.

mod basics;
mod concurrency;
mod expiry;
mod model;
mod properties;
mod scale;
mod support;
