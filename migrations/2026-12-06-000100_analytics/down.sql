DROP INDEX mission_completions_completed_idx;
DROP INDEX ledger_transactions_created_idx;
DROP INDEX declarations_created_idx;
ALTER TABLE declarations DROP COLUMN reviewed_at;
DROP TABLE participant_activity_weekly;
DROP TABLE sellout_weekly;
