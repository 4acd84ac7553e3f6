//! The brand's analytics of sell-through (sell-in against sell-out, implied stock, the
//! partners to animate) and of challenge results (participation, attainment,
//! incremental sell-out, points cost). Rules in `domain::analytics_roi`, sums in
//! `db::analytics_roi`.

pub mod challenges;
pub mod sell_through;
