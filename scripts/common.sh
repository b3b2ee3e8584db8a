# Shared by ./run.sh and ./test.sh: install what is missing, configure and build.
# shellcheck shell=bash

BATCHDECK_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Debian 12 packages the build, the tests and the demo need.
BATCHDECK_PACKAGES=(
    cmake ninja-build ccache g++ pkg-config
    qt6-base-dev qt6-httpserver-dev qt6-websockets-dev
    libqt6sql6-sqlite libqt6sql6-psql libsqlite3-dev
    qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-translations-l10n qcoro-qt6-dev qtkeychain-qt6-dev
    libgl-dev
)
# clang, llvm and libclang-rt-14-dev: the libFuzzer targets (./test.sh --fuzz) and symbolized
# sanitizer reports (llvm-symbolizer).
BATCHDECK_TEST_PACKAGES=(postgresql xvfb xauth clang-format python3 wrk clang llvm libclang-rt-14-dev)

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

missing_packages() {
    local pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || printf '%s\n' "$pkg"
    done
}

# Installs the given packages when missing (as root), or prints the exact command and stops.
ensure_packages() {
    local missing
    mapfile -t missing < <(missing_packages "$@")
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        echo "Missing Debian packages. Install them with:" >&2
        echo "  sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
        exit 1
    fi
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y --no-install-recommends "${missing[@]}"; then
        apt-get update
        apt-get install -y --no-install-recommends "${missing[@]}"
    fi
}

# Node.js and npm for the official-SDK interop test: any recent node will do, Debian's when none.
ensure_node() {
    command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 && return 0
    ensure_packages nodejs npm
}

# ccache keys on paths relative to the checkout, so a fresh clone elsewhere (CI) reuses the
# objects an earlier build made; debug info then names the first checkout's folder.
export CCACHE_BASEDIR="$BATCHDECK_ROOT"
export CCACHE_NOHASHDIR=true

# configure_and_build BUILD_DIR [extra cmake args...]
configure_and_build() {
    local dir=$1
    shift
    if [ ! -f "$dir/build.ninja" ]; then
        log "configuring $dir"
        cmake -S "$BATCHDECK_ROOT" -B "$dir" -G Ninja "$@" >/dev/null
    fi
    log "building $dir"
    # Progress lines are noise; compiler messages are not.
    local output status=0
    output=$(cmake --build "$dir" -- -j"$(nproc)" 2>&1) || status=$?
    printf '%s\n' "$output" | grep -vE '^\[[0-9]+/[0-9]+\] |^ninja: no work to do' || true
    [ "$status" -eq 0 ] || { echo "build failed" >&2; exit "$status"; }
}

# The runtime options of a sanitized build (./test.sh --sanitize), exported so that every test and
# every process a test starts (batchdeck-cli serve, simulate) gets them: any report fails the test.
export_sanitizer_options() {
    local supp="$BATCHDECK_ROOT/tests/sanitizers"
    export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:detect_stack_use_after_return=0:strict_init_order=1:check_initialization_order=1"
    export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
    export UBSAN_OPTIONS="suppressions=$supp/ubsan.supp:print_stacktrace=1:halt_on_error=1"
    local symbolizer
    symbolizer=$(command -v llvm-symbolizer || ls /usr/bin/llvm-symbolizer-* 2>/dev/null | head -1 || true)
    [ -n "$symbolizer" ] && export ASAN_SYMBOLIZER_PATH="$symbolizer"
    return 0
}
