"""Open matters handed over at a shift change (交接班).

Checklists (failed items) and other apps (tickets, followups) register a provider in their
AppConfig.ready(); the handover (apps/handovers) lists what every provider returns for the outgoing
person, without reaching into their tables:

    from apps.checklists.open_matters import OpenMatter, register_provider

    def open_tickets(*, user, store):
        return [OpenMatter(kind="ticket", label=..., url=..., since=..., ref=f"ticket:{t.pk}") for t in ...]

    register_provider("tickets", open_tickets)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class OpenMatter:
    kind: str  # "ticket", "followup", "checklist_item" …
    label: str
    url: str
    since: dt.datetime | None = None
    ref: str = ""  # a stable key such as "ticket:42", kept on the handover record


_providers: dict[str, Callable[..., list[OpenMatter]]] = {}


def register_provider(name: str, provider: Callable[..., list[OpenMatter]]) -> None:
    _providers[name] = provider


def open_matters_for(*, user, store) -> list[OpenMatter]:
    matters: list[OpenMatter] = []
    for name in sorted(_providers):
        matters.extend(_providers[name](user=user, store=store))
    return matters
