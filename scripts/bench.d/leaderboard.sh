# shellcheck shell=bash
# `scripts/bench leaderboard [SECONDS]`: sourced by scripts/bench (ROOT, PG_PORT and the
# cluster are set up there). The scale tenant of about 100,000 participants and
# 2,000,000 declaration lines (challenges_db.sh), a challenge over its year published
# through the services and its scores filled from the approved declarations
# (examples/challenge_bench.rs, once), then, in the same run:
#   - wrk at 16 connections on /challenges/{id} (participants by result, by attainment,
#     partners), logged in as the participant ranked in the middle;
#   - pgbench at 16 clients on the bare top-50 SELECT (leaderboard_top.sql, prepared);
# and the page's p50/p99 beside the query's. Goal: page p99 <= 5 x query p99 + 10 ms.

lb_seconds=${1:-10}
[[ $lb_seconds =~ ^[1-9][0-9]*$ ]] || usage
connections=16

if ! command -v wrk >/dev/null 2>&1; then
    echo "error: wrk not found (apt-get install wrk)" >&2
    exit 1
fi

# shellcheck source=scripts/bench.d/challenges_db.sh
source "$ROOT/scripts/bench.d/challenges_db.sh"

echo "==> the leaderboard challenge (made once: publish through the services, fill the scores)"
vars=$("$BENCH" leaderboard --database-url "$DATABASE_URL" --slug "$slug")
echo "    $vars"
TENANT='' CHALLENGE='' ENROLLED='' MIDDLE_RANK='' MIDDLE_EMAIL=''
eval "$vars"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
host="$slug.localhost:$port"
log=$(mktemp /tmp/relais-bench-serve.XXXXXX.log)
work=$(mktemp -d /tmp/relais-bench-leaderboard.XXXXXX)
echo "==> relais serve on 127.0.0.1:$port (jobs off; log: $log)"
RELAIS__SERVER__PORT=$port RELAIS__JOBS__RUN_IN_SERVE=false "$BIN" serve >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"; if [[ $RELAIS_PG_STARTED == 1 ]]; then relais_pg_down dev; fi' EXIT
for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 0.1
done
curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null || { cat "$log" >&2; exit 1; }

# Logs in with a cookie jar (CSRF token from the login form); prints the Cookie value.
jar=$work/jar
curl_=(curl -fsS --resolve "$host:127.0.0.1" -c "$jar" -b "$jar")
token=$("${curl_[@]}" "http://$host/login" |
    sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -n1)
[[ -n $token ]] || { echo "error: no csrf_token on the login form" >&2; exit 1; }
"${curl_[@]}" -o /dev/null --data-urlencode "csrf_token=$token" \
    --data-urlencode "email=$MIDDLE_EMAIL" --data-urlencode "password=$password" \
    --data-urlencode "next=/" "http://$host/login"
cookie=$(awk '!/^#/ || /^#HttpOnly_/ { if (NF >= 7) printf "%s=%s; ", $6, $7 }' "$jar")

paths=("/challenges/$CHALLENGE" "/challenges/$CHALLENGE?by=attainment"
    "/challenges/$CHALLENGE?board=partners")
echo "==> checking that the pages answer 200"
for path in "${paths[@]}"; do
    status=$(curl -s -o "$work/page.html" -w '%{http_code}' -H "Host: $host" -H "Cookie: $cookie" \
        "http://127.0.0.1:$port$path")
    if [[ $status != 200 ]]; then
        echo "error: $path answered $status" >&2
        exit 1
    fi
done
# One wrk run; prints "p50_ms p99_ms req_per_s failed".
measure() {
    local path=$1 seconds=$2 out
    out=$(wrk -t2 -c"$connections" -d"${seconds}s" --timeout 10s --latency \
        -H "Host: $host" -H "Cookie: $cookie" "http://127.0.0.1:$port$path")
    awk '
        function ms(v) {
            if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0;
            if (v ~ /s$/) return v * 1000; return v
        }
        $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) }
        /^Requests\/sec:/ { rps = $2 }
        /Non-2xx or 3xx responses:/ { bad += $NF }
        /Socket errors:/ { for (i = 1; i <= NF; i++) if ($i == "timeout") bad += $(i + 1) }
        END { printf "%.2f %.2f %.1f %d\n", p50, p99, rps, bad + 0 }' <<<"$out"
}

# pgbench on the bare query; prints "p50_ms p99_ms tps failed" from its per-transaction
# log (the latency in microseconds is the third field).
bare() {
    local seconds=$1 out
    rm -f "$work"/pgb*
    out=$(cd "$work" && "$RELAIS_PG_BIN/pgbench" -n -M prepared -c "$connections" -j 2 \
        -T "$seconds" -l --log-prefix=pgb -f "$ROOT/scripts/bench.d/leaderboard_top.sql" \
        -D tenant="$TENANT" -D challenge="$CHALLENGE" -h 127.0.0.1 -p "$PG_PORT" -U postgres "$db")
    local tps failed
    tps=$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time)$/\1/p' <<<"$out")
    failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' <<<"$out")
    cat "$work"/pgb* | awk '{ print $3 }' | sort -n | awk -v tps="$tps" -v f="${failed:-0}" '
        { v[NR] = $1 }
        END { printf "%.2f %.2f %.1f %d\n", v[int(NR * 0.5) + 1] / 1000, v[int(NR * 0.99) + 1] / 1000, tps, f }'
}

echo "==> the plans (EXPLAIN ANALYZE, once): the service's top 50, then the bare one"
explain() {
    psql_ -c "EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON) $1" |
        grep -E "Execution Time|Index|Sort|Seq Scan" | head -n 4 | sed 's/^/    /'
}
explain "SELECT row_number() OVER () AS rank, t.* FROM (SELECT s.participant_id FROM challenge_scores s
    WHERE s.tenant_id = $TENANT AND s.challenge_id = $CHALLENGE
    ORDER BY s.result DESC NULLS LAST, s.reached_at, s.participant_id LIMIT 50) t"
explain "$(sed -e '/^--/d' -e "s/:tenant/$TENANT/; s/:challenge/$CHALLENGE/" \
    "$ROOT/scripts/bench.d/leaderboard_top.sql")"

load_before=$(uptime | sed 's/.*load average: //')
echo "==> pgbench, the bare top-50 SELECT, $connections clients, ${lb_seconds}s (after 2s of warm-up)"
bare 2 >/dev/null
query=$(bare "$lb_seconds")
echo "    $query"
results=()
echo "==> wrk, $connections connections, ${lb_seconds}s per page (after 2s of warm-up each)"
for path in "${paths[@]}"; do
    measure "$path" 2 >/dev/null
    result=$(measure "$path" "$lb_seconds")
    printf '    %-40s %s\n' "$path" "$result"
    results+=("$path $result")
done
load_after=$(uptime | sed 's/.*load average: //')

read -r q50 q99 qtps qfail <<<"$query"
echo
printf 'leaderboard of %s participants (challenge %s), release build, %s connections, %ss each\n' \
    "$ENROLLED" "$CHALLENGE" "$connections" "$lb_seconds"
printf 'logged in as %s (rank %s of %s)\n' "$MIDDLE_EMAIL" "$MIDDLE_RANK" "$ENROLLED"
printf 'load average (1, 5, 15 min) before: %s, after: %s\n' "$load_before" "$load_after"
printf '%-40s %9s %9s %10s %8s\n' what "p50 ms" "p99 ms" "per s" failed
printf '%-40s %9s %9s %10s %8s\n' "bare top-50 SELECT (pgbench)" "$q50" "$q99" "$qtps" "$qfail"
goal=$(awk -v q="$q99" 'BEGIN { printf "%.2f", 5 * q + 10 }')
for r in "${results[@]}"; do
    read -r path p50 p99 rps bad <<<"$r"
    flag=""
    if awk -v p="$p99" -v g="$goal" -v b="$bad" 'BEGIN { exit !(p > g || b > 0) }'; then
        flag="  over the goal"
    fi
    printf '%-40s %9s %9s %10s %8s%s\n' "$path" "$p50" "$p99" "$rps" "$bad" "$flag"
done
echo "goal: page p99 <= 5 x bare p99 + 10 ms = $goal ms"
