# shellcheck shell=bash
# `scripts/bench approve [DECLARATIONS] [ROUNDS]`: sourced by scripts/bench (ROOT,
# PG_PORT and the cluster are set up there). In a fresh database relais_bench_approve,
# two tenants alike (100 partners, 1,000 participants, 20 products), one with an
# active challenge of every participant covering the declarations' sale dates, one
# without; each round submits DECLARATIONS declarations in each (SQL) and approves them
# through services::declarations::approve with 8 connections, the two tenants in
# alternating order, after a warm-up round (examples/challenge_bench.rs). Prints
# approvals/s of each and the ratio. Goal: ratio >= 0.8.

approve_n=${1:-2000}
approve_rounds=${2:-3}
[[ $approve_n =~ ^[1-9][0-9]*$ && $approve_rounds =~ ^[1-9][0-9]*$ ]] || usage
db=relais_bench_approve

echo "==> cargo build --release --example challenge_bench"
cargo build --release --quiet --example challenge_bench
BENCH="${CARGO_TARGET_DIR:-target}/release/examples/challenge_bench"

"$RELAIS_PG_BIN/dropdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres --if-exists "$db"
relais_pg_createdb "$PG_PORT" "$db"
load_before=$(uptime | sed 's/.*load average: //')
echo "==> approvals, $approve_rounds rounds of $approve_n declarations per tenant, 8 connections"
out=$("$BENCH" approve --database-url "postgres://postgres@127.0.0.1:$PG_PORT/$db" \
    --declarations "$approve_n" --rounds "$approve_rounds" --workers 8)
load_after=$(uptime | sed 's/.*load average: //')
WITH='' NONE='' RATIO=''
eval "$out"
echo
printf 'approvals through services::declarations::approve, %s x %s per tenant, 8 connections,\n' \
    "$approve_rounds" "$approve_n"
printf 'release build, durable commits (mean of the rounds)\n'
printf 'load average (1, 5, 15 min) before: %s, after: %s\n' "$load_before" "$load_after"
printf '  with an active challenge   %10s approvals/s\n' "$WITH"
printf '  without challenges         %10s approvals/s\n' "$NONE"
printf '  ratio with / without       %10s  (goal >= 0.80)\n' "$RATIO"
