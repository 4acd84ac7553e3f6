# shellcheck shell=bash
# `scripts/bench pages [SECONDS]`: sourced by scripts/bench (ROOT, PG_PORT and the
# cluster are set up there). Release build, the scale tenant in a database of its own
# (seeded once, then reused), `relais serve` on a free port, then wrk at 16 connections
# on the main pages of each role beside /healthz, in the same run.

pages_seconds=${1:-10}
[[ $pages_seconds =~ ^[1-9][0-9]*$ ]] || usage
connections=16
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

echo "==> cargo build --release"
cargo build --release --quiet --bin relais
BIN="${CARGO_TARGET_DIR:-target}/release/relais"

"$BIN" migrate
exists=$("$RELAIS_PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$db" -XtAc \
    "SELECT 1 FROM tenants WHERE slug = '$slug'")
if [[ $exists != 1 ]]; then
    echo "==> relais seed-scale --slug $slug (once; later runs reuse it)"
    "$BIN" seed-scale --slug "$slug"
else
    echo "==> tenant '$slug' already seeded in $db"
fi

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
host="$slug.localhost:$port"
log=$(mktemp /tmp/relais-bench-serve.XXXXXX.log)
echo "==> relais serve on 127.0.0.1:$port (jobs off; log: $log)"
RELAIS__SERVER__PORT=$port RELAIS__JOBS__RUN_IN_SERVE=false "$BIN" serve >"$log" 2>&1 &
server=$!
jar_dir=$(mktemp -d /tmp/relais-bench-jar.XXXXXX)
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$jar_dir"; if [[ $RELAIS_PG_STARTED == 1 ]]; then relais_pg_down dev; fi' EXIT
for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 0.1
done
curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null || { cat "$log" >&2; exit 1; }

# Logs in with a cookie jar (the CSRF token comes from the login form); prints the
# Cookie header value.
login() {
    local email=$1 jar=$jar_dir/$1 token
    local curl_=(curl -fsS --resolve "$host:127.0.0.1" -c "$jar" -b "$jar")
    token=$("${curl_[@]}" "http://$host/login" |
        sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -n1)
    [[ -n $token ]] || { echo "error: no csrf_token on the login form" >&2; exit 1; }
    "${curl_[@]}" -o /dev/null --data-urlencode "csrf_token=$token" \
        --data-urlencode "email=$email" --data-urlencode "password=$password" \
        --data-urlencode "next=/" "http://$host/login"
    awk '!/^#/ || /^#HttpOnly_/ { if (NF >= 7) printf "%s=%s; ", $6, $7 }' "$jar"
}
declare -A cookie
cookie[admin]=$(login "admin@$slug.example")
cookie[marketer]=$(login "marketer@$slug.example")
cookie[participant]=$(login "participant@$slug.example")
cookie[anyone]=""

# One wrk run; prints "p50_ms p99_ms req_per_s failed" (failed: non-2xx answers and
# requests without an answer within wrk's timeout, which its latencies leave out).
measure() {
    local role=$1 path=$2 seconds=$3 out
    out=$(wrk -t2 -c"$connections" -d"${seconds}s" --timeout 10s --latency \
        -H "Host: $host" -H "Cookie: ${cookie[$role]}" "http://127.0.0.1:$port$path")
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

pages=(
    "anyone /healthz"
    "participant /" "participant /points" "participant /declarations"
    "marketer /studio/partners" "marketer /studio/products" "marketer /studio/stock"
    "marketer /studio/segments"
    "admin /admin/declarations" "admin /admin/points" "admin /admin/users" "admin /admin/audit"
)
echo "==> checking that every page answers 200 to its role"
for entry in "${pages[@]}"; do
    read -r role path <<<"$entry"
    status=$(curl -s -o /dev/null -w '%{http_code}' -H "Host: $host" -H "Cookie: ${cookie[$role]}" \
        "http://127.0.0.1:$port$path")
    if [[ $status != 200 ]]; then
        echo "error: $path as $role answered $status" >&2
        exit 1
    fi
done

echo "==> wrk, $connections connections, ${pages_seconds}s per page (after 2s of warm-up each)"
load_before=$(uptime | sed 's/.*load average: //')
results=()
for entry in "${pages[@]}"; do
    read -r role path <<<"$entry"
    measure "$role" "$path" 2 >/dev/null
    result=$(measure "$role" "$path" "$pages_seconds")
    printf '    %-12s %-22s %s\n' "$role" "$path" "$result"
    results+=("$role $path $result")
done

load_after=$(uptime | sed 's/.*load average: //')
healthz_rps=$(awk '{ print $5 }' <<<"${results[0]}")
echo
printf 'pages at scale (%s), release build, %s connections, %ss each\n' \
    "$slug" "$connections" "$pages_seconds"
printf 'load average (1, 5, 15 min) before: %s, after: %s\n' "$load_before" "$load_after"
printf '%-12s %-22s %9s %9s %10s %8s %8s\n' role page "p50 ms" "p99 ms" "req/s" "/healthz" "failed"
over=0
for r in "${results[@]}"; do
    read -r role path p50 p99 rps bad <<<"$r"
    ratio=$(awk -v a="$rps" -v b="$healthz_rps" 'BEGIN { printf "%.3f", a / b }')
    flag=""
    if awk -v p="$p99" -v b="$bad" 'BEGIN { exit !(p >= 100 || b > 0) }'; then
        flag="  over the goal"
        over=$((over + 1))
    fi
    printf '%-12s %-22s %9s %9s %10s %8s %8s%s\n' "$role" "$path" "$p50" "$p99" "$rps" "$ratio" "$bad" "$flag"
done
echo "goal: every page's p99 under 100 ms ($over over)"
