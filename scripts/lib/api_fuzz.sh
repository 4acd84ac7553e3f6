#!/usr/bin/env bash
# The integration API against schemathesis (PyPI, in a virtualenv under target/): a
# throw-away database with the demo tenant and an API key with every scope, `relais
# serve` on a free port, then property-based requests generated from the served
# OpenAPI document. Fails on any server error or response that contradicts the schema.
# Usage: scripts/lib/api_fuzz.sh (needs RELAIS_TEST_DATABASE_URL, the debug binary built).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
cd "$ROOT"
VENV="$ROOT/target/schemathesis"
VERSION=4.32.5
installed=$("$VENV/bin/pip" show schemathesis 2>/dev/null | sed -n 's/^Version: //p' || true)
if [[ $installed != "$VERSION" ]]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$VERSION"
fi

BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug/relais"
[[ -x $BIN ]] || cargo build --quiet --bin relais
ADMIN_URL=${RELAIS_TEST_DATABASE_URL:?set by scripts/test}
DB="relais_api_fuzz_$$"
DB_URL="${ADMIN_URL%/*}/$DB"
psql "$ADMIN_URL" -qc "CREATE DATABASE $DB" >/dev/null
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
WORK=$(mktemp -d)
SERVER=
cleanup() {
    [[ -n $SERVER ]] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null
    psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

export DATABASE_URL=$DB_URL RELAIS_ENV=test
export RELAIS__SERVER__PORT=$PORT RELAIS__JOBS__RUN_IN_SERVE=false
# The fuzzer sends hundreds of requests a second: no rate limit for it.
export RELAIS__API__REQUESTS_PER_MINUTE=1000000 RELAIS__API__BURST=100000
"$BIN" migrate >/dev/null
"$BIN" seed-demo >/dev/null
KEY=$("$BIN" api-key create --tenant respire --name fuzzer --scopes read,sell-in,sell-out,network,fulfilment)
"$BIN" serve >"$WORK/serve.log" 2>&1 &
SERVER=$!
HOST="respire.localhost:$PORT"
for _ in $(seq 100); do
    curl -fsS -o "$WORK/openapi.json" -H "Host: $HOST" "http://127.0.0.1:$PORT/api/v1/openapi.json" 2>/dev/null && break
    sleep 0.2
done
[[ -s $WORK/openapi.json ]] || { cat "$WORK/serve.log"; exit 1; }

status=0
# Run from the scratch folder: schemathesis keeps a cache in its working directory.
cd "$WORK"
"$VENV/bin/schemathesis" run "$WORK/openapi.json" \
    --url "http://127.0.0.1:$PORT" \
    -H "Host: $HOST" -H "Authorization: Bearer $KEY" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance \
    --max-examples "${RELAIS_API_FUZZ_EXAMPLES:-40}" \
    --seed "${RELAIS_API_FUZZ_SEED:-2026}" \
    --no-color || status=$?
if [[ $status != 0 ]]; then
    echo "--- relais serve log (last 40 lines) ---"
    tail -n 40 "$WORK/serve.log"
fi
exit $status
