#!/usr/bin/env bash
# Runs DutyDesk on the embedded default: SQLite under var/, no Redis, web + worker + beat together.
# Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
export DJANGO_SETTINGS_MODULE=config.settings.local
PORT=${PORT:-8000}
export SITE_URL=${SITE_URL:-http://127.0.0.1:$PORT}
echo "==> migrating"
.venv/bin/python manage.py migrate --noinput -v0
echo "==> loading the demo"
.venv/bin/python manage.py seed_demo
echo
echo "DutyDesk: $SITE_URL/   (Ctrl-C stops web, worker and beat)"
echo
export PORT
exec .venv/bin/honcho -f Procfile.dev start
