"""Writes on tickets. Other apps (followups) create tickets only through `ticket_create`."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from apps.customers.models import Asset, Customer
from apps.org.models import Store, User

from .models import Ticket, TicketEvent

# How long a kind of ticket may wait for an answer to the customer before it escalates.
ANSWER_WITHIN = {
    Ticket.Kind.COMPLAINT: dt.timedelta(days=2),
    Ticket.Kind.FOLLOW_ON: dt.timedelta(days=2),
    Ticket.Kind.INQUIRY: dt.timedelta(days=2),
}


def ticket_next_number(*, store: Store, kind: str, when: dt.datetime | None = None) -> str:
    prefix = {"repair_order": "WT", "complaint": "TS", "inquiry": "ZX", "follow_on": "HX"}[kind]
    day = timezone.localtime(when or timezone.now()).strftime("%Y%m%d")
    stem = f"{prefix}{store.pk:03d}-{day}-"
    last = (
        Ticket.objects.filter(number__startswith=stem)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{stem}{seq:04d}"


@transaction.atomic
def ticket_create(
    *,
    store: Store,
    customer: Customer,
    kind: str,
    title: str,
    created_by: User,
    description: str = "",
    asset: Asset | None = None,
    assignee: User | None = None,
    priority: str = Ticket.Priority.NORMAL,
    source: str = "",
    promised_at: dt.datetime | None = None,
    is_major_repair: bool = False,
) -> Ticket:
    now = timezone.now()
    answer_within = ANSWER_WITHIN.get(kind)
    ticket = Ticket.objects.create(
        store=store,
        number=ticket_next_number(store=store, kind=kind, when=now),
        kind=kind,
        title=title,
        description=description,
        customer=customer,
        asset=asset,
        assignee=assignee or created_by,
        created_by=created_by,
        priority=priority,
        source=source,
        promised_at=promised_at,
        is_major_repair=is_major_repair,
        answer_due_at=now + answer_within if answer_within else None,
    )
    TicketEvent.objects.create(ticket=ticket, kind=TicketEvent.Kind.CREATED, by=created_by, text=description)
    return ticket
