# shellcheck shell=bash
# `scripts/bench api [DECLARATIONS]`: sourced by scripts/bench (ROOT, PG_PORT and the
# cluster are set up there). In a fresh database relais_bench_api, two tenants alike
# (50 partners, 400 participants, 2 products): DECLARATIONS two-line declarations created
# by calling services::integration::declare (what the API calls) on 16 connections, then
# the same number through POST /api/v1/sell-out/declarations by 16 HTTP clients against
# the app in the same process; then one 10,000-line POST /api/v1/sell-in
# (examples/api_bench.rs). Goal: API / service >= 0.5.
# RELAIS_BENCH_PROFILE=debug runs an unoptimised build (a smoke run, not for figures).

api_n=${1:-2000}
[[ $api_n =~ ^[1-9][0-9]*$ ]] || usage
db=relais_bench_api
if [[ ${RELAIS_BENCH_PROFILE:-release} == debug ]]; then profile=() dir=debug; else profile=(--release) dir=release; fi
echo "==> cargo build ${profile[*]} --example api_bench"
cargo build "${profile[@]}" --quiet --example api_bench
BENCH="${CARGO_TARGET_DIR:-target}/$dir/examples/api_bench"

"$RELAIS_PG_BIN/dropdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres --if-exists "$db"
relais_pg_createdb "$PG_PORT" "$db"
load_before=$(uptime | sed 's/.*load average: //')
echo "==> $api_n declarations through the service, then through the API, 16 clients"
out=$(RELAIS_ENV=test "$BENCH" --database-url "postgres://postgres@127.0.0.1:$PG_PORT/$db" \
    --declarations "$api_n" --clients 16)
load_after=$(uptime | sed 's/.*load average: //')
SERVICE='' API='' RATIO='' SELL_IN_MS=''
eval "$out"
echo
printf 'sell-out declarations, %s per side, 16 connections / clients, %s build, durable commits\n' \
    "$api_n" "${RELAIS_BENCH_PROFILE:-release}"
printf 'load average (1, 5, 15 min) before: %s, after: %s\n' "$load_before" "$load_after"
printf '  service (integration::declare)   %8s declarations/s\n' "$SERVICE"
printf '  API (POST, JSON, key, idem.)     %8s requests/s\n' "$API"
printf '  ratio API / service              %8s  (goal >= 0.50)\n' "$RATIO"
printf '  one 10,000-line sell-in batch    %8s ms\n' "$SELL_IN_MS"
