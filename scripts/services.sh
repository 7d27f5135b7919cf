#!/usr/bin/env bash
# Runs a command with real PostgreSQL and Redis: DATABASE_URL / REDIS_URL when given, otherwise
# throwaway servers on loopback in a temporary folder, stopped (and deleted) when the command ends.
# QUICK=1: SQLite in memory and the embedded broker instead, no servers.
#   scripts/services.sh .venv/bin/python -m pytest
#   scripts/services.sh .venv/bin/python benchmarks/customers_bench.py
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d /tmp/dutydesk-test.XXXXXX)
chmod 755 "$tmp"
pg_bin=""
cleanup() {
  if [ -n "$pg_bin" ] && [ -f "$tmp/pg/postmaster.pid" ]; then
    run_pg "$pg_bin/pg_ctl" -D "$tmp/pg" -m immediate stop >/dev/null 2>&1 || true
  fi
  if [ -f "$tmp/redis.pid" ]; then kill "$(cat "$tmp/redis.pid")" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
free_port() { .venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# PostgreSQL refuses to run as root: as root the server runs as the `postgres` system user.
run_pg() { if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if [ "${QUICK:-0}" = "1" ]; then
  unset DATABASE_URL REDIS_URL CELERY_BROKER_URL
  export DUTYDESK_VAR_DIR="$tmp/var"
  echo "==> QUICK=1: SQLite in memory, embedded broker"
  export DATABASE_URL="sqlite://:memory:"
else
  if [ -z "${DATABASE_URL:-}" ]; then
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$pg_bin" ] || { echo "!! PostgreSQL is not installed and could not be installed" >&2; exit 1; }
    pg_port=$(free_port)
    [ "$(id -u)" = "0" ] && chown postgres "$tmp"
    run_pg "$pg_bin/initdb" -D "$tmp/pg" -U dutydesk -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    run_pg "$pg_bin/pg_ctl" -D "$tmp/pg" -l "$tmp/pg.log" -w -o \
      "-p $pg_port -k $tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >/dev/null
    export DATABASE_URL="postgres://dutydesk@127.0.0.1:$pg_port/dutydesk"
    run_pg "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U dutydesk dutydesk
    echo "==> PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port"
  fi
  if [ -z "${REDIS_URL:-}" ]; then
    command -v redis-server >/dev/null || { echo "!! redis-server is not installed and could not be installed" >&2; exit 1; }
    redis_port=$(free_port)
    redis-server --port "$redis_port" --bind 127.0.0.1 --daemonize yes --dir "$tmp" --save "" \
      --appendonly no --pidfile "$tmp/redis.pid" --logfile "$tmp/redis.log"
    export REDIS_URL="redis://127.0.0.1:$redis_port/0"
    for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
    echo "==> Redis on 127.0.0.1:$redis_port"
  fi
  export CELERY_BROKER_URL="$REDIS_URL"
  export DUTYDESK_VAR_DIR="$tmp/var"
fi


set +e
"$@"
status=$?
set -e
exit "$status"
