DROP INDEX declarations_participant_status_idx;
DROP INDEX ledger_transactions_earned_by_day_idx;
ALTER TABLE ledger_transactions DROP CONSTRAINT ledger_transactions_cause_type_check;
ALTER TABLE ledger_transactions ADD CONSTRAINT ledger_transactions_cause_type_check
    CHECK (cause_type IN ('declaration', 'mission', 'challenge', 'redemption', 'manual'));
DROP TABLE badge_awards;
DROP TABLE badges;
