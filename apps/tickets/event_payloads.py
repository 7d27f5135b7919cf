"""What a published ticket event (apps.notifications.events) says about the ticket."""

from __future__ import annotations

from django.conf import settings

from .models import Ticket


def ticket_event_payload(ticket: Ticket) -> dict:
    """What a webhook says about a ticket (plain JSON values; no phone or ID numbers)."""
    return {
        "id": ticket.pk,
        "number": ticket.number,
        "kind": ticket.kind,
        "title": ticket.title,
        "priority": ticket.priority,
        "state": ticket.state,
        "customer_id": ticket.customer_id,
        "assignee": str(ticket.assignee or ""),
        "promised_at": ticket.promised_at.isoformat() if ticket.promised_at else None,
        "settled_at": ticket.settled_at.isoformat() if ticket.settled_at else None,
        "escalation_level": ticket.escalation_level,
        "url": settings.SITE_URL.rstrip("/") + ticket.get_absolute_url(),
    }
