//! Sell-out declarations end to end: the participant's form with every kind of bad
//! input, review and points, flags and auto-approval, tenant isolation, concurrent
//! approvals on real connections, bulk CSV declarations.

mod imports;
mod portal;
mod review;
pub mod support;
