#!/usr/bin/env bash
# Installs what is missing, builds, and opens the Batchdeck console in demo mode
# (the built-in simulator and a demo SQLite database: no key needed).
#   ./run.sh               the console, demo mode
#   ./run.sh ARGS...       extra arguments go to the console
#   ./run.sh --headless    the HTTP API for Airflow instead (batchdeck-cli serve --demo) on
#                          127.0.0.1:8080; extra arguments go to serve (--listen, --token-file, ...)
set -euo pipefail
source "$(dirname "$0")/scripts/common.sh"
cd "$BATCHDECK_ROOT"

ensure_packages "${BATCHDECK_PACKAGES[@]}"
BUILD_DIR=${BATCHDECK_BUILD_DIR:-$BATCHDECK_ROOT/build}
configure_and_build "$BUILD_DIR"

if [ "${1:-}" = "--headless" ]; then
    shift
    log "serving the HTTP API in demo mode (127.0.0.1:8080 unless --listen says otherwise; Ctrl+C stops it)"
    exec "$BUILD_DIR/app/cli/batchdeck-cli" serve --demo --listen 127.0.0.1:8080 "$@"
fi

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
    echo "No display found (DISPLAY is not set). On a machine without a screen, run: xvfb-run ./run.sh" >&2
    exit 1
fi
log "starting the console in demo mode"
exec "$BUILD_DIR/app/gui/batchdeck" --demo "$@"
