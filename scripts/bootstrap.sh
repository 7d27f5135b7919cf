#!/usr/bin/env bash
# Shared by `make run` and `make test`: system packages (Debian, when root), the virtual environment
# with the locked dependencies, and compiled translations. Safe to run again: it reuses what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
have() { command -v "$1" >/dev/null 2>&1; }
pkg_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

# What every mode needs: gettext (compile translations), Pango and the CJK font (WeasyPrint PDFs).
for pkg in gettext fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core "$@"; do
  pkg_installed "$pkg" || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && have apt-get; then
    echo "==> installing Debian packages: ${need_apt[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null || true
    apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  else
    echo "!! missing Debian packages (run as root to install them): ${need_apt[*]}" >&2
  fi
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv"
  "$PYTHON" -m venv .venv
fi
if [ ! -x .venv/bin/uv ]; then
  .venv/bin/pip install -q --disable-pip-version-check "uv==0.13.9"
fi
echo "==> installing locked dependencies (uv.lock)"
UV_PROJECT_ENVIRONMENT=.venv .venv/bin/uv sync --frozen --quiet

echo "==> compiling translations"
.venv/bin/python manage.py compilemessages --ignore=.venv --ignore=node_modules -v0
