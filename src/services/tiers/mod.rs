//! Status tiers: the tenant's tiers and window (set by marketers and admins, audited), each
//! participant's tier recomputed when they earn (`ledger::earn` calls `on_earn` in its
//! transaction), when an earn is reversed, and by the daily job (points leave a rolling
//! window; a calendar year starts again), an admin's floor, and what tiers unlock. The
//! rules are in `domain::tiers`.

mod config;
mod floor;
mod progress;
mod recompute;
mod unlocks;

pub use config::{save_settings, settings, TierSettings, TiersInput, ROW_FIELDS};
pub use floor::{floor_page, set_floor, FloorInput, FloorPage};
pub use progress::{progress, Leaving, TierProgress, TierView};
pub use recompute::{on_earn, recompute_all, run_daily};
pub use unlocks::{
    declaration_multiplier, reward_lock, reward_locks, reward_tier_setting, rewards_by_rank,
    set_reward_min_tier, RewardTierSetting,
};
