# A throw-away PostgreSQL server for the store tests: `source .ci/postgres.sh`, then
# `pg_test_start` (exports DBSSIM_TEST_POSTGRES_URL) and `pg_test_stop` (e.g. from a trap).
#
# Debian's `postgresql` package (installed if missing); a fresh cluster in a private
# temporary folder, listening on 127.0.0.1 only (no Unix socket outside that folder), on
# a free port, owned by the `postgres` system user when run as root. One database and
# one role with a random password; the password is only ever in the exported URL.

pg_test_bin() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [[ -n "$dir" && -x "$dir/initdb" ]] && echo "$dir"
}

pg_test_as_owner() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

pg_test_start() {
    if ! pg_test_bin >/dev/null; then
        local sudo=""
        if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
        # No default cluster on port 5432: the tests start their own (as Debian's docs advise).
        $sudo mkdir -p /etc/postgresql-common/createcluster.d
        echo "create_main_cluster = false" \
            | $sudo tee /etc/postgresql-common/createcluster.d/dbssim-ci.conf >/dev/null
        DEBIAN_FRONTEND=noninteractive $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
    fi
    local bin port password
    bin=$(pg_test_bin)
    PG_TEST_BIN="$bin"
    PG_TEST_DIR=$(mktemp -d "${TMPDIR:-/tmp}/dbssim-pg.XXXXXX")
    chmod 700 "$PG_TEST_DIR"
    if [[ $(id -u) -eq 0 ]]; then chown postgres:postgres "$PG_TEST_DIR"; fi
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
    password=$(python3 -c 'import secrets; print(secrets.token_hex(24))')

    pg_test_as_owner "$bin/initdb" -D "$PG_TEST_DIR/data" -U postgres -E UTF8 --locale=C.UTF-8 \
        --auth-local=peer --auth-host=scram-sha-256 >"$PG_TEST_DIR/initdb.log" 2>&1 \
        || { cat "$PG_TEST_DIR/initdb.log" >&2; return 1; }
    pg_test_as_owner "$bin/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/server.log" -w -s \
        -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$PG_TEST_DIR -c max_connections=200" \
        start || { cat "$PG_TEST_DIR/server.log" >&2; return 1; }
    # The password reaches psql through the environment, never through a command line.
    # (runuser keeps the caller's environment.)
    PG_TEST_PASSWORD="$password" pg_test_as_owner \
        "$bin/psql" -h "$PG_TEST_DIR" -p "$port" -U postgres -d postgres -q -v ON_ERROR_STOP=1 \
        -f - >/dev/null <<'SQL'
\getenv pw PG_TEST_PASSWORD
CREATE ROLE dbssim_test LOGIN PASSWORD :'pw';
CREATE DATABASE dbssim_test OWNER dbssim_test;
SQL
    export DBSSIM_TEST_POSTGRES_URL="postgresql+psycopg://dbssim_test:$password@127.0.0.1:$port/dbssim_test"
}

pg_test_stop() {
    if [[ -n "${PG_TEST_DIR:-}" && -d "$PG_TEST_DIR/data" ]]; then
        pg_test_as_owner "${PG_TEST_BIN:?}/pg_ctl" -D "$PG_TEST_DIR/data" -m fast -w -s stop \
            >/dev/null 2>&1 || true
    fi
    if [[ -n "${PG_TEST_DIR:-}" ]]; then rm -rf "$PG_TEST_DIR"; fi
    PG_TEST_DIR=""
    unset DBSSIM_TEST_POSTGRES_URL
}
