# shellcheck shell=bash
# `scripts/bench redeem [STOCK] [SECONDS]`: sourced by scripts/bench (ROOT, PG_PORT and
# the cluster are set up there). In a fresh database relais_bench_redeem: 800
# participants with plenty of points and one popular reward with STOCK units (5,000).
# 16 connections redeem it through services::rewards::redeem::redeem until its stock is
# gone (examples/redeem_bench.rs); then pgbench runs the same SQL (redeem.sql) with 16
# clients for SECONDS (10) on a second reward whose stock it cannot exhaust. Prints
# both rates, the ratio, and the orders made, which must equal the stock.

redeem_stock=${1:-5000}
redeem_seconds=${2:-10}
[[ $redeem_stock =~ ^[1-9][0-9]*$ && $redeem_seconds =~ ^[1-9][0-9]*$ ]] || usage
db=relais_bench_redeem

echo "==> cargo build --release --example redeem_bench"
cargo build --release --quiet --example redeem_bench
BENCH="${CARGO_TARGET_DIR:-target}/release/examples/redeem_bench"
url="postgres://postgres@127.0.0.1:$PG_PORT/$db"

"$RELAIS_PG_BIN/dropdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres --if-exists "$db"
relais_pg_createdb "$PG_PORT" "$db"
echo "==> setup: 800 participants, a reward with $redeem_stock units"
TENANT='' FIRST_UID='' NUSERS='' REWARD='' PG_REWARD='' STOCK=''
eval "$("$BENCH" setup --database-url "$url" --stock "$redeem_stock")"
load_before=$(uptime | sed 's/.*load average: //')

echo "==> the service, 16 connections, until the stock is gone"
RATE='' MADE='' ORDERS='' LEFT='' ELAPSED=''
eval "$("$BENCH" run --database-url "$url" --workers 16)"

echo "==> pgbench, the same SQL, 16 clients for ${redeem_seconds}s"
pgbench_out=$("$RELAIS_PG_BIN/pgbench" -n -M prepared -c 16 -j 16 -T "$redeem_seconds" \
    -f "$ROOT/scripts/bench.d/redeem.sql" \
    -D tenant="$TENANT" -D first_uid="$FIRST_UID" -D nusers="$NUSERS" -D reward="$PG_REWARD" \
    -h 127.0.0.1 -p "$PG_PORT" -U postgres "$db")
baseline=$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time)$/\1/p' <<<"$pgbench_out")
if [[ -z $baseline ]]; then
    echo "$pgbench_out" >&2
    echo "error: could not read pgbench's tps" >&2
    exit 1
fi
failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' <<<"$pgbench_out")
load_after=$(uptime | sed 's/.*load average: //')

echo
printf 'redemptions of one reward, 16 connections, release build, durable commits\n'
printf 'load average (1, 5, 15 min) before: %s, after: %s\n' "$load_before" "$load_after"
printf '  service (services::rewards::redeem)  %10.1f redemptions/s (%s in %ss)\n' "$RATE" "$MADE" "$ELAPSED"
printf '  pgbench (same SQL, prepared)         %10.1f tps (%s failed)\n' "$baseline" "${failed:-0}"
awk -v s="$RATE" -v b="$baseline" 'BEGIN { printf "  ratio service / pgbench             %10.2f\n", s / b }'
printf '  orders made %s, stock was %s, left %s' "$ORDERS" "$STOCK" "$LEFT"
if [[ $ORDERS == "$STOCK" && $LEFT == 0 ]]; then
    printf '  (exact)\n'
else
    printf '  (WRONG: the orders must equal the stock)\n'
    exit 1
fi
