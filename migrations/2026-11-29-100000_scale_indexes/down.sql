DROP INDEX ledger_lots_expiring_idx;
DROP INDEX users_list_idx;
