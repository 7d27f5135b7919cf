#!/usr/bin/env bash
# Refreshes every catalogue (the project's locale/ and each apps/<app>/locale/), then lists what
# still lacks a Chinese translation. Fill those with scripts/po.py, then `make test` compiles them.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python manage.py makemessages -l zh_Hans -l en --no-obsolete --no-location \
  --ignore=.venv --ignore=var --ignore=static --ignore=node_modules --ignore=tests -v0
.venv/bin/python scripts/po.py missing
