#!/usr/bin/env bash
# A throwaway PostgreSQL server on loopback for the server-adapter tests.
#   .ci/postgres.sh start DIR   installs PostgreSQL if missing (apt, as root), starts a server
#                               with its data in DIR, prints its SQLAlchemy URL
#   .ci/postgres.sh stop DIR    stops it
# PostgreSQL refuses to run as root, so initdb and pg_ctl run as the 'postgres' user.
set -euo pipefail
cmd=${1:?start or stop}
dir=${2:?data directory}
port=${HOSTBILL_PG_PORT:-55432}

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
as_postgres() { (cd / && su postgres -s /bin/bash -c "$1"); }

case "$cmd" in
start)
  if [ -z "$(pg_bin)" ]; then
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  bin=$(pg_bin)
  mkdir -p "$dir/data"
  chmod 755 "$dir"
  chmod a+x "$(dirname "$dir")"  # let the postgres user reach DIR
  chown -R postgres "$dir"
  as_postgres "$bin/initdb -D '$dir/data' -A trust -U postgres >/dev/null"
  as_postgres "$bin/pg_ctl -D '$dir/data' -l '$dir/server.log' -w \
    -o '-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off' start >/dev/null"
  as_postgres "$bin/createdb -h 127.0.0.1 -p $port hostbill_test"
  echo "postgresql+psycopg://postgres@127.0.0.1:$port/hostbill_test"
  ;;
stop)
  as_postgres "$(pg_bin)/pg_ctl -D '$dir/data' -m fast stop >/dev/null" || true
  ;;
*)
  echo "usage: $0 start|stop DIR" >&2
  exit 2
  ;;
esac
