#!/usr/bin/env bash
# Regenerates the README's screenshots (docs/screenshots/*.png) under Xvfb: the console over a
# seeded store in demo mode (jobs in every status, the demo's engine and simulator behind the
# actions), its details tabs, the settings dialog, the window in Brazilian Portuguese, the Submit
# dialog and the Results tab.
#   scripts/screenshots.sh [BUILD_DIR]     (default: build)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
build=${1:-$BATCHDECK_ROOT/build}
out=$BATCHDECK_ROOT/docs/screenshots
ensure_packages "${BATCHDECK_PACKAGES[@]}" xvfb xauth
[ -f "$build/build.ninja" ] || cmake -S "$BATCHDECK_ROOT" -B "$build" -G Ninja >/dev/null
cmake --build "$build" --target console_screenshot actions_screenshot >/dev/null

shot() {
    local file=$1
    shift
    log "docs/screenshots/$file"
    # A fixed locale and home (paths shown as an operator's): the pictures do not depend on who takes them.
    LANG=C.UTF-8 HOME=/home/operator xvfb-run -a -s "-screen 0 1400x900x24" \
        "$build/tests/ui/console_screenshot" "$out/$file" "$@" 2>/dev/null
}

mkdir -p "$out"
shot console.png --demo
shot console-errors.png --demo --select errors --tab errors
shot console-events.png --demo --select failed --tab events --notify
shot settings.png --settings provider
shot settings-database.png --settings database
shot console-pt_BR.png --demo --language pt_BR
# The Submit dialog and the Results tab, over the real demo engine (simulator, engine thread).
log "docs/screenshots/submit-dialog.png, results.png, request-preview.png"
LANG=C.UTF-8 HOME=/home/operator xvfb-run -a -s "-screen 0 1400x900x24" \
    "$build/tests/ui/actions_screenshot" "$out" 2>/dev/null
