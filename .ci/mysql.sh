#!/usr/bin/env bash
# A throwaway MariaDB server on loopback for the server-adapter tests (MySQL dialect).
#   .ci/mysql.sh start DIR   installs MariaDB if missing (apt, as root), starts a server with its
#                            data in DIR, prints its SQLAlchemy URL
#   .ci/mysql.sh stop DIR    stops it
set -euo pipefail
cmd=${1:?start or stop}
dir=${2:?data directory}
port=${HOSTBILL_MYSQL_PORT:-53306}

case "$cmd" in
start)
  if ! command -v mariadbd >/dev/null; then
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mariadb-server >/dev/null
  fi
  mkdir -p "$dir/data"
  chmod a+x "$(dirname "$dir")"
  chown -R mysql "$dir"
  (cd / && mariadb-install-db --user=mysql --datadir="$dir/data" \
    --auth-root-authentication-method=socket >/dev/null 2>&1)
  # The server's own output goes to a log, so the caller's $(...) does not wait for it.
  (cd / && exec mariadbd --user=mysql --datadir="$dir/data" --socket="$dir/sock" \
    --pid-file="$dir/pid" --port="$port" --bind-address=127.0.0.1) \
    >"$dir/server.log" 2>&1 </dev/null &
  for _ in $(seq 1 60); do
    [ -S "$dir/sock" ] && mariadb --socket="$dir/sock" -uroot -e "SELECT 1" >/dev/null 2>&1 && break
    sleep 1
  done
  mariadb --socket="$dir/sock" -uroot -e "CREATE DATABASE hostbill_test;
    CREATE USER 'hostbill'@'127.0.0.1' IDENTIFIED BY 'hostbill';
    GRANT ALL ON hostbill_test.* TO 'hostbill'@'127.0.0.1';"
  echo "mysql+pymysql://hostbill:hostbill@127.0.0.1:$port/hostbill_test"
  ;;
stop)
  [ -f "$dir/pid" ] && kill "$(cat "$dir/pid")" 2>/dev/null || true
  ;;
*)
  echo "usage: $0 start|stop DIR" >&2
  exit 2
  ;;
esac
