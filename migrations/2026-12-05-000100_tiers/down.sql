DROP INDEX ledger_transactions_earned_idx;
DROP TABLE reward_min_tiers;
DROP TABLE participant_tiers;
DROP TABLE tiers;
DROP TABLE tier_settings;
