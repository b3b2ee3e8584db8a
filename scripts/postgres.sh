# A throw-away PostgreSQL cluster for the tests: a temporary folder, a free loopback port, stopped on exit.
# shellcheck shell=bash

pg_bin() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$dir" ] || { echo "PostgreSQL server binaries not found (package postgresql)" >&2; exit 1; }
    printf '%s' "$dir"
}

free_port() {
    local port
    for _ in $(seq 1 200); do
        port=$((20000 + RANDOM % 30000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            printf '%s' "$port"
            return 0
        fi
    done
    echo "no free port found" >&2
    exit 1
}

# PostgreSQL refuses to run as root: run it as the postgres user then.
as_pg_user() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

start_test_postgres() {
    local bin port
    bin=$(pg_bin)
    port=$(free_port)
    PG_TEST_DIR=$(mktemp -d /tmp/batchdeck-pg.XXXXXX)
    chmod 755 "$PG_TEST_DIR"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$PG_TEST_DIR"
    as_pg_user "$bin/initdb" -D "$PG_TEST_DIR/data" -U postgres -A trust --no-sync -E UTF8 >"$PG_TEST_DIR/initdb.log" 2>&1 ||
        { cat "$PG_TEST_DIR/initdb.log" >&2; exit 1; }
    as_pg_user "$bin/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/server.log" -w -t 30 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_TEST_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null || { cat "$PG_TEST_DIR/server.log" >&2; exit 1; }
    as_pg_user "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres batchdeck_test
    export BATCHDECK_TEST_PG_URL="postgresql://postgres@127.0.0.1:$port/batchdeck_test"
}

stop_test_postgres() {
    [ -n "${PG_TEST_DIR:-}" ] || return 0
    as_pg_user "$(pg_bin)/pg_ctl" -D "$PG_TEST_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_TEST_DIR"
    PG_TEST_DIR=
}
