# shellcheck shell=bash
# Sourced by scripts/bench.d/{leaderboard,close}.sh (ROOT, PG_PORT and the cluster are
# set up by scripts/bench): builds `relais` and the examples `challenge_bench` and
# `ledger_bench` in release (one cargo invocation), then makes sure the database
# `relais_bench_challenges` holds the scale tenant with CHALLENGE_PARTICIPANTS
# participants and CHALLENGE_LINES declaration lines (seeded once with `relais
# seed-scale`, reused by later runs). Sets BIN, BENCH, db, slug, password and
# DATABASE_URL.

slug=${RELAIS_BENCH_SLUG:-scale}
password=scale-demo-2026
db=relais_bench_challenges
# 1 % of the seeded partners are inactive and their participants are not enrolled:
# 101,000 participants make a challenge of about 100,000.
participants=${CHALLENGE_PARTICIPANTS:-101000}
lines=${CHALLENGE_LINES:-2000000}

relais_pg_createdb "$PG_PORT" "$db"
export DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/$db

echo "==> cargo build --release --bin relais --example challenge_bench --example ledger_bench"
cargo build --release --quiet --bin relais --example challenge_bench --example ledger_bench
BIN="${CARGO_TARGET_DIR:-target}/release/relais"
BENCH="${CARGO_TARGET_DIR:-target}/release/examples/challenge_bench"

"$BIN" migrate
psql_() { "$RELAIS_PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$db" -XtAq "$@"; }
exists=$(psql_ -c "SELECT 1 FROM tenants WHERE slug = '$slug'")
if [[ $exists != 1 ]]; then
    echo "==> relais seed-scale --slug $slug --participants $participants --lines $lines (once; later runs reuse it)"
    "$BIN" seed-scale --slug "$slug" --participants "$participants" --lines "$lines"
else
    echo "==> tenant '$slug' already seeded in $db"
fi
