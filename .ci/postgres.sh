# Sourced by .ci/run: a throwaway PostgreSQL cluster on loopback for the store's tests.
# Installs Debian's postgresql when missing, initialises a cluster in a temporary
# directory owned by the postgres user, starts it on port 55432 (loopback only), makes a
# user and a database, and exports B24_TEST_POSTGRES_URL (and the commands that stop and
# start it again, for the test of a store that stops). Stopped when the shell exits.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
fi
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PG_DIR=$(mktemp -d /tmp/b24-pg.XXXXXX)
chown postgres:postgres "$PG_DIR"
PG_PORT=55432
as_postgres() { su postgres -s /bin/sh -c "$*"; }
as_postgres "$PG_BIN/initdb -D $PG_DIR/data -U postgres --auth=trust >/dev/null"
as_postgres "$PG_BIN/pg_ctl -D $PG_DIR/data -l $PG_DIR/log -w -o \"-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1\" start >/dev/null"
trap 'su postgres -s /bin/sh -c "$PG_BIN/pg_ctl -D $PG_DIR/data -m immediate stop" >/dev/null 2>&1; rm -rf "$PG_DIR"' EXIT
as_postgres "$PG_BIN/psql -h 127.0.0.1 -p $PG_PORT -U postgres -qc \"CREATE USER b24 PASSWORD 'b24'\""
as_postgres "$PG_BIN/psql -h 127.0.0.1 -p $PG_PORT -U postgres -qc \"CREATE DATABASE b24test OWNER b24\""
export B24_TEST_POSTGRES_URL="postgres://b24:b24@127.0.0.1:$PG_PORT/b24test"
# how a test stops and starts the cluster again (server/tests/store_restart.rs)
export B24_TEST_POSTGRES_STOP="su postgres -s /bin/sh -c '$PG_BIN/pg_ctl -D $PG_DIR/data -m fast -w stop'"
export B24_TEST_POSTGRES_START="su postgres -s /bin/sh -c '$PG_BIN/pg_ctl -D $PG_DIR/data -l $PG_DIR/log -w -o \"-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1\" start'"
echo "== PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT"
