//! Sell-out declarations end to end: the participant's form with every kind of bad
//! input, review and points, flags and auto-approval, tenant isolation, concurrent
//! approvals on real connections, bulk CSV declarations.

mod common;

#[path = "declarations/imports.rs"]
mod imports;
#[path = "declarations/portal.rs"]
mod portal;
#[path = "declarations/review.rs"]
mod review;
#[path = "declarations/support.rs"]
mod support;
