#!/usr/bin/env bash
# Installs what is missing, builds, starts a throw-away PostgreSQL 15 and runs every test.
#   ./test.sh               the whole CTest suite (SQLite and PostgreSQL)
#   ./test.sh -R pattern    extra arguments go to ctest
set -euo pipefail
source "$(dirname "$0")/scripts/common.sh"
cd "$BATCHDECK_ROOT"

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

BUILD_DIR=${BATCHDECK_BUILD_DIR:-$BATCHDECK_ROOT/build}
configure_and_build "$BUILD_DIR"

source "$BATCHDECK_ROOT/scripts/postgres.sh"
start_test_postgres
trap stop_test_postgres EXIT
log "PostgreSQL 15 for the tests at $BATCHDECK_TEST_PG_URL"

log "running the tests"
ctest --test-dir "$BUILD_DIR" --output-on-failure -j"$(nproc)" "$@"
