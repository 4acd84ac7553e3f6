#!/usr/bin/env bash
# scripts/bench login [LOGINS] [CONCURRENCY]
#   LOGINS distinct users (default 200) log in at CONCURRENCY at once (default 100)
#   against `relais serve` (release build, durable private dev cluster). Reports the
#   server's resident memory before, at its peak and after, the logins' p50/p99 and 5xx
#   count, beside a baseline measured in the same run: the same number of requests to
#   the login page (no password hashing) at the same concurrency.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
cd "$ROOT"
logins=${1:-200}
concurrency=${2:-100}
PORT=${RELAIS_BENCH_PORT:-18181}

PG_PORT=${RELAIS_DEV_PG_PORT:-54329}
# shellcheck source=scripts/lib/pg.sh
source "$ROOT/scripts/lib/pg.sh"
relais_pg_up dev "$PG_PORT"
cleanup() {
    [[ -n ${SERVER:-} ]] && kill -TERM "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null
    if [[ $RELAIS_PG_STARTED == 1 ]]; then relais_pg_down dev; fi
}
trap cleanup EXIT
"$RELAIS_PG_BIN/dropdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres --if-exists relais_bench_login
relais_pg_createdb "$PG_PORT" relais_bench_login
export DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/relais_bench_login
export RELAIS_ENV=development RELAIS__SERVER__PORT=$PORT RELAIS__JOBS__RUN_IN_SERVE=false

# RELAIS_BENCH_PROFILE=debug measures the debug build (Argon2 is optimised in both).
profile=${RELAIS_BENCH_PROFILE:-release}
echo "==> cargo build --profile $profile --bin relais"
if [[ $profile == debug ]]; then
    cargo build --quiet --bin relais
else
    cargo build --release --quiet --bin relais
fi
BIN="${CARGO_TARGET_DIR:-target}/$profile/relais"
"$BIN" migrate >/dev/null
"$BIN" create-tenant --slug bench --name Bench --admin-email admin@bench.example \
    --admin-name Admin --admin-password bench-password-2026 >/dev/null
# Distinct accounts, as real logins are (one shared hash: the same work per check).
"$RELAIS_PG_BIN/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres relais_bench_login -c "
    INSERT INTO users (tenant_id, email, display_name, role, password_hash)
    SELECT tenant_id, 'user' || g || '@bench.example', 'User ' || g, 'participant', password_hash
    FROM users, generate_series(1, $logins) g WHERE email = 'admin@bench.example'"

"$BIN" serve >/dev/null 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break
    sleep 0.1
done
python3 "$ROOT/scripts/bench.d/login.py" --pid "$SERVER" --port "$PORT" \
    --host "bench.localhost:$PORT" --logins "$logins" --concurrency "$concurrency" \
    --password bench-password-2026
