"""What tickets plug into other apps' registries: the handover's open matters, the customer
timeline, the PIPL export and the home page."""

from apps.checklists.open_matters import OpenMatter
from apps.customers.timeline import TimelineEntry
from apps.org.access import can

from .models import Ticket, TicketEvent
from .selectors import my_tickets, open_tickets_for, tickets_for_review

EVENT_ICONS = {
    TicketEvent.Kind.ESCALATED: "bi-arrow-up-circle text-danger",
    TicketEvent.Kind.WARNING: "bi-alarm text-warning",
    TicketEvent.Kind.ANSWERED: "bi-chat-left-text text-success",
    TicketEvent.Kind.SOLUTION: "bi-lightbulb",
    TicketEvent.Kind.ASSIGNED: "bi-person-up",
    TicketEvent.Kind.SETTLED: "bi-cash-coin",
    TicketEvent.Kind.CONFIRMED: "bi-person-check",
    TicketEvent.Kind.REVIEW: "bi-flag text-warning",
}
TIMELINE_EVENT_KINDS = [k for k in TicketEvent.Kind.values if k not in (TicketEvent.Kind.CREATED,)]


def open_tickets(*, user, store):
    return [
        OpenMatter(
            kind="ticket",
            label=f"{t.number} {t.get_kind_display()} · {t.customer.name} · {t.title}",
            url=t.get_absolute_url(),
            since=t.created_at,
            ref=f"ticket:{t.pk}",
        )
        for t in open_tickets_for(user=user, store=store)
    ]


def timeline_entries(*, customer, asset=None):
    tickets = Ticket.objects.filter(customer=customer)
    if asset is not None:
        tickets = tickets.filter(asset=asset)
    entries = [
        TimelineEntry(
            at=t.created_at,
            kind="ticket",
            title=f"{t.get_kind_display()} {t.number} · {t.get_state_display()}",
            text=t.title,
            url=t.get_absolute_url(),
            icon="bi-ticket-detailed",
            by=str(t.created_by),
        )
        for t in tickets.select_related("created_by")[:100]
    ]
    events = (
        TicketEvent.objects.filter(ticket__in=tickets, kind__in=TIMELINE_EVENT_KINDS)
        .select_related("ticket", "by")
        .order_by("-at")[:200]
    )
    entries += [
        TimelineEntry(
            at=e.at,
            kind="ticket_event",
            title=f"{e.ticket.number} · {e.get_kind_display()}",
            text=e.text,
            url=e.ticket.get_absolute_url(),
            icon=EVENT_ICONS.get(e.kind, "bi-dot"),
            by=str(e.by or ""),
        )
        for e in events
    ]
    return entries


def personal_data(*, customer):
    return [
        {
            "number": t.number,
            "kind": t.kind,
            "title": t.title,
            "description": t.description,
            "state": t.state,
            "created_at": t.created_at.isoformat(),
            "settled_at": t.settled_at.isoformat() if t.settled_at else None,
            "settlement_amount": str(t.settlement_amount) if t.settlement_amount is not None else None,
            "events": [{"at": e.at.isoformat(), "kind": e.kind, "text": e.text} for e in t.events.all()],
        }
        for t in Ticket.objects.filter(customer=customer).prefetch_related("events")
    ]


def my_tickets_panel(request):
    if not can(request.user, "tickets.view"):
        return None
    tickets = list(my_tickets(user=request.user))
    reviews = list(tickets_for_review(user=request.user)[:5]) if can(request.user, "tickets.assign") else []
    return {
        "template": "tickets/_home_panel.html",
        "order": 30,
        "css": "col-lg-4",
        "tickets": tickets,
        "reviews": reviews,
        "user_id": request.user.pk,
    }
