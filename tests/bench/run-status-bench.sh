#!/usr/bin/env bash
# The status endpoint under load: Batchdeck's `batchdeck-cli serve` against the Python peer
# (../shared/peers/seed_fastapi), measured in the same run with wrk (32 connections) on the same
# machine and the same simulator (`batchdeck-cli simulate` in its own process).
#
#   tests/bench/run-status-bench.sh                 3 runs of 10 s per figure
#   tests/bench/run-status-bench.sh --duration 30 --runs 5 --json status.json
#
# Figures (each: requests/s, p50, p99):
#   batchdeck, SUBMITTED job, provider answer cached   the issue's case: the batch is still running
#                                                       at the provider; status asks it at most once
#                                                       per job every few seconds, and repeated polls
#                                                       come from the server's status cache
#   batchdeck, COMPLETED job                            a finished job
#   peer, COMPLETED job                                 the peer's best case: a finished job needs no
#                                                       provider call there either
#   peer, SUBMITTED job                                 the peer asks the provider on every poll
#   both, 1,000 distinct SUBMITTED jobs polled at random (wrk script random-paths.lua): Batchdeck's
#   status cache and database reads spread over many rows; the peer asks the provider every time
# Each figure is the median of --runs wrk runs, with min and max; --json writes them in the shape of
# bench_engine's report (tests/bench/report.py merges the reports into one table).
# Batchdeck runs as Airflow would use it: bearer token on, one log line per request (to a file).
# Environment: BATCHDECK_BENCH_BUILD_DIR (default build-bench, Release), BATCHDECK_PEER_DIR.
set -euo pipefail
source "$(dirname "$0")/../../scripts/common.sh"
cd "$BATCHDECK_ROOT"

DURATION=10
CONNECTIONS=32
RUNS=3
DISTINCT=1000
JSON_OUT=
while [ $# -gt 0 ]; do
    case "$1" in
    --duration) DURATION=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --distinct) DISTINCT=$2; shift 2 ;;
    --json) JSON_OUT=$2; shift 2 ;;
    *) echo "usage: $0 [--duration SECONDS] [--connections N] [--runs N] [--distinct JOBS] [--json FILE]" >&2; exit 2 ;;
    esac
done

PEER_PACKAGES=(python3 python3-fastapi python3-uvicorn python3-sqlalchemy python3-httpx python3-multipart)
ensure_packages "${BATCHDECK_PACKAGES[@]}" "${PEER_PACKAGES[@]}" wrk curl

BUILD_DIR=${BATCHDECK_BENCH_BUILD_DIR:-$BATCHDECK_ROOT/build-bench}
PEER_DIR=${BATCHDECK_PEER_DIR:-$BATCHDECK_ROOT/../shared/peers/seed_fastapi}
[ -f "$PEER_DIR/app.py" ] || { echo "no peer at $PEER_DIR (set BATCHDECK_PEER_DIR)" >&2; exit 1; }

log "building batchdeck-cli (Release) in $BUILD_DIR"
cmake -S "$BATCHDECK_ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
output=$(cmake --build "$BUILD_DIR" --target batchdeck-cli 2>&1) || { printf '%s\n' "$output" >&2; exit 1; }
CLI=$BUILD_DIR/app/cli/batchdeck-cli

WORK=$(mktemp -d /tmp/batchdeck-status-bench.XXXXXX)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
json_field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
wait_for_url() {
    for _ in $(seq 1 200); do curl -sf -o /dev/null "$1" && return 0; sleep 0.1; done
    echo "nothing answers at $1" >&2
    exit 1
}

# One simulator for both: batches stay in each phase for 10 minutes unless its clock is advanced.
SIM_PORT=$(free_port)
TMPDIR=$WORK "$CLI" simulate --listen "127.0.0.1:$SIM_PORT" --phase-ms 600000 >"$WORK/simulator.log" 2>&1 &
PIDS+=($!)
SIM=http://127.0.0.1:$SIM_PORT
wait_for_url "$SIM/_sim/clock"
advance_simulator() { curl -sf -X POST "$SIM/_sim/clock" -d '{"advance_ms": 3000000}' >/dev/null; }

# Batchdeck: token on, text request log to a file, default status interval and cache.
TOKEN=bench-token-$RANDOM$RANDOM
BD_PORT=$(free_port)
env BATCHDECK_DB="sqlite://$WORK/batchdeck.db" OPENAI_BASE_URL="$SIM/v1" OPENAI_API_KEY=sk-bench \
    BATCHDECK_API_TOKEN="$TOKEN" XDG_CONFIG_HOME="$WORK/config" TMPDIR="$WORK" \
    "$CLI" serve --listen "127.0.0.1:$BD_PORT" >"$WORK/serve.out" 2>"$WORK/serve.log" &
PIDS+=($!)
BD=http://127.0.0.1:$BD_PORT
wait_for_url "$BD/healthz"
bd() { curl -sf -H "Authorization: Bearer $TOKEN" "$@"; }
items=$(python3 -c 'import json; print(json.dumps([{"id": "k%d" % i, "text": "Topic %d" % i} for i in range(100)]))')
for run in bench-done bench-running; do
    bd -X POST "$BD/pipeline/$run/items" -H 'Content-Type: application/json' -d "$items" >/dev/null
done
bd -X POST "$BD/pipeline/bench-done/submit-batch/summarize" >/dev/null
advance_simulator
for _ in $(seq 1 100); do
    [ "$(bd "$BD/pipeline/bench-done/batch-job-status/summarize" | json_field terminal)" = True ] && break
    sleep 0.2
done
bd -X POST "$BD/pipeline/bench-done/process-batch-results/summarize" >/dev/null
bd -X POST "$BD/pipeline/bench-running/submit-batch/summarize" >/dev/null
[ "$(bd "$BD/pipeline/bench-done/batch-job-status/summarize" | json_field job_status)" = COMPLETED ]
[ "$(bd "$BD/pipeline/bench-running/batch-job-status/summarize" | json_field job_status)" = SUBMITTED ]

# The peer, started the way its README says, its run_items filled directly.
PEER_PORT=$(free_port)
(cd "$PEER_DIR" && PEER_DB="sqlite:///$WORK/peer.db" OPENAI_BASE_URL="$SIM/v1" \
    exec /usr/bin/python3 -m uvicorn app:app --port "$PEER_PORT" --log-level warning) >"$WORK/peer.log" 2>&1 &
PIDS+=($!)
PEER=http://127.0.0.1:$PEER_PORT
wait_for_url "$PEER/openapi.json"
python3 - "$WORK/peer.db" <<'PY'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for run in ("bench-done", "bench-running"):
    db.executemany("INSERT INTO run_items (run_id, item_key, payload) VALUES (?, ?, ?)",
                   [(run, "k%d" % i, json.dumps({"title": "Topic %d" % i})) for i in range(100)])
db.commit()
PY
curl -sf -X POST "$PEER/pipeline/bench-done/submit-batch/units" >/dev/null
advance_simulator
for _ in $(seq 1 100); do
    [ "$(curl -sf "$PEER/pipeline/bench-done/batch-job-status/units" | json_field llm_status)" = completed ] && break
    sleep 0.2
done
curl -sf -X POST "$PEER/pipeline/bench-done/process-batch-results/units" >/dev/null
curl -sf -X POST "$PEER/pipeline/bench-running/submit-batch/units" >/dev/null
[ "$(curl -sf "$PEER/pipeline/bench-done/batch-job-status/units" | json_field job_status)" = COMPLETED ]

# Many distinct SUBMITTED jobs on both sides, for the random-poll figure.
log "creating $DISTINCT distinct submitted jobs on each side"
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
python3 "$BENCH_DIR/status_jobs.py" batchdeck "$BD" "$TOKEN" "$DISTINCT" dist >"$WORK/bd-paths.txt"
python3 "$BENCH_DIR/status_jobs.py" peer "$PEER" "$WORK/peer.db" "$DISTINCT" dist >"$WORK/peer-paths.txt"

# wrk: requests/s and the latency percentiles it prints with --latency, RUNS times per figure.
SAMPLES=$WORK/samples.tsv
: >"$SAMPLES"
measure() {
    local key=$1 side=$2 name=$3 url=$4 auth=${5:-} paths=${6:-}
    local args=(-t2 -c"$CONNECTIONS" --latency)
    [ -n "$auth" ] && args+=(-H "Authorization: Bearer $auth")
    [ -n "$paths" ] && args+=(-s "$BENCH_DIR/random-paths.lua")
    WRK_PATHS=$paths wrk "${args[@]}" -d2s "$url" >/dev/null # warm-up
    local run out rps p50 p99 errors
    for run in $(seq 1 "$RUNS"); do
        out=$(WRK_PATHS=$paths wrk "${args[@]}" -d"${DURATION}s" "$url")
        rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
        p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
        p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
        errors=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out" | tr '\n' ' ')
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$key" "$side" "$name" "$rps" "$p50" "$p99" "$errors" >>"$SAMPLES"
        [ -z "$errors" ] || echo "  $name: $errors" >&2
    done
}

log "measuring ${RUNS}x ${DURATION}s per figure, $CONNECTIONS connections, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
measure one ours "batchdeck, SUBMITTED job, provider answer cached" "$BD/pipeline/bench-running/batch-job-status/summarize" "$TOKEN"
measure completed ours "batchdeck, COMPLETED job" "$BD/pipeline/bench-done/batch-job-status/summarize" "$TOKEN"
measure completed peer "peer (FastAPI), COMPLETED job" "$PEER/pipeline/bench-done/batch-job-status/units"
measure submitted peer "peer (FastAPI), SUBMITTED job (asks the provider)" "$PEER/pipeline/bench-running/batch-job-status/units"
measure distinct ours "batchdeck, $DISTINCT SUBMITTED jobs at random" "$BD" "$TOKEN" "$WORK/bd-paths.txt"
measure distinct peer "peer (FastAPI), $DISTINCT SUBMITTED jobs at random" "$PEER" "" "$WORK/peer-paths.txt"

python3 "$BENCH_DIR/status_report.py" "$SAMPLES" --connections "$CONNECTIONS" --duration "$DURATION" \
    --distinct "$DISTINCT" ${JSON_OUT:+--json "$JSON_OUT"}
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores; wrk and both servers share them."
