"""The targets the after-sales home panel shows next to this month's figures.

Targets are data kept by the targets app (its store-kind profiles, `targets.KindKpi`), which sits
above this app; it registers its reader here from `AppConfig.ready()`. Without a reader, or for a
KPI the stores' kind is not measured by, the panel shows no target (never one written in code)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal

# The panel's figures and the catalogue KPIs they are.
PANEL_KPIS = {
    "return_visit": "followups.return_visit_rate",
    "timeliness": "followups.timeliness_rate",
    "satisfaction": "followups.satisfaction_rate",
}

_reader: Callable[[list[int], list[str]], dict[str, Decimal | None]] | None = None


def register_targets_reader(fn: Callable[[list[int], list[str]], dict[str, Decimal | None]]) -> None:
    """`fn(store_ids, kpi_keys)` answers {kpi key: default target} for the kinds of those stores."""
    global _reader
    _reader = fn


def panel_targets(store_ids: Iterable[int]) -> dict[str, Decimal | None]:
    """{panel figure: target} for the stores (one query through the registered reader)."""
    if _reader is None:
        return {}
    found = _reader(list(store_ids), list(PANEL_KPIS.values()))
    return {name: found.get(key) for name, key in PANEL_KPIS.items()}
