# shellcheck shell=bash
# `scripts/bench dashboard [SECONDS]`: sourced by scripts/bench (ROOT, PG_PORT and the
# cluster are set up there). The scale tenant of `scripts/bench pages` (relais seed-scale:
# 2,000 partners, 20,000 participants, 2,000,000 declaration lines; seeded once, then
# reused), a release `relais serve`, then the overview /studio/analytics under wrk at 8
# connections, beside pgbench running the overview's heaviest query (its sales in one
# pass over the weekly aggregate) at 8 clients, in the same run.

dash_seconds=${1:-10}
[[ $dash_seconds =~ ^[1-9][0-9]*$ ]] || usage
connections=8
slug=${RELAIS_BENCH_SLUG:-scale}
password=scale-demo-2026
db=relais_bench_pages

if ! command -v wrk >/dev/null 2>&1; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        echo "==> installing wrk (apt-get)"
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; } >/dev/null
    else
        echo "error: wrk not found (apt-get install wrk)" >&2
        exit 1
    fi
fi

relais_pg_createdb "$PG_PORT" "$db"
export DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/$db
psql_=("$RELAIS_PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$db" -XtA)

echo "==> cargo build --release"
cargo build --release --quiet --bin relais
BIN="${CARGO_TARGET_DIR:-target}/release/relais"

"$BIN" migrate
exists=$("${psql_[@]}" -c "SELECT 1 FROM tenants WHERE slug = '$slug'")
if [[ $exists != 1 ]]; then
    echo "==> relais seed-scale --slug $slug (once; later runs reuse it)"
    "$BIN" seed-scale --slug "$slug"
else
    echo "==> tenant '$slug' already seeded in $db"
fi
"${psql_[@]}" -c "VACUUM ANALYZE sellout_weekly, participant_activity_weekly, declarations, ledger_transactions" >/dev/null
tenant=$("${psql_[@]}" -c "SELECT id FROM tenants WHERE slug = '$slug'")
lines=$("${psql_[@]}" -c "SELECT count(*) FROM declaration_lines WHERE tenant_id = $tenant")
rows=$("${psql_[@]}" -c "SELECT count(*) FROM sellout_weekly WHERE tenant_id = $tenant")

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
host="$slug.localhost:$port"
log=$(mktemp /tmp/relais-bench-serve.XXXXXX.log)
echo "==> relais serve on 127.0.0.1:$port (jobs off; log: $log)"
RELAIS__SERVER__PORT=$port RELAIS__JOBS__RUN_IN_SERVE=false "$BIN" serve >"$log" 2>&1 &
server=$!
jar=$(mktemp /tmp/relais-bench-jar.XXXXXX)
sql=$(mktemp /tmp/relais-bench-dashboard.XXXXXX.sql)
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -f "$jar" "$sql"; if [[ $RELAIS_PG_STARTED == 1 ]]; then relais_pg_down dev; fi' EXIT
for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 0.1
done
curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null || { cat "$log" >&2; exit 1; }

curl_=(curl -fsS --resolve "$host:127.0.0.1" -c "$jar" -b "$jar")
token=$("${curl_[@]}" "http://$host/login" | sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -n1)
"${curl_[@]}" -o /dev/null --data-urlencode "csrf_token=$token" \
    --data-urlencode "email=marketer@$slug.example" --data-urlencode "password=$password" \
    --data-urlencode "next=/" "http://$host/login"
cookie=$(awk '!/^#/ || /^#HttpOnly_/ { if (NF >= 7) printf "%s=%s; ", $6, $7 }' "$jar")
status=$(curl -s -o /dev/null -w '%{http_code}' -H "Host: $host" -H "Cookie: $cookie" \
    "http://127.0.0.1:$port/studio/analytics")
[[ $status == 200 ]] || { echo "error: /studio/analytics answered $status" >&2; exit 1; }

# The weeks the page shows by default: the current one and the twelve before.
last=$("${psql_[@]}" -c "SELECT date_trunc('week', now() AT TIME ZONE time_zone)::date FROM tenants WHERE id = $tenant")
first=$("${psql_[@]}" -c "SELECT ('$last'::date - 84)")
cat >"$sql" <<SQL
WITH groups AS (
    SELECT GROUPING(s.week, s.partner_id, s.product_id, s.channel) AS g, s.week,
           s.partner_id, s.product_id, s.channel,
           SUM(s.units)::bigint AS units, SUM(s.amount_minor)::bigint AS amount_minor
    FROM sellout_weekly s
    WHERE s.tenant_id = $tenant AND s.week BETWEEN '$first' AND '$last'
    GROUP BY GROUPING SETS ((s.week), (s.partner_id), (s.product_id), (s.channel))
)
SELECT g.g, g.week, COALESCE(p.id, pr.id) AS id, COALESCE(p.name, pr.name, g.channel) AS name,
       g.units, g.amount_minor
FROM groups g
LEFT JOIN partners p ON p.tenant_id = $tenant AND p.id = g.partner_id
LEFT JOIN products pr ON pr.tenant_id = $tenant AND pr.id = g.product_id;
SQL

load_before=$(uptime | sed 's/.*load average: //')
# wrk at N connections for the seconds asked: prints "p50_ms p99_ms req_per_s failed".
run_wrk() {
    local out
    out=$(wrk -t"$(( $1 < 2 ? 1 : 2 ))" -c"$1" --timeout 10s --latency -d"${dash_seconds}s" \
        -H "Host: $host" -H "Cookie: $cookie" "http://127.0.0.1:$port/studio/analytics")
    awk '
        function ms(v) {
            if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0;
            if (v ~ /s$/) return v * 1000; return v
        }
        $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) }
        /^Requests\/sec:/ { rps = $2 }
        /Non-2xx or 3xx responses:/ { bad += $NF }
        /Socket errors:/ { for (i = 1; i <= NF; i++) if ($i == "timeout") bad += $(i + 1) }
        END { printf "%.1f %.1f %.2f %d\n", p50, p99, rps, bad + 0 }' <<<"$out"
}
echo "==> wrk warm-up (3s)"
wrk -t2 -c"$connections" -d3s -H "Host: $host" -H "Cookie: $cookie" \
    "http://127.0.0.1:$port/studio/analytics" >/dev/null
echo "==> wrk, 1 connection, ${dash_seconds}s"
read -r one_p50 one_p99 one_rps one_bad < <(run_wrk 1)
echo "==> wrk, $connections connections, ${dash_seconds}s"
read -r p50 p99 rps bad < <(run_wrk "$connections")

echo "==> pgbench, the sales query alone, $connections clients, ${dash_seconds}s"
pg_out=$("$RELAIS_PG_BIN/pgbench" -h 127.0.0.1 -p "$PG_PORT" -U postgres -n -c "$connections" \
    -j 2 -T "$dash_seconds" -f "$sql" "$db" 2>&1)
sql_tps=$(awk '/^tps = / { printf "%.2f", $3 }' <<<"$pg_out")
sql_ms=$(awk '/^latency average = / { print $4 }' <<<"$pg_out")
load_after=$(uptime | sed 's/.*load average: //')

echo
printf 'overview at scale (%s: %s declaration lines, %s weekly aggregate rows), release build\n' \
    "$slug" "$lines" "$rows"
printf 'load average (1, 5, 15 min) before: %s, after: %s\n' "$load_before" "$load_after"
printf '/studio/analytics, 1 connection: p50 %s ms, p99 %s ms, %s req/s, %s failed\n' \
    "$one_p50" "$one_p99" "$one_rps" "$one_bad"
printf '/studio/analytics, %s connections: p50 %s ms, p99 %s ms, %s req/s, %s failed\n' \
    "$connections" "$p50" "$p99" "$rps" "$bad"
printf 'its sales query alone (pgbench, %s clients): %s per s, %s ms average\n' \
    "$connections" "$sql_tps" "$sql_ms"
ratio=$(awk -v a="$rps" -v b="$sql_tps" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }')
echo "pages per second / sales queries per second: $ratio (the page runs six queries)"
