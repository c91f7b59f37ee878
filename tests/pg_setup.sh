#!/bin/sh
# Start a throwaway PostgreSQL cluster for the store tests and print its URL.
#
#   export TILLIT_TEST_PG_URL="$(sh tests/pg_setup.sh)"
#   .venv/bin/pytest -m postgres tests/test_benchmarks_store.py
#
# The cluster lives in a temporary directory (PGDATA, default /tmp/tillit-pg), listens on
# 127.0.0.1 only (PGPORT, default 55432) and trusts local connections: it is for tests,
# never for data. Running the script again reuses a running cluster. Stop it with
#   sh tests/pg_setup.sh stop
set -eu

PGDATA="${PGDATA:-/tmp/tillit-pg}"
PGPORT="${PGPORT:-55432}"
DB="${TILLIT_TEST_PG_DB:-tillit_test}"
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -n "$BIN" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }

# initdb refuses to run as root: run the server as the 'postgres' user when we are root.
if [ "$(id -u)" = 0 ]; then
    RUN="runuser -u postgres --"
    id postgres >/dev/null 2>&1 || { echo "user 'postgres' is missing" >&2; exit 1; }
else
    RUN=""
fi

if [ "${1:-}" = stop ]; then
    $RUN "$BIN/pg_ctl" -D "$PGDATA" -m fast stop >&2 || true
    exit 0
fi

if [ ! -f "$PGDATA/PG_VERSION" ]; then
    mkdir -p "$PGDATA"
    [ -z "$RUN" ] || chown postgres "$PGDATA"
    $RUN "$BIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi
if ! $RUN "$BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
    $RUN "$BIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGDATA -c fsync=off" start >&2
fi
if ! $RUN "$BIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -Atc "SELECT 1 FROM pg_database WHERE datname='$DB'" postgres | grep -q 1; then
    $RUN "$BIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres "$DB"
fi
echo "postgresql+psycopg://postgres@127.0.0.1:$PGPORT/$DB"
