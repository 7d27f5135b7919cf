"""Business events other systems may hear about (webhooks, chat group robots).

An app that owns the event calls `publish` inside the transaction of the write, after the write:

    from apps.notifications.events import TICKET_CREATED, publish

    publish(TICKET_CREATED, store=ticket.store, key=f"ticket:{ticket.pk}", payload={...})

Subscribers (apps/integrations, in its AppConfig.ready()) run inside that same transaction, so what
they record (an outbox row) commits or rolls back with the event itself; anything that leaves the
process waits for `transaction.on_commit`. `key` names the occurrence: publishing the same event
with the same key twice is one occurrence (subscribers keep it once). The payload is plain JSON
values, no personal data beyond names already shown to the store's staff.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

TICKET_CREATED = "ticket.created"
TICKET_ESCALATED = "ticket.escalated"
TICKET_SETTLED_LATE = "ticket.settled_late"
CHECKLIST_ITEM_FAILED = "checklist.item_failed"
HANDOVER_SIGNED_WITH_DIFFERENCE = "handover.signed_with_difference"
FOLLOWUP_COMPLAINT = "followup.complaint"

EVENTS = {
    TICKET_CREATED: _("Ticket created"),
    TICKET_ESCALATED: _("Ticket escalated"),
    TICKET_SETTLED_LATE: _("Ticket settled late"),
    CHECKLIST_ITEM_FAILED: _("Checklist item failed"),
    HANDOVER_SIGNED_WITH_DIFFERENCE: _("Handover signed with a difference"),
    FOLLOWUP_COMPLAINT: _("Complaint in a follow-up call"),
}

Subscriber = Callable[..., object]
_subscribers: list[Subscriber] = []


def subscribe(subscriber: Subscriber) -> None:
    """`subscriber(event=, store=, key=, payload=)` is called for every published event."""
    if subscriber not in _subscribers:
        _subscribers.append(subscriber)


def publish(event: str, *, store, key: str, payload: dict) -> None:
    if event not in EVENTS:
        raise ValueError(f"unknown event {event!r}")
    for subscriber in list(_subscribers):
        subscriber(event=event, store=store, key=key, payload=payload)
