#!/usr/bin/env bash
# Benchmark `abierto validate` against frictionless-py on a generated León CSV.
#
#   bench/validate/run.sh            # 1,000,000 rows (frictionless takes minutes)
#   ROWS=20000 bench/validate/run.sh
#
# Environment:
#   ROWS               data rows to generate (default 1000000)
#   OUT                data/output directory (default /tmp/abierto-bench)
#   FRICTIONLESS_VENV  venv to (re)use for frictionless (default /tmp/abierto-bench-venv)
#   ABIERTO            prebuilt abierto binary; when set, the cargo build is skipped
#   RUNS               times abierto is run (default 5; its median wall time counts)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
ROWS="${ROWS:-1000000}"
RUNS="${RUNS:-5}"
OUT="${OUT:-/tmp/abierto-bench}"
VENV="${FRICTIONLESS_VENV:-/tmp/abierto-bench-venv}"
TIME=/usr/bin/time

if [[ ! -x "$TIME" ]]; then
    echo "error: $TIME not found (Debian/Ubuntu: apt-get install time)" >&2
    exit 1
fi

# frictionless-py in a throwaway venv (reused when it already has the right version)
if ! "$VENV/bin/python" -c 'import frictionless, sys; sys.exit(frictionless.__version__ != "5.21.0")' 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet "frictionless==5.21.0"
fi

# data
mkdir -p "$OUT"
python3 "$HERE/generate.py" "$OUT" --rows "$ROWS"

# abierto
if [[ -z "${ABIERTO:-}" ]]; then
    (cd "$REPO" && cargo build --release --bin abierto)
    ABIERTO="$REPO/target/release/abierto"
fi

# `validate` exits non-zero when the data is invalid (it is, by design): keep going
# and let compare.py judge the report.
echo "running abierto on $ROWS rows, $RUNS times..." >&2
times=()
for run in $(seq "$RUNS"); do
    status=0
    "$TIME" -v -o "$OUT/abierto.$run.time" "$ABIERTO" validate "$OUT/data.csv" \
        --schema "$OUT/schema.json" --json --limit-errors 0 >"$OUT/abierto.json" || status=$?
    times+=("$OUT/abierto.$run.time")
done
echo "abierto exit status: $status" >&2

echo "running frictionless on $ROWS rows..." >&2
"$TIME" -v -o "$OUT/frictionless.time" "$VENV/bin/python" "$HERE/frictionless_counts.py" \
    "$OUT/data.csv" "$OUT/schema.json" >"$OUT/frictionless.json"

python3 "$HERE/compare.py" \
    --abierto "$OUT/abierto.json" --abierto-time "${times[@]}" \
    --frictionless "$OUT/frictionless.json" --frictionless-time "$OUT/frictionless.time"
