"""pyproject.toml declares what the code uses, and the code uses what it declares.

A runtime dependency is used when apps/, config/ or scripts/ import it, or name one of its modules
in a string (INSTALLED_APPS, MIDDLEWARE, storage backends): Django imports those. The few used only
from the command line are listed below with the file that runs them. Whatever apps/ and config/
import is a runtime dependency (production installs no dev group); scripts/, tests/ and
benchmarks/ may also import the dev group. Imports are mapped to distributions through the
installed packages' metadata, so this reads the same virtualenv the suite runs in.
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from collections.abc import Iterator
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRST_PARTY = {"apps", "config", "tests", "benchmarks", "manage"}

# Runtime dependencies no Python file imports: each is run or loaded by what the file shows, and
# the test checks that the file still shows it.
RUNTIME_ONLY = {
    "gunicorn": ("Dockerfile", "exec gunicorn"),  # the production web server (the image's CMD)
    "honcho": ("scripts/run.sh", ".venv/bin/honcho"),  # `make run`: web, worker and beat on a fresh machine
    "psycopg": ("docker-compose.yml", "DATABASE_URL: postgres://"),  # Django's PostgreSQL backend
    "redis": ("docker-compose.yml", "REDIS_URL: redis://"),  # the Celery broker's client (kombu loads it)
}
# WIP: declared for a branch that does not use them yet (the list only shrinks).
WIP: set[str] = set()
# Imported by the code but installed only as another package's dependency: to be declared in
# pyproject.toml (reported; not edited here). The test fails once an entry is declared, so that it
# is removed from this list.
UNDECLARED_FOR_NOW = {
    "prometheus-client": "apps/health/metrics.py imports prometheus_client; django-prometheus brings it",
}


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(spec: str) -> str:
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", spec)
    assert match, spec
    return normalise(match[1])


@cache
def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def runtime() -> set[str]:
    return {requirement_name(s) for s in pyproject()["project"]["dependencies"]}


def dev() -> set[str]:
    return {requirement_name(s) for s in pyproject().get("dependency-groups", {}).get("dev", [])}


@cache
def distributions_of_module() -> dict[str, set[str]]:
    """{top-level module: {distribution}} for everything installed."""
    return {
        module: {normalise(d) for d in dists}
        for module, dists in importlib.metadata.packages_distributions().items()
    }


def python_files(*roots: str) -> Iterator[Path]:
    for root in roots:
        path = ROOT / root
        if path.is_file():
            yield path
        else:
            yield from (p for p in path.rglob("*.py") if "__pycache__" not in p.parts)


def imported_modules(*roots: str) -> dict[str, set[str]]:
    """{third-party top-level module: {file importing it}} (stdlib and first-party left out)."""
    found: dict[str, set[str]] = {}
    for path in python_files(*roots):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                local = (path.parent / f"{top}.py").exists()  # a sibling module (benchmarks/)
                if top not in sys.stdlib_module_names and top not in FIRST_PARTY and not local:
                    found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


DOTTED = re.compile(r"[A-Za-z_]\w*(?:\.\w+)*")


def modules_named_in_strings(*roots: str) -> set[str]:
    """Top-level modules of installed packages named in string constants ("whitenoise.middleware...")."""
    installed = distributions_of_module()
    named = set()
    for path in python_files(*roots):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and DOTTED.fullmatch(node.value)
            ):
                top = node.value.split(".")[0]
                if top in installed:
                    named.add(top)
    return named


def distributions(modules) -> set[str]:
    installed = distributions_of_module()
    return {dist for module in modules for dist in installed.get(module, {f"<not installed: {module}>"})}


def undeclared(imports: dict[str, set[str]], declared: set[str]) -> dict[str, list[str]]:
    installed = distributions_of_module()
    missing = {}
    for module, files in imports.items():
        dists = installed.get(module)
        if not dists or not dists & declared:
            missing[f"{module} ({', '.join(sorted(dists or ['not installed']))})"] = sorted(files)
    return missing


def test_every_runtime_dependency_is_used_by_the_code():
    roots = ("apps", "config", "scripts", "manage.py")
    used = distributions(imported_modules(*roots)) | distributions(modules_named_in_strings("apps", "config"))
    unused = runtime() - used - set(RUNTIME_ONLY) - WIP
    assert unused == set(), f"declared in [project] dependencies but never used: {sorted(unused)}"


def test_the_runtime_only_dependencies_are_still_run_where_the_list_says():
    for name, (file, shows) in RUNTIME_ONLY.items():
        assert name in runtime(), f"{name} is no longer a dependency: remove it from RUNTIME_ONLY"
        assert shows in (ROOT / file).read_text(encoding="utf-8"), f"{file} no longer shows {shows!r}"


def test_the_wip_dependencies_are_declared_and_not_yet_used():
    """Once a branch imports one, it leaves the WIP list (the list only shrinks)."""
    assert runtime() >= WIP
    used = distributions(imported_modules("apps", "config", "scripts")) | distributions(
        modules_named_in_strings("apps", "config")
    )
    assert WIP & used == set(), f"used now: remove {sorted(WIP & used)} from WIP"


def test_what_the_app_imports_is_a_runtime_dependency():
    """Production installs no dev group: apps/ and config/ import only runtime dependencies."""
    imports = imported_modules("apps", "config", "manage.py")
    assert undeclared(imports, runtime() | set(UNDECLARED_FOR_NOW)) == {}, "imported but not declared"
    declared_now = set(UNDECLARED_FOR_NOW) & runtime()
    assert declared_now == set(), f"declared now: remove {sorted(declared_now)} from UNDECLARED_FOR_NOW"
    no_longer_imported = set(UNDECLARED_FOR_NOW) - distributions(imports)
    assert no_longer_imported == set(), f"remove {sorted(no_longer_imported)} from UNDECLARED_FOR_NOW"


def test_what_scripts_tests_and_benchmarks_import_is_declared():
    missing = undeclared(imported_modules("scripts", "tests", "benchmarks"), runtime() | dev())
    assert missing == {}, "imported but declared neither as a dependency nor in the dev group"


def test_the_declared_dependencies_are_installed():
    """The mapping above reads the installed metadata: a declared package that is not installed
    would make every check here pass vacuously for it."""
    installed = {dist for dists in distributions_of_module().values() for dist in dists}
    assert (runtime() | dev()) - installed == set()
