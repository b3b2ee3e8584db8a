#!/usr/bin/env bash
# The engine benchmark: Batchdeck against the Python peer (../shared/peers/seed_fastapi), side by side
# on one simulator. Installs what is missing (the build's and the peer's Debian packages), builds
# bench_engine in Release in its own build folder, runs it and prints the table; the JSON report goes
# to $BUILD_DIR/bench-engine.json.
#   tests/bench/run-engine-bench.sh                 9 runs of submit/process, 3 of the 200 MB figure
#   tests/bench/run-engine-bench.sh --runs 3 --no-big     extra arguments go to bench_engine (--help)
# Environment: BATCHDECK_BENCH_BUILD_DIR (default build-bench), BATCHDECK_PEER_DIR.
set -euo pipefail
source "$(dirname "$0")/../../scripts/common.sh"
cd "$BATCHDECK_ROOT"

PEER_PACKAGES=(python3 python3-fastapi python3-uvicorn python3-sqlalchemy python3-httpx python3-multipart)
ensure_packages "${BATCHDECK_PACKAGES[@]}" "${PEER_PACKAGES[@]}"

BUILD_DIR=${BATCHDECK_BENCH_BUILD_DIR:-$BATCHDECK_ROOT/build-bench}
PEER_DIR=${BATCHDECK_PEER_DIR:-$BATCHDECK_ROOT/../shared/peers/seed_fastapi}
[ -f "$PEER_DIR/app.py" ] || { echo "no peer at $PEER_DIR (set BATCHDECK_PEER_DIR)" >&2; exit 1; }

log "building bench_engine (Release) in $BUILD_DIR"
cmake -S "$BATCHDECK_ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
output=$(cmake --build "$BUILD_DIR" --target bench_engine 2>&1) || { printf '%s\n' "$output" >&2; exit 1; }

log "running (a few minutes: $(nproc) cores)"
exec "$BUILD_DIR/tests/bench/bench_engine" --peer-dir "$PEER_DIR" --json "$BUILD_DIR/bench-engine.json" "$@"
