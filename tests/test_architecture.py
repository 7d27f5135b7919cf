"""The boundaries of docs/architecture.md, enforced.

- Between apps: an app imports only the apps listed for it (the direction of the map).
- Between modules: outside its own app, an app is read through its `selectors`, changed through its
  `services`, and extended through the registries it declares; org's models, `access` and
  `navigation` (with the few org mechanisms below) and the topic modules directly under `apps/`
  are the shared ground; a `models.py` may name another app's model (a foreign key).
- Views ask, services act: no view module saves, deletes, creates or updates rows itself.
"""

import ast
from pathlib import Path

APPS = Path(__file__).resolve().parent.parent / "apps"

ALLOWED = {
    "org": set(),
    "health": {"org"},
    "printing": {"org", "health"},
    "notifications": {"org", "health"},
    "reports": {"org", "health", "notifications", "printing"},
    "roster": {"org", "health", "notifications", "printing", "reports"},
    "roles": {"org", "health", "printing", "roster", "reports"},
    "checklists": {"org", "health", "notifications", "roles", "printing", "roster", "reports"},
    "handovers": {"org", "health", "notifications", "printing", "checklists", "roster", "reports"},
    "customers": {"org", "health", "notifications", "printing", "roster", "reports"},
    "tickets": {
        "org",
        "health",
        "notifications",
        "roles",
        "customers",
        "checklists",
        "printing",
        "roster",
        "reports",
    },
    "followups": {
        "org",
        "health",
        "notifications",
        "roles",
        "customers",
        "tickets",
        "checklists",
        "printing",
        "roster",
        "reports",
    },
    "bankdesk": {
        "org",
        "health",
        "notifications",
        "printing",
        "roster",
        "reports",
        "handovers",
        "targets",
    },
    # Last: hears every app's events (apps.notifications.events) and reads their selectors.
    "integrations": {
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
        "roster",
        "reports",
        "targets",
        "bankdesk",
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
        "roster",
        "reports",
    },
    # The REST API sits above every app: it reads and writes through their selectors and services
    # (and the pages' forms and filters, handed out by the selectors), and no app imports it.
    "api": {
        "org",
        "health",
        "notifications",
        "printing",
        "roster",
        "reports",
        "roles",
        "checklists",
        "handovers",
        "customers",
        "tickets",
        "followups",
        "targets",
        "bankdesk",
    },
}

# Every app's public face: its reads and its writes.
FRONT_DOORS = {"selectors", "services"}

# The shared ground: org's models, who-may-do-what and the menu, and the org mechanisms that
# docs/architecture.md names as the one way to do a thing in every app.
SHARED_GROUND = {
    "org": {
        "models",
        "access",
        "navigation",
        "redirects",  # safe_next: the only way a view follows a `next`
        "passwords",  # password_confirm: every password typed into a page
        "formfields",  # form fields that distrust input further than Django's
        "retention",  # the admin of kept records (nothing with history is hard-deleted)
        "sort_labels",  # the translated labels of a list's sort options
        "two_factor",  # who must give a code at sign-in: making an API token asks the same
    },
}

# The registries (and the one renderer) through which a lower app is extended or used by the apps
# above it; each lower app declares them, the higher apps register into them in AppConfig.ready().
REGISTRIES = {
    "health": {"gauges"},  # register_gauge: operator gauges on /metrics and /healthz
    "printing": {
        "builders",  # register_builder: long print and import jobs
        "documents",  # render_pdf / pdf_response: the one HTML -> PDF renderer
    },
    "roles": {"checklist_proposals"},  # checklist templates proposed from a SOP
    "checklists": {
        "open_matters",  # what the shift handover lists as still open
        "closing_report",  # what the 日清日结 closing report shows besides the runs
    },
    "reports": {
        "sections",  # register_section: what each app adds to the weekly report
        "submissions",  # register_on_submit: what a submitted weekly report ticks elsewhere
    },
    "targets": {"kpis"},  # kpi_formula: the KPI catalogue the apps fill with their formulas
    "followups": {"panel_targets"},  # register_targets_reader: the home panel's targets, kept as data
    "notifications": {"events"},  # publish / subscribe: business events other systems hear about
    "customers": {
        "timeline",  # the customer file's timeline
        "personal_data",  # sections of a customer's personal-data export
    },
}


def app_names() -> set[str]:
    return {p.name for p in APPS.iterdir() if (p / "apps.py").exists()}


def source_modules():
    """Every Python module of every app except migrations, as (path relative to apps/, tree)."""
    for path in sorted(APPS.glob("*/**/*.py")):
        rel = path.relative_to(APPS)
        if "migrations" in rel.parts:
            continue
        yield rel, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    """ids of the nodes under `if TYPE_CHECKING:` (annotations only: nothing is reached at run time)."""
    hidden: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                hidden.update(id(n) for n in ast.walk(child))
    return hidden


def imported_modules(tree: ast.AST):
    """Every `apps.<app>.<module>` imported anywhere in the tree (functions included), with the line;
    `from apps.x import selectors` counts as importing `apps.x.selectors`."""
    hidden = _type_checking_nodes(tree)
    for node in ast.walk(tree):
        if id(node) in hidden:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            parts = node.module.split(".")
            if len(parts) == 2 and parts[0] == "apps":
                for alias in node.names:
                    yield f"{node.module}.{alias.name}", node.lineno
            else:
                yield node.module, node.lineno


def imports_of(app: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    apps = app_names()
    for rel, tree in source_modules():
        if rel.parts[0] != app:
            continue
        for name, _line in imported_modules(tree):
            parts = name.split(".")
            if parts[0] == "apps" and len(parts) > 1 and parts[1] in apps and parts[1] != app:
                found.setdefault(parts[1], set()).add(str(rel))
    return found


def _is_models_module(rel: Path) -> bool:
    return rel.name == "models.py" or "models" in rel.parts[1:-1]


def test_every_app_is_listed():
    assert app_names() == set(ALLOWED)


def test_apps_import_only_in_the_allowed_direction():
    wrong = [
        f"{app} imports {other} in {', '.join(sorted(files))}"
        for app, allowed in ALLOWED.items()
        for other, files in imports_of(app).items()
        if other not in allowed
    ]
    assert not wrong, "\n".join(wrong)


def test_the_registries_and_shared_ground_exist():
    """The modules named above are real (a renamed registry must be renamed here too)."""
    named = {
        (app, mod) for table in (SHARED_GROUND, REGISTRIES) for app, mods in table.items() for mod in mods
    }
    missing = [
        f"apps/{app}/{mod}.py" for app, mod in sorted(named) if not (APPS / app / f"{mod}.py").exists()
    ]
    assert not missing


def test_another_app_is_reached_only_through_selectors_services_and_registries():
    apps = app_names()
    wrong = []
    for rel, tree in source_modules():
        app = rel.parts[0]
        for name, line in imported_modules(tree):
            parts = name.split(".")
            if parts[0] != "apps" or len(parts) < 2 or parts[1] not in apps or parts[1] == app:
                continue
            other, module = parts[1], (parts[2] if len(parts) > 2 else "")
            if module in FRONT_DOORS or module in SHARED_GROUND.get(other, ()):
                continue
            if module in REGISTRIES.get(other, ()):
                continue
            if module == "models" and _is_models_module(rel):
                continue  # a foreign key to another app's model
            wrong.append(f"apps/{rel}:{line} imports {name}")
    assert not wrong, "reach another app through its selectors/services/registries:\n" + "\n".join(wrong)


# --- views ask; services act ---------------------------------------------------------------------

WRITES = {
    "save",
    "delete",
    "create",
    "get_or_create",
    "update_or_create",
    "bulk_create",
    "bulk_update",
    "update",
}


def view_modules():
    for rel, tree in source_modules():
        if "views" in rel.stem:
            yield rel, tree


def writes_in(tree: ast.AST) -> list[tuple[int, str]]:
    """Calls that write rows: `x.save()`, `x.delete()`, `manager.create(...)` and friends, and any
    `.update(...)` (a dict in a view is merged with `|=`, so `.update` is always a queryset's)."""
    return [
        (node.lineno, ast.unparse(node.func))
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in WRITES
    ]


def test_the_view_walk_finds_the_views():
    found = {str(rel) for rel, _tree in view_modules()}
    assert {"tickets/views.py", "roles/views_import.py", "org/two_factor_views.py"} <= found


def test_the_write_finder_sees_each_kind_of_write():
    source = "form.save()\nobj.delete()\nTicket.objects.create(a=1)\nqs.filter(a=1).update(b=2)\nx.get(a=1)\n"
    assert [call for _line, call in writes_in(ast.parse(source))] == [
        "form.save",
        "obj.delete",
        "Ticket.objects.create",
        "qs.filter(a=1).update",
    ]


def test_views_do_not_write():
    wrong = [
        f"apps/{rel}:{line} calls {call}()" for rel, tree in view_modules() for line, call in writes_in(tree)
    ]
    assert not wrong, "a view asks a service to write:\n" + "\n".join(wrong)


# --- one error style -----------------------------------------------------------------------------


def test_services_refuse_with_validation_error():
    """What a service refuses, it refuses with django's ValidationError (or a subclass of it), or
    PermissionDenied; TypeError / ValueError only say the caller passed what no form can send."""
    import builtins
    import importlib

    from django.core.exceptions import PermissionDenied, ValidationError

    allowed = (ValidationError, PermissionDenied, TypeError, ValueError)
    wrong = []
    for rel, tree in source_modules():
        if rel.name != "services.py":
            continue
        dotted = "apps." + ".".join(rel.with_suffix("").parts)
        module = importlib.import_module(dotted)
        for node in ast.walk(tree):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                name = ast.unparse(node.exc.func)
                raised = getattr(module, name, getattr(builtins, name, None)) if "." not in name else None
                if not (isinstance(raised, type) and issubclass(raised, allowed)):
                    wrong.append(f"{dotted}:{node.lineno} raises {name}")
    assert not wrong, "\n".join(wrong)
