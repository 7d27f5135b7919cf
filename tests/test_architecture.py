"""The import direction of docs/architecture.md, enforced: an app imports only the apps listed for it."""

import re
from pathlib import Path

APPS = Path(__file__).resolve().parent.parent / "apps"
IMPORT = re.compile(r"^\s*(?:from|import)\s+apps\.([a-z_]+)", re.MULTILINE)

ALLOWED = {
    "org": set(),
    "health": {"org"},
    "printing": {"org", "health"},
    "notifications": {"org", "health"},
    "roles": {"org", "health", "printing"},
    "checklists": {"org", "health", "notifications", "roles", "printing"},
    "handovers": {"org", "health", "printing", "checklists"},
    "customers": {"org", "health", "notifications", "printing"},
    "tickets": {"org", "health", "notifications", "roles", "customers", "checklists", "printing"},
    "followups": {
        "org",
        "health",
        "notifications",
        "roles",
        "customers",
        "tickets",
        "checklists",
        "printing",
    },
    "targets": {
        "org",
        "health",
        "notifications",
        "roles",
        "checklists",
        "handovers",
        "customers",
        "tickets",
        "followups",
        "printing",
    },
}


# Topic modules directly under apps/ (not apps themselves) that any app may use.
SHARED_MODULES = {p.stem for p in APPS.glob("*.py") if p.stem != "__init__"}


def imports_of(app: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in (APPS / app).rglob("*.py"):
        for other in set(IMPORT.findall(path.read_text(encoding="utf-8"))) - {app} - SHARED_MODULES:
            found.setdefault(other, set()).add(str(path.relative_to(APPS)))
    return found


def test_every_app_is_listed():
    apps = {p.name for p in APPS.iterdir() if (p / "apps.py").exists()}
    assert apps == set(ALLOWED)


def test_apps_import_only_in_the_allowed_direction():
    wrong = [
        f"{app} imports {other} in {', '.join(sorted(files))}"
        for app, allowed in ALLOWED.items()
        for other, files in imports_of(app).items()
        if other not in allowed
    ]
    assert not wrong, "\n".join(wrong)
