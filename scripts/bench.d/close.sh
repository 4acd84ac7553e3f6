# shellcheck shell=bash
# `scripts/bench close [EARN_SECONDS]`: sourced by scripts/bench (ROOT, PG_PORT and the
# cluster are set up there). On the scale tenant (challenges_db.sh), publishes a new
# challenge of every participant (about 100,000) through the services, fills its
# scores, then times `close::advance` from closed to awarded (freeze the ranks, then
# one award row, one ledger earn and one e-mail row per participant, in transactions
# of 500), in release. Baseline in the same run: earns/s through the ledger service
# on one connection, as the closer has (examples/ledger_bench.rs in the database
# relais_bench, as `scripts/bench ledger`), for EARN_SECONDS (default 10) before and
# after the close. Each run adds one awarded challenge (and its earns) to the tenant.

earn_seconds=${1:-10}
[[ $earn_seconds =~ ^[1-9][0-9]*$ ]] || usage

# shellcheck source=scripts/bench.d/challenges_db.sh
source "$ROOT/scripts/bench.d/challenges_db.sh"

LEDGER_BENCH="${CARGO_TARGET_DIR:-target}/release/examples/ledger_bench"
relais_pg_createdb "$PG_PORT" relais_bench
ledger_url=postgres://postgres@127.0.0.1:$PG_PORT/relais_bench
echo "==> ledger_bench setup (relais_bench)"
"$LEDGER_BENCH" setup --database-url "$ledger_url" >/dev/null

earn_rate() {
    local out
    out=$("$LEDGER_BENCH" run --database-url "$ledger_url" --workers 1 --seconds "$earn_seconds")
    echo "${out#tps=}"
}

load_before=$(uptime | sed 's/.*load average: //')
echo "==> baseline: earns through the ledger service, 1 connection, ${earn_seconds}s"
earn_before=$(earn_rate)
echo "    $earn_before earns/s"

echo "==> a new challenge (publish through the services, fill the scores), then close::advance"
vars=$("$BENCH" close --database-url "$DATABASE_URL" --slug "$slug")
echo "    $vars"
CHALLENGE='' AWARDED='' EARNS='' ELAPSED=''
eval "$vars"

echo "==> baseline again, ${earn_seconds}s"
earn_after=$(earn_rate)
echo "    $earn_after earns/s"
load_after=$(uptime | sed 's/.*load average: //')

earns=$(awk -v a="$earn_before" -v b="$earn_after" 'BEGIN { printf "%.1f", (a + b) / 2 }')
awards=$(awk -v n="$AWARDED" -v s="$ELAPSED" 'BEGIN { printf "%.1f", n / s }')
echo
printf 'closing challenge %s: %s participants awarded (%s with an earn), release build\n' \
    "$CHALLENGE" "$AWARDED" "$EARNS"
printf 'load average (1, 5, 15 min) before: %s, after: %s\n' "$load_before" "$load_after"
printf '  close::advance, closed -> awarded   %10.1f s  %10s awards/s\n' "$ELAPSED" "$awards"
printf '  ledger earn, 1 connection          %10s earns/s (before %s, after %s)\n' \
    "$earns" "$earn_before" "$earn_after"
awk -v a="$awards" -v e="$earns" 'BEGIN { printf "  ratio awards/s / earns/s           %10.2f\n", a / e }'
