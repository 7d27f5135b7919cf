#!/usr/bin/env bash
# The linters, as `make lint` and `scripts/test.sh` run them: ruff, django-upgrade (a no-op on a
# formatted tree) and mypy against its baseline (scripts/mypy_check.py). `--fix` applies what ruff
# and django-upgrade would change instead (that is `make format`).
set -euo pipefail
cd "$(dirname "$0")/.."
# Every Python file of the project (the virtualenv, vendored files and var/ left out).
python_files() {
  find apps config scripts tests benchmarks manage.py -name '*.py' -not -path '*/__pycache__/*' -print0
}
if [ "${1:-}" = "--fix" ]; then
  .venv/bin/ruff check --fix .
  python_files | xargs -0 .venv/bin/django-upgrade --target-version 5.2 --exit-zero-even-if-changed
  .venv/bin/ruff format .
  exit 0
fi
echo "==> ruff check / ruff format --check"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "==> django-upgrade --target-version 5.2 --check"
python_files | xargs -0 .venv/bin/django-upgrade --target-version 5.2 --check
echo "==> mypy (against mypy-baseline.txt)"
.venv/bin/python scripts/mypy_check.py
