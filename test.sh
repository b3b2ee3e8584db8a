#!/usr/bin/env bash
# Installs what is missing, builds, starts a throw-away PostgreSQL 15 and runs every test.
#   ./test.sh                   the whole CTest suite (SQLite and PostgreSQL), fuzz corpora replayed
#   ./test.sh -R pattern        extra arguments go to ctest
#   ./test.sh --sanitize [...]  the same suite built with ASan + UBSan (LeakSanitizer on) in build-sanitize
#   ./test.sh --fuzz SECONDS    builds the libFuzzer targets (Clang) in build-fuzz and fuzzes each for SECONDS
#   ./test.sh --faults          the full fault campaign (tests/faults) on SQLite and PostgreSQL instead:
#                               prints its figures, fails on any violation
#   ./test.sh --bench           every benchmark, one table (tests/bench/run-all.sh; never pass/fail)
set -euo pipefail
source "$(dirname "$0")/scripts/common.sh"
cd "$BATCHDECK_ROOT"

if [ "${1:-}" = --bench ]; then
    shift
    exec "$BATCHDECK_ROOT/tests/bench/run-all.sh" "$@"
fi

mode=normal
case "${1:-}" in
--sanitize)
    mode=sanitize
    shift
    ;;
--fuzz)
    mode=fuzz
    FUZZ_SECONDS=${2:?"usage: ./test.sh --fuzz SECONDS"}
    shift 2
    ;;
esac

if [ "$mode" = fuzz ]; then
    ensure_packages "${BATCHDECK_PACKAGES[@]}" "${BATCHDECK_TEST_PACKAGES[@]}"
    source "$BATCHDECK_ROOT/scripts/fuzz.sh"
    run_fuzz_targets "${BATCHDECK_FUZZ_BUILD_DIR:-$BATCHDECK_ROOT/build-fuzz}" "$FUZZ_SECONDS"
    exit 0
fi

ensure_packages "${BATCHDECK_PACKAGES[@]}" "${BATCHDECK_TEST_PACKAGES[@]}"
ensure_node

log "checking the format"
if ! git ls-files -z '*.cpp' '*.h' | xargs -0 -r clang-format --dry-run --Werror 2>/tmp/batchdeck-format.$$; then
    head -20 /tmp/batchdeck-format.$$ >&2
    rm -f /tmp/batchdeck-format.$$
    echo "Sources are not clang-formatted: run clang-format -i on the files above." >&2
    exit 1
fi
rm -f /tmp/batchdeck-format.$$

if [ "$mode" = sanitize ]; then
    BUILD_DIR=${BATCHDECK_SANITIZE_BUILD_DIR:-$BATCHDECK_ROOT/build-sanitize}
    configure_and_build "$BUILD_DIR" -DBATCHDECK_SANITIZE=ON
    export_sanitizer_options
else
    BUILD_DIR=${BATCHDECK_BUILD_DIR:-$BATCHDECK_ROOT/build}
    configure_and_build "$BUILD_DIR"
fi

source "$BATCHDECK_ROOT/scripts/postgres.sh"
start_test_postgres
trap stop_test_postgres EXIT
log "PostgreSQL 15 for the tests at $BATCHDECK_TEST_PG_URL"

if [ "${1:-}" = "--faults" ]; then
    log "running the full fault campaign (tests/faults/README.md)"
    status=0
    for backend in sqlite pg; do
        BATCHDECK_FAULTS=full BATCHDECK_TEST_BACKEND=$backend QT_QPA_PLATFORM=offscreen \
            "$BUILD_DIR/tests/faults/tst_faults" || status=1
    done
    [ "$status" -eq 0 ] && log "fault campaign: no violations" || log "fault campaign: VIOLATIONS (see above)"
    exit "$status"
fi

log "running the tests"
# A test without a TIMEOUT of its own that runs past 10 minutes is hung: fail it, keep the run going.
ctest --test-dir "$BUILD_DIR" --output-on-failure --timeout 600 -j"$(nproc)" "$@"
