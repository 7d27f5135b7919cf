"""The beat's escalation of tickets not answered in time: a warning first, then up the reporting
line (`tickets_escalate_due`), each step once (`_event_once`)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.notifications.events import TICKET_ESCALATED, publish
from apps.notifications.services import Level, Message, notifications_send_many
from apps.org.models import User

from .duty import on_duty_first, supervisors_of
from .event_payloads import ticket_event_payload
from .models import Ticket, TicketEvent
from .services import OPEN_STATES, _event_once, _schedule, answer_policy


def ticket_escalate(*, ticket: Ticket, now: dt.datetime | None = None) -> list[User]:
    """Escalate one level up the assignee's reporting line (vacant posts skipped); idempotent per level."""
    from apps.roles.selectors import escalation_chain

    now = now or timezone.now()
    level = ticket.escalation_level + 1
    chain = escalation_chain(user=ticket.assignee, store=ticket.store) if ticket.assignee else []
    if not chain and level == 1 and ticket.assignee:
        fallback = supervisors_of(user=ticket.assignee, store=ticket.store, at=now)
        chain = [fallback] if fallback else []
    people = chain[level - 1] if level <= len(chain) else []
    if people:
        # The roster: the manager on duty now takes it, when there is one.
        people = on_duty_first(
            people, store=ticket.store, at=now, instead_of=ticket.assignee, first_level=level == 1
        )
    if not people:
        _event_once(
            ticket,
            TicketEvent.Kind.ESCALATED,
            key=f"escalate:{level}:top",
            text=_("Nobody further up the reporting line."),
            data={"level": level, "to": []},
        )
        ticket.next_escalation_at = None
        ticket.save(update_fields=["next_escalation_at"])
        return []
    created = _event_once(
        ticket,
        TicketEvent.Kind.ESCALATED,
        key=f"escalate:{level}",
        text=_("Not answered in time: escalated to %(people)s.")
        % {"people": "、".join(str(p) for p in people)},
        data={"level": level, "to": [p.pk for p in people], "names": [str(p) for p in people]},
    )
    if created:
        ticket.escalated_to.add(*people)
        notifications_send_many(
            recipients=people,
            key=f"tickets:escalate:{ticket.pk}:{level}",
            title=Message(
                gettext_noop("Escalated to you: %(number)s %(title)s (not answered in time)"),
                number=ticket.number,
                title=ticket.title,
            ),
            url=ticket.get_absolute_url(),
            store=ticket.store,
            level=Level.DANGER,
            source="tickets",
        )
    ticket.escalation_level = level
    policy = answer_policy(kind=ticket.kind, priority=ticket.priority)
    if policy:
        _schedule(ticket, start=now, policy=policy)
    else:
        ticket.next_escalation_at = ticket.warn_at = None
    ticket.save(update_fields=["escalation_level", "next_escalation_at", "warn_at"])
    if created:
        publish(
            TICKET_ESCALATED,
            store=ticket.store,
            key=f"ticket:{ticket.pk}:level:{level}",
            payload={
                "ticket": ticket_event_payload(ticket),
                "level": level,
                "escalated_to": [str(p) for p in people],
            },
        )
    return people


def tickets_escalate_due(*, now: dt.datetime | None = None, batch: int = 200) -> dict[str, int]:
    """Beat, every minute: warn before the breach, escalate after it. Rows are claimed with
    SKIP LOCKED and every step is keyed (TicketEvent.key), so doubled ticks do nothing twice."""
    now = now or timezone.now()
    done = {"warned": 0, "escalated": 0}
    with transaction.atomic():
        due = list(
            Ticket.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(answered_at__isnull=True, state__in=OPEN_STATES)
            .filter(Q(warn_at__lte=now) | Q(next_escalation_at__lte=now))
            .select_related("store", "assignee")
            .order_by("pk")[:batch]
        )
        for ticket in due:
            if ticket.warn_at and ticket.warn_at <= now:
                level = ticket.escalation_level + 1
                if _event_once(
                    ticket,
                    TicketEvent.Kind.WARNING,
                    key=f"warn:{level}",
                    text=_("The answer is due at %(due)s.")
                    % {"due": timezone.localtime(ticket.next_escalation_at).strftime("%Y-%m-%d %H:%M")}
                    if ticket.next_escalation_at
                    else "",
                    data={"level": level},
                ):
                    done["warned"] += 1
                    notifications_send_many(
                        recipients=[ticket.assignee],
                        key=f"tickets:warn:{ticket.pk}:{level}",
                        title=Message(
                            gettext_noop("Answer the customer soon: %(number)s %(title)s"),
                            number=ticket.number,
                            title=ticket.title,
                        ),
                        url=ticket.get_absolute_url(),
                        store=ticket.store,
                        level=Level.WARNING,
                        source="tickets",
                    )
                ticket.warn_at = None
                ticket.save(update_fields=["warn_at"])
            due_now = ticket.next_escalation_at and ticket.next_escalation_at <= now
            if due_now and ticket_escalate(ticket=ticket, now=now):
                done["escalated"] += 1
    return done
