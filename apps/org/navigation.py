"""What the header menu and the home page show; each app registers its own entries in `ready()`.

from apps.org.navigation import NavItem, register_nav, register_home_panel
register_nav(NavItem(_("Customers"), "customers:list", perm="customers.view", order=40))
register_home_panel(my_panel)  # my_panel(request) -> {"template": ..., "order": n, ...} or None
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise

from .access import can


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    perm: str | None = None
    order: int = 50
    icon: str = ""
    # Only for people who may do `perm` in a store of one of these kinds (e.g. the bank's desk).
    kinds: frozenset[str] | None = None

    def visible_to(self, user) -> bool:
        if not user.is_authenticated or (self.perm is not None and not can(user, self.perm)):
            return False
        if self.kinds is None or user.is_superuser:
            return True
        perm = self.perm or "store.view"
        # An organisation's admin sees it through a membership in such a store (no query per page);
        # the page itself answers every admin of the organisation.
        return any(m.store.kind in self.kinds and can(user, perm, m.store) for m in user.active_memberships)


_nav: list[NavItem] = []
_panels: list[Callable] = []


def register_nav(item: NavItem) -> None:
    if item not in _nav:
        _nav.append(item)


def register_home_panel(panel: Callable) -> None:
    if panel not in _panels:
        _panels.append(panel)


def nav_for(request) -> list[dict]:
    items = sorted((i for i in _nav if i.visible_to(request.user)), key=lambda i: i.order)
    out = []
    for item in items:
        url = reverse(item.url_name)
        out.append(
            {"label": item.label, "url": url, "icon": item.icon, "active": request.path.startswith(url)}
        )
    return out


def home_panels_for(request) -> list[dict]:
    panels = [p for p in (fn(request) for fn in _panels) if p]
    return sorted(panels, key=lambda p: p.get("order", 50))


GRID = 12
_WIDTH = re.compile(r"\bcol-(?:lg-)?(\d+)\b")


def panel_width(css: str | None, default: int = 4) -> int:
    """The large-screen width (in twelfths) a panel asks for: "col-lg-5" -> 5, "col-12" -> 12."""
    match = _WIDTH.search(css or "")
    return min(GRID, max(1, int(match.group(1)))) if match else default


def fill_rows(widths: list[int]) -> list[int]:
    """The widths laid out in rows of twelve, each row's spare columns shared among its panels (the
    last ones get the odd column), so that no row of the home page ends in an empty column."""
    out: list[int] = []
    row: list[int] = []

    def close():
        spare = GRID - sum(row)
        for i in range(len(row)):
            row[i] += spare // len(row) + (1 if i >= len(row) - spare % len(row) else 0)
        out.extend(row)
        row.clear()

    for w in widths:
        if row and sum(row) + w > GRID:
            close()
        row.append(w)
    if row:
        close()
    return out
