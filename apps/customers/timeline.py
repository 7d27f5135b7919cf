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
from dataclasses import dataclass, replace

from django.utils import timezone

from apps.org.access import can


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    kind: str  # "visit", "note", "ticket", "ticket_event", "followup" …
    title: str
    text: str = ""
    url: str = ""
    icon: str = "bi-dot"
    by: str = ""
    # The capability (`apps.org.access`) needed to open `url` in the customer's store: a reader
    # without it sees the entry without the link.
    perm: str = ""


_sources: dict[str, Callable[..., list[TimelineEntry]]] = {}


def register_timeline_source(name: str, source: Callable[..., list[TimelineEntry]]) -> None:
    _sources[name] = source


def as_datetime(value: dt.date | dt.datetime) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return timezone.make_aware(dt.datetime.combine(value, dt.time(12, 0)))


def timeline_for(*, customer, asset=None, user=None, limit: int = 200) -> list[TimelineEntry]:
    """Every registered source's entries, newest first (one or two queries per source). With a
    `user`, an entry's link is kept only when the user may open it (its `perm`)."""
    entries: list[TimelineEntry] = []
    for name in sorted(_sources):
        entries.extend(_sources[name](customer=customer, asset=asset))
    entries.sort(key=lambda e: e.at, reverse=True)
    entries = entries[:limit]
    if user is not None:
        allowed = {perm: can(user, perm, customer.store) for perm in {e.perm for e in entries if e.perm}}
        entries = [replace(e, url="") if e.perm and not allowed[e.perm] else e for e in entries]
    return entries
