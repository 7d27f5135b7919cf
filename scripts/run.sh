#!/usr/bin/env bash
# Runs DutyDesk on the embedded default: SQLite under var/, no Redis, web + worker + beat together.
# Ctrl-C stops all three. Started as root, the app itself runs as the unprivileged system user
# `dutydesk` wherever that user can read the project (nothing in DutyDesk needs root, and Celery
# warns about running as root).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
export DJANGO_SETTINGS_MODULE=config.settings.local
PORT=${PORT:-8000}
export SITE_URL=${SITE_URL:-http://127.0.0.1:$PORT}
var_dir=${DUTYDESK_VAR_DIR:-$PWD/var}
as_app=()
if [ "$(id -u)" = "0" ] && command -v runuser >/dev/null && command -v useradd >/dev/null; then
  id -u dutydesk >/dev/null 2>&1 || useradd --system --no-create-home --home-dir "$var_dir" --shell /usr/sbin/nologin dutydesk
  if runuser -u dutydesk -- test -r manage.py -a -x .venv/bin/python; then
    mkdir -p "$var_dir" && chown -R dutydesk "$var_dir"
    as_app=(runuser -u dutydesk -- env HOME="$var_dir")
  else
    echo "(the system user dutydesk cannot read $PWD: running as root)"
  fi
fi
echo "==> migrating"
"${as_app[@]}" .venv/bin/python manage.py migrate --noinput -v0
echo "==> loading the demo"
# The sign-ins are also kept in var/sign-ins.txt, for when the terminal has scrolled on.
mkdir -p "$var_dir"
"${as_app[@]}" .venv/bin/python manage.py seed_demo | tee "$var_dir/sign-ins.txt"
echo
echo "DutyDesk: $SITE_URL/   (Ctrl-C stops web, worker and beat; sign-ins: $var_dir/sign-ins.txt)"
echo
export PORT
exec "${as_app[@]}" .venv/bin/honcho -f Procfile.dev start
