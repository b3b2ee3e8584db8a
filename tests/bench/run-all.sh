#!/usr/bin/env bash
# Every benchmark in one run, side by side with the Python peer where there is one, merged into one
# table (tests/bench/report.py): submit 50,000 items, process a 50,000-line output, a 200 MB output's
# peak memory, the status endpoint under wrk (one job and 1,000 distinct jobs), the console's poll tick
# over 10,000 jobs and its start on 100,000 jobs. Installs what is missing and builds in Release.
#   tests/bench/run-all.sh             (or ./test.sh --bench)   about 15 minutes on 2 cores
#   tests/bench/run-all.sh --quick     fewer and shorter runs, to check the scripts work
# Writes $OUT/bench-report.json and $OUT/bench-report.md (OUT: BATCHDECK_BENCH_OUT, default build-bench).
# Not part of the test run's pass/fail: a benchmark prints figures, machines differ.
set -euo pipefail
source "$(dirname "$0")/../../scripts/common.sh"
cd "$BATCHDECK_ROOT"

QUICK=0
[ "${1:-}" = --quick ] && QUICK=1

PEER_PACKAGES=(python3 python3-fastapi python3-uvicorn python3-sqlalchemy python3-httpx python3-multipart)
ensure_packages "${BATCHDECK_PACKAGES[@]}" "${PEER_PACKAGES[@]}" wrk curl

export BATCHDECK_BENCH_BUILD_DIR=${BATCHDECK_BENCH_BUILD_DIR:-$BATCHDECK_ROOT/build-bench}
OUT=${BATCHDECK_BENCH_OUT:-$BATCHDECK_BENCH_BUILD_DIR}
mkdir -p "$OUT"
log "building the benchmarks (Release) in $BATCHDECK_BENCH_BUILD_DIR"
cmake -S "$BATCHDECK_ROOT" -B "$BATCHDECK_BENCH_BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
output=$(cmake --build "$BATCHDECK_BENCH_BUILD_DIR" --target bench_engine batchdeck-cli bench_console 2>&1) ||
    { printf '%s\n' "$output" >&2; exit 1; }

loads=("$(cut -d' ' -f1 /proc/loadavg)")
if [ "$QUICK" -eq 1 ]; then
    tests/bench/run-engine-bench.sh --runs 1 --no-big --items 5000 --json "$OUT/bench-engine.json"
    loads+=("$(cut -d' ' -f1 /proc/loadavg)")
    tests/bench/run-status-bench.sh --runs 1 --duration 2 --distinct 50 --json "$OUT/bench-status.json"
    loads+=("$(cut -d' ' -f1 /proc/loadavg)")
    "$BATCHDECK_BENCH_BUILD_DIR/tests/ui/bench_console" --jobs 1000 --changed 10 --rounds 5 --open 5000 \
        --open-runs 1 --json "$OUT/bench-console.json"
else
    tests/bench/run-engine-bench.sh --json "$OUT/bench-engine.json"
    loads+=("$(cut -d' ' -f1 /proc/loadavg)")
    tests/bench/run-status-bench.sh --json "$OUT/bench-status.json"
    loads+=("$(cut -d' ' -f1 /proc/loadavg)")
    "$BATCHDECK_BENCH_BUILD_DIR/tests/ui/bench_console" --json "$OUT/bench-console.json"
fi
loads+=("$(cut -d' ' -f1 /proc/loadavg)")

python3 tests/bench/report.py "$OUT/bench-engine.json" "$OUT/bench-status.json" "$OUT/bench-console.json" \
    --load "$(IFS=' '; echo "${loads[*]}")" --json "$OUT/bench-report.json" --markdown "$OUT/bench-report.md"
log "written to $OUT/bench-report.json and $OUT/bench-report.md"
