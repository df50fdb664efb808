#!/usr/bin/env bash
# Load test of the CKAN-compatible `datastore_search` with a filter, on SQLite and PostgreSQL.
#
#   bench/datastore/run.sh
#
# Starts `abierto demo` on 127.0.0.1, publishes a generated table of ROWS visits through the
# portal's own pages (bench/datastore/publish.py), checks one answer, then runs wrk against
#   /api/3/action/datastore_search?resource_id=R&filters={"colonia":"Piletas"}&limit=100
# (a tenth of the rows match) and, for comparison, the same without a filter and with a
# text search. Then the same on PostgreSQL when PG_URL answers.
#
# Environment:
#   ROWS         rows of the generated table (default 100000)
#   DURATION     wrk duration per run (default 20s); CONNECTIONS (default 16), THREADS (2)
#   PG_URL       server URL whose `postgres` database can create a scratch database
#                (default postgres://postgres@127.0.0.1:5432); PG_URL= skips PostgreSQL
#   ABIERTO      prebuilt abierto binary; when set, the cargo build is skipped
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
ROWS="${ROWS:-100000}"
DURATION="${DURATION:-20s}"
CONNECTIONS="${CONNECTIONS:-16}"
THREADS="${THREADS:-2}"
PG_URL="${PG_URL-postgres://postgres@127.0.0.1:5432}"
PORT=18931

command -v wrk >/dev/null || { echo "error: wrk not found (Debian: apt-get install wrk)" >&2; exit 1; }
if [[ -z "${ABIERTO:-}" ]]; then
    (cd "$REPO" && cargo build --release --bin abierto)
    ABIERTO="$REPO/target/release/abierto"
fi

SERVER=""
cleanup() { [[ -n "$SERVER" ]] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT

run_backend() {
    local name="$1" database_url="$2" dir
    dir="$(mktemp -d /tmp/abierto-bench-datastore.XXXXXX)"
    env ABIERTO_DATA_DIR="$dir" ABIERTO_ADDR="127.0.0.1:$PORT" ABIERTO_LOG_LEVEL=warn \
        ${database_url:+ABIERTO_DATABASE_URL="$database_url"} \
        "$ABIERTO" demo >"$dir/server.log" 2>&1 &
    SERVER=$!
    for _ in $(seq 1 120); do
        curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break
        sleep 0.5
    done
    local resource
    resource="$(python3 "$HERE/publish.py" "http://127.0.0.1:$PORT" "$ROWS")"
    local base="http://127.0.0.1:$PORT/api/3/action/datastore_search?resource_id=$resource"
    local filtered="$base&filters=%7B%22colonia%22%3A%22Piletas%22%7D&limit=100"
    python3 - "$filtered" "$ROWS" <<'PY'
import json, sys, urllib.request
answer = json.load(urllib.request.urlopen(sys.argv[1]))["result"]
rows = int(sys.argv[2])
assert len(answer["records"]) == 100, len(answer["records"])
assert all(r["colonia"] == "Piletas" for r in answer["records"])
assert rows * 0.08 < answer["total"] < rows * 0.12, answer["total"]
print(f"  check: {answer['total']} of {rows} rows match colonia=Piletas; 100 returned")
PY
    echo "== $name: $ROWS rows, filter colonia=Piletas, limit 100 =="
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$filtered"
    echo "== $name: no filter, limit 100 =="
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$base&limit=100"
    echo "== $name: text search q=zumba, limit 100 =="
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$base&q=zumba&limit=100"
    kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
    rm -rf "$dir"
}

run_backend "SQLite" ""
if [[ -n "$PG_URL" ]]; then
    scratch="abierto_bench_datastore"
    if psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS $scratch WITH (FORCE)" -qc "CREATE DATABASE $scratch" 2>/dev/null; then
        run_backend "PostgreSQL" "$PG_URL/$scratch"
        psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS $scratch WITH (FORCE)"
    else
        echo "PostgreSQL at $PG_URL does not answer: skipped" >&2
    fi
fi
