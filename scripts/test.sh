#!/usr/bin/env bash
# Lints and runs the whole test suite against real PostgreSQL and Redis.
# DATABASE_URL / REDIS_URL given: those servers are used. Otherwise throwaway servers are started on
# loopback in a temporary folder (Debian's postgresql and redis-server, installed when missing and
# running as root) and stopped afterwards. Extra arguments go to pytest.
# QUICK=1 runs on SQLite in memory with no servers (not what CI runs).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh postgresql redis-server pgbouncer chromium poppler-utils

scripts/lint.sh

export DJANGO_SETTINGS_MODULE=config.settings.test
echo "==> pytest"
set +e
# Two workers or more where the machine has the cores (pytest-xdist): the suite stays well under
# 15 minutes on a 2-core machine. Each worker has its own test database.
scripts/services.sh .venv/bin/python -m pytest -n auto --maxprocesses 4 "$@"
status=$?
set -e
if [ "$status" = "5" ]; then
  echo "!! pytest collected no tests: that is a failure" >&2
  exit 1
fi
exit "$status"
