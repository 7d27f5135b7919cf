"""The registry of weekly-report sections: each app adds the figures it owns.

    from apps.reports.sections import Figure, Section, register_section

    def complaints_section(store, start, end) -> Section | None: ...
    register_section("complaints", complaints_section, order=10)
    register_section("on_time", on_time_by_advisor, order=30, kinds={StoreKind.SERVICE_STATION})

A provider gets a store and the week's first and last day (dates) and returns a `Section` (or None
when it has nothing to say for that store). The station's monthly quality meeting pack is drafted the
same way from its own sections (`report=QUALITY`), given the month's first and last day. Sections are plain data, so a submitted report keeps a
snapshot of them (`as_data`) that later changes to the records do not alter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from apps.org.models import Store


@dataclass
class Figure:
    label: str
    value: str | int | float | None
    note: str = ""
    warn: bool = False


@dataclass
class Section:
    key: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    empty: str = ""


@dataclass(frozen=True)
class _Provider:
    key: str
    fn: Callable[[Store, dt.date, dt.date], Section | None]
    order: int
    kinds: frozenset[str] | None
    report: str


WEEKLY = "weekly"  # the weekly report every store owes its superior
QUALITY = "quality"  # the service station's monthly quality meeting pack (质量目标沟通会)

_providers: dict[tuple[str, str], _Provider] = {}


def register_section(key: str, fn, *, order: int = 50, kinds=None, report: str = WEEKLY) -> None:
    _providers[(report, key)] = _Provider(key, fn, order, frozenset(kinds) if kinds else None, report)


def sections_for(store: Store, start: dt.date, end: dt.date, *, report: str = WEEKLY) -> list[Section]:
    out = []
    for p in sorted(_providers.values(), key=lambda p: (p.order, p.key)):
        if p.report != report:
            continue
        if p.kinds is not None and store.kind not in p.kinds:
            continue
        section = p.fn(store, start, end)
        if section is not None:
            out.append(section)
    return out


def as_data(sections: list[Section]) -> list[dict]:
    return [
        {
            **asdict(s),
            "title": str(s.title),
            "empty": str(s.empty),
            "headers": [str(h) for h in s.headers],
            "rows": [[str(c) for c in r] for r in s.rows],
            "figures": [
                {**asdict(f), "label": str(f.label), "note": str(f.note), "value": _plain(f.value)}
                for f in s.figures
            ],
        }
        for s in sections
    ]


def _plain(value):
    return value if value is None or isinstance(value, int | float) else str(value)


def from_data(rows: list[dict]) -> list[Section]:
    return [
        Section(
            key=r["key"],
            title=r["title"],
            figures=[Figure(**f) for f in r.get("figures", [])],
            headers=r.get("headers", []),
            rows=r.get("rows", []),
            empty=r.get("empty", ""),
        )
        for r in rows
    ]
