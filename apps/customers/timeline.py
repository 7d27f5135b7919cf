"""A customer's (or an asset's) timeline: visits, notes and whatever other apps register.

Other apps add entries without this app importing them:

    from apps.customers.timeline import TimelineEntry, register_timeline_source

    def my_entries(*, customer, asset=None) -> list[TimelineEntry]: ...
    register_timeline_source("followups", my_entries)   # in AppConfig.ready()

`asset` is given when the page is an asset's timeline: return only the entries about that asset.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    kind: str  # "visit", "note", "ticket", "ticket_event", "followup" …
    title: str
    text: str = ""
    url: str = ""
    icon: str = "bi-dot"
    by: str = ""


_sources: dict[str, Callable[..., list[TimelineEntry]]] = {}


def register_timeline_source(name: str, source: Callable[..., list[TimelineEntry]]) -> None:
    _sources[name] = source


def as_datetime(value: dt.date | dt.datetime) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return timezone.make_aware(dt.datetime.combine(value, dt.time(12, 0)))


def timeline_for(*, customer, asset=None, limit: int = 200) -> list[TimelineEntry]:
    """Every registered source's entries, newest first (one or two queries per source)."""
    entries: list[TimelineEntry] = []
    for name in sorted(_sources):
        entries.extend(_sources[name](customer=customer, asset=asset))
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:limit]
