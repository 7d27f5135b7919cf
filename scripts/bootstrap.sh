#!/usr/bin/env bash
# Shared by `make run` and `make test`: system packages (Debian, when root), the virtual environment
# with the locked dependencies, and compiled translations. Safe to run again: it reuses what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
have() { command -v "$1" >/dev/null 2>&1; }
pkg_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

# What every mode needs: gettext (compile translations), Pango, HarfBuzz subsetting and the CJK and
# Latin fonts (WeasyPrint PDFs),
# and python3-venv where the interpreter cannot make a virtual environment (a minimal Debian).
PYTHON=${PYTHON:-python3}
wanted=(gettext fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core "$@")
if [ ! -x .venv/bin/python ] && ! "$PYTHON" -c "import ensurepip, venv" >/dev/null 2>&1; then
  wanted+=("python3-venv")
fi
for pkg in "${wanted[@]}"; do
  pkg_installed "$pkg" || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && have apt-get; then
    echo "==> installing Debian packages: ${need_apt[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # Wait (up to 10 minutes) for another apt or dpkg run to let go of the lock instead of failing.
    apt_opts=(-o DPkg::Lock::Timeout=600 -o APT::Get::Assume-Yes=true)
    # Services of newly installed packages (PostgreSQL, Redis) do not start: the test command runs
    # its own throwaway servers and leaves nothing running. An existing policy is respected.
    policy=/usr/sbin/policy-rc.d
    own_policy=0
    if [ ! -e "$policy" ]; then
      printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && own_policy=1
    fi
    trap '[ "$own_policy" = 1 ] && rm -f "$policy"' EXIT
    if ! apt-get update -qq "${apt_opts[@]}"; then
      echo "!! apt-get update failed (see above): cannot install ${need_apt[*]}" >&2
      exit 1
    fi
    if ! apt-get install -qq --no-install-recommends "${apt_opts[@]}" "${need_apt[@]}" >/dev/null; then
      echo "!! apt-get install failed: ${need_apt[*]}" >&2
      exit 1
    fi
    [ "$own_policy" = 1 ] && rm -f "$policy"
    own_policy=0
  else
    echo "!! missing Debian packages (run as root to install them): ${need_apt[*]}" >&2
  fi
fi
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
