"""Writes on tickets. Other apps (followups) create tickets only through `ticket_create`.

The state machine is `TRANSITIONS`; every change leaves a `TicketEvent` (the full history).
Repair orders: the promise (`promised_at`) is required at check-in and moves only through an added
item the customer re-confirmed; customer-caused delays count only once confirmed; a confirmation is
a `Confirmation` record (who, channel, when, recorded by), never a bare note; `ticket_settle`
decides on-time (no promise: late). A follow-up call saying the car was not delivered on time flags
the order for the manager's review (`ticket_flag_for_review` / `ticket_review_resolve`).
Complaints and the other answered kinds: `answer_due_at` comes from the answer policy in the
store's business hours; `tickets_escalate_due` (beat) warns, then escalates up the reporting line.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.notifications.events import TICKET_CREATED, TICKET_SETTLED_LATE, publish
from apps.notifications.services import Level, notifications_send_many
from apps.org.access import require
from apps.org.models import Membership, Store, User
from apps.org.selectors import managers_of

from .business_hours import add_business_days, add_business_hours, day_hours
from .confirmations import _confirmation_record, _confirmation_text
from .duty import supervisors_of
from .event_payloads import ticket_event_payload
from .models import (
    AddedItem,
    AnswerPolicy,
    Confirmation,
    CustomerDelay,
    Ticket,
    TicketAttachment,
    TicketEvent,
)
from .selectors import ticket_kinds_offered

if TYPE_CHECKING:
    from apps.customers.models import Asset, Customer

# How long a kind of ticket may wait for an answer to the customer before it escalates (the
# default policy, in the store's business days; AnswerPolicy rows override it per kind / priority).
ANSWER_WITHIN = {
    Ticket.Kind.COMPLAINT: dt.timedelta(days=2),
    Ticket.Kind.FOLLOW_ON: dt.timedelta(days=2),
    Ticket.Kind.INQUIRY: dt.timedelta(days=2),
}
DEFAULT_WARN_HOURS = Decimal(4)

S = Ticket.State
TRANSITIONS: dict[str, set[str]] = {
    S.NEW: {S.IN_PROGRESS, S.RESOLVED},
    S.IN_PROGRESS: {S.WAITING_CUSTOMER, S.WAITING_PARTS, S.RESOLVED},
    S.WAITING_CUSTOMER: {S.IN_PROGRESS, S.RESOLVED},
    S.WAITING_PARTS: {S.IN_PROGRESS, S.RESOLVED},
    S.RESOLVED: {S.CLOSED, S.IN_PROGRESS},  # back to in progress: reopen
    S.CLOSED: {S.IN_PROGRESS},  # reopen
}
OPEN_STATES = [S.NEW, S.IN_PROGRESS, S.WAITING_CUSTOMER, S.WAITING_PARTS]


def ticket_next_number(*, store: Store, kind: str, when: dt.datetime | None = None) -> str:
    """The next number of the day for this store and kind. Call inside the creating transaction:
    on PostgreSQL the store row is locked so that two clerks never draw the same number."""
    prefix = {"repair_order": "WT", "complaint": "TS", "inquiry": "ZX", "follow_on": "HX"}[kind]
    day = timezone.localtime(when or timezone.now()).strftime("%Y%m%d")
    stem = f"{prefix}{store.pk:03d}-{day}-"
    if transaction.get_connection().in_atomic_block:
        Store.objects.select_for_update().filter(pk=store.pk).values_list("pk", flat=True).first()
    last = Ticket.objects.filter(number__startswith=stem).aggregate(m=Max("number"))["m"]
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{stem}{seq:04d}"


def answer_policy(*, kind: str, priority: str) -> tuple[Decimal, Decimal] | None:
    """(business days, warn hours) for a kind and priority, or None when it is not answered on a clock."""
    rows = {p.priority: p for p in AnswerPolicy.objects.filter(kind=kind, priority__in=[priority, ""])}
    row = rows.get(priority) or rows.get("")
    if row:
        return row.business_days, row.warn_hours
    default = ANSWER_WITHIN.get(kind)
    if default is None:
        return None
    return Decimal(default.days) + Decimal(default.seconds) / 86400, DEFAULT_WARN_HOURS


def _schedule(ticket: Ticket, *, start: dt.datetime, policy) -> dt.datetime:
    days, warn_hours = policy
    due = add_business_days(store=ticket.store, start=start, days=days)
    ticket.next_escalation_at = due
    # The warning comes `warn_hours` of business time before the breach (never before `start`).
    span_hours = float(days) * _day_hours(ticket.store)
    ticket.warn_at = (
        add_business_hours(store=ticket.store, start=start, hours=span_hours - float(warn_hours))
        if span_hours > float(warn_hours)
        else start
    )
    return due


def _day_hours(store: Store) -> float:
    return day_hours(store)


def _event(ticket, kind, *, by=None, text="", data=None, key="") -> TicketEvent:
    return TicketEvent.objects.create(ticket=ticket, kind=kind, by=by, text=text, data=data or {}, key=key)


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
    if customer.store_id != store.pk:
        raise ValidationError(_("The customer belongs to another store."))
    if asset is not None and asset.customer_id != customer.pk:
        raise ValidationError(_("The vehicle or product belongs to another customer."))
    if kind not in ticket_kinds_offered(store.kind):
        raise ValidationError(
            _("%(store)s does not take tickets of this kind (%(kind)s).")
            % {"store": store.name, "kind": Ticket.Kind(kind).label if kind in Ticket.Kind.values else kind}
        )
    if not store.keeps_vehicles:
        # Vehicle fields belong to service stations: whatever a caller sends, a hall's or a bank's
        # ticket carries no promised delivery time and no vehicle.
        if asset is not None and asset.kind == asset.Kind.VEHICLE:
            raise ValidationError(_("Only a service station's ticket names a vehicle."))
        promised_at, is_major_repair = None, False
    if kind == Ticket.Kind.REPAIR_ORDER and promised_at is None:
        raise ValidationError(_("A repair order needs the promised delivery time."))
    now = timezone.now()
    ticket = Ticket(
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
    )
    policy = answer_policy(kind=kind, priority=priority)
    if policy:
        ticket.answer_due_at = _schedule(ticket, start=now, policy=policy)
    ticket.save()
    _event(ticket, TicketEvent.Kind.CREATED, by=created_by, text=description)
    if promised_at:
        _event(ticket, TicketEvent.Kind.PROMISE, by=created_by, data={"to": promised_at.isoformat()})
    publish(
        TICKET_CREATED,
        store=store,
        key=f"ticket:{ticket.pk}",
        payload={"ticket": ticket_event_payload(ticket)},
    )
    return ticket


def _locked(ticket: Ticket) -> Ticket:
    return Ticket.objects.select_for_update().select_related("store").get(pk=ticket.pk)


@transaction.atomic
def ticket_transition(*, ticket: Ticket, to: str, by: User, note: str = "") -> Ticket:
    """Move the ticket along the state machine; an invalid move raises ValidationError."""
    ticket = _locked(ticket)
    if to not in TRANSITIONS.get(ticket.state, set()):
        raise ValidationError(
            _("A ticket cannot go from “%(from)s” to “%(to)s”.")
            % {
                "from": Ticket.State(ticket.state).label,
                "to": Ticket.State(to).label if to in S.values else to,
            }
        )
    if to == S.CLOSED and ticket.kind == Ticket.Kind.REPAIR_ORDER and not ticket.settled_at:
        raise ValidationError(_("Settle the repair order before closing it."))
    old = ticket.state
    now = timezone.now()
    ticket.state = to
    if to == S.RESOLVED:
        ticket.resolved_at = now
    elif to == S.CLOSED:
        ticket.closed_at = now
    elif old in (S.RESOLVED, S.CLOSED):  # reopened
        ticket.resolved_at = ticket.closed_at = None
    ticket.save()
    reopened = old in (S.RESOLVED, S.CLOSED) and to in OPEN_STATES
    _event(
        ticket,
        TicketEvent.Kind.STATE,
        by=by,
        text=note,
        data={"from": old, "to": to, **({"reopened": True} if reopened else {})},
    )
    return ticket


@transaction.atomic
def ticket_comment(*, ticket: Ticket, by: User, text: str) -> TicketEvent:
    if not text.strip():
        raise ValidationError(_("The comment is empty."))
    return _event(ticket, TicketEvent.Kind.COMMENT, by=by, text=text.strip())


@transaction.atomic
def ticket_attach(*, ticket: Ticket, upload, by: User) -> TicketAttachment:
    from pathlib import Path

    from apps.customers.services import attachment_validate

    attachment_validate(upload)
    attachment = TicketAttachment.objects.create(
        ticket=ticket,
        file=upload,
        name=Path(upload.name).name[:200],
        size=upload.size,
        content_type=getattr(upload, "content_type", "") or "",
        uploaded_by=by,
    )
    _event(
        ticket, TicketEvent.Kind.COMMENT, by=by, text=_("File attached: %(name)s") % {"name": attachment.name}
    )
    return attachment


@transaction.atomic
def ticket_assign(*, ticket: Ticket, assignee: User, by: User, note: str = "") -> Ticket:
    ticket = _locked(ticket)
    if not Membership.objects.filter(user=assignee, store=ticket.store, is_active=True).exists():
        raise ValidationError(_("%(user)s does not work in this store.") % {"user": assignee})
    old = ticket.assignee
    ticket.assignee = assignee
    ticket.save(update_fields=["assignee"])
    _event(
        ticket,
        TicketEvent.Kind.ASSIGNED,
        by=by,
        text=note,
        data={"from": old.pk if old else None, "to": assignee.pk, "to_name": str(assignee)},
    )
    return ticket


@transaction.atomic
def ticket_hand_to_supervisor(*, ticket: Ticket, by: User, note: str = "") -> Ticket:
    """A matter the clerk cannot finish on the spot (当场不能完成) goes to the clerk's supervisor."""
    people = supervisors_of(user=by, store=ticket.store)
    if not people:
        raise ValidationError(_("Nobody above you in this store to hand the matter to."))
    ticket = ticket_assign(
        ticket=ticket,
        assignee=people[0],
        by=by,
        note=note or _("Handed to the supervisor: cannot be finished on the spot."),
    )
    if ticket.state == S.NEW:
        ticket = ticket_transition(ticket=ticket, to=S.IN_PROGRESS, by=by)
    return ticket


@transaction.atomic
def ticket_solution_found(*, ticket: Ticket, by: User, text: str, at: dt.datetime | None = None) -> Ticket:
    ticket = _locked(ticket)
    at = at or timezone.now()
    if not ticket.solution_found_at:
        ticket.solution_found_at = at
        ticket.save(update_fields=["solution_found_at"])
    _event(ticket, TicketEvent.Kind.SOLUTION, by=by, text=text)
    return ticket


@transaction.atomic
def ticket_answer_customer(*, ticket: Ticket, by: User, text: str, at: dt.datetime | None = None) -> Ticket:
    """Record that the customer was answered; stops the escalation clock."""
    if not text.strip():
        raise ValidationError(_("Say what the customer was told."))
    ticket = _locked(ticket)
    at = at or timezone.now()
    fields = []
    if not ticket.answered_at:
        ticket.answered_at = at
        fields.append("answered_at")
    same_day = None
    if ticket.solution_found_at and not ticket.solution_told_at:
        ticket.solution_told_at = at
        fields.append("solution_told_at")
        same_day = timezone.localtime(at).date() == timezone.localtime(ticket.solution_found_at).date()
    ticket.next_escalation_at = ticket.warn_at = None
    ticket.save(update_fields=[*fields, "next_escalation_at", "warn_at"])
    _event(
        ticket,
        TicketEvent.Kind.ANSWERED,
        by=by,
        text=text.strip(),
        data={"same_day": same_day} if same_day is not None else {},
    )
    return ticket


@transaction.atomic
def ticket_set_promise(*, ticket: Ticket, promised_at: dt.datetime, by: User) -> Ticket:
    """Set the promised delivery time once; afterwards only a re-confirmed added item moves it."""
    ticket = _locked(ticket)
    if ticket.promised_at:
        raise ValidationError(
            _("The promised time is set; it moves only with an added item the customer re-confirms.")
        )
    ticket.promised_at = promised_at
    ticket.save(update_fields=["promised_at"])
    _event(ticket, TicketEvent.Kind.PROMISE, by=by, data={"to": promised_at.isoformat()})
    return ticket


@transaction.atomic
def added_item_add(
    *,
    ticket: Ticket,
    description: str,
    by: User,
    amount: Decimal = Decimal(0),
    proposed_promised_at: dt.datetime | None = None,
) -> AddedItem:
    """An added item (增项). The promise stays where it is until the customer re-confirms."""
    item = AddedItem.objects.create(
        ticket=ticket, description=description, amount=amount, proposed_promised_at=proposed_promised_at
    )
    _event(
        ticket,
        TicketEvent.Kind.ADDED_ITEM,
        by=by,
        text=description,
        data={
            "item": item.pk,
            "amount": str(amount),
            "proposed": proposed_promised_at.isoformat() if proposed_promised_at else None,
        },
    )
    return item


@transaction.atomic
def added_item_confirm(
    *,
    item: AddedItem,
    by: User,
    customer_name: str,
    channel: str,
    confirmed_at: dt.datetime | None = None,
    contact: str = "",
    note: str = "",
) -> AddedItem:
    """The customer re-confirmed the added item: record the confirmation, move the promise to the
    proposal. Once confirmed, a second confirmation changes nothing."""
    ticket = _locked(item.ticket)
    if Confirmation.objects.filter(added_item=item).exists():
        return item
    if ticket.settled_at:
        raise ValidationError(_("This ticket is already settled."))
    confirmation = _confirmation_record(
        ticket=ticket,
        by=by,
        customer_name=customer_name,
        channel=channel,
        confirmed_at=confirmed_at,
        contact=contact,
        note=note,
        added_item=item,
    )
    item.customer_confirmed_at = confirmation.confirmed_at
    item.confirmation_note = _confirmation_text(confirmation)[:200]
    item.save(update_fields=["customer_confirmed_at", "confirmation_note"])
    _event(
        ticket,
        TicketEvent.Kind.CONFIRMED,
        by=by,
        text=_("Added item re-confirmed: %(item)s — %(how)s")
        % {"item": item.description, "how": _confirmation_text(confirmation)},
        data={"item": item.pk, "confirmation": confirmation.pk, "channel": confirmation.channel},
    )
    if item.proposed_promised_at and item.proposed_promised_at != ticket.promised_at:
        old = ticket.promised_at
        ticket.promised_at = item.proposed_promised_at
        ticket.save(update_fields=["promised_at"])
        _event(
            ticket,
            TicketEvent.Kind.PROMISE,
            by=by,
            text=_("Re-confirmed by the customer: %(note)s") % {"note": item.confirmation_note},
            data={
                "from": old.isoformat() if old else None,
                "to": ticket.promised_at.isoformat(),
                "item": item.pk,
            },
        )
    return item


@transaction.atomic
def customer_delay_add(*, ticket: Ticket, reason: str, hours: Decimal, by: User) -> CustomerDelay:
    """A delay the customer caused; it counts once the customer's confirmation is recorded."""
    if Decimal(hours) <= 0:
        raise ValidationError(_("The delay must be longer than zero hours."))
    delay = CustomerDelay.objects.create(ticket=ticket, reason=reason, hours=hours)
    _event(
        ticket,
        TicketEvent.Kind.DELAY,
        by=by,
        text=reason,
        data={"delay": delay.pk, "hours": str(hours), "confirmed": False},
    )
    return delay


@transaction.atomic
def customer_delay_confirm(
    *,
    delay: CustomerDelay,
    by: User,
    customer_name: str,
    channel: str,
    confirmed_at: dt.datetime | None = None,
    contact: str = "",
    note: str = "",
) -> CustomerDelay:
    ticket = _locked(delay.ticket)
    if Confirmation.objects.filter(delay=delay).exists():
        return delay
    if ticket.settled_at:
        raise ValidationError(_("This ticket is already settled."))
    confirmation = _confirmation_record(
        ticket=ticket,
        by=by,
        customer_name=customer_name,
        channel=channel,
        confirmed_at=confirmed_at,
        contact=contact,
        note=note,
        delay=delay,
    )
    delay.customer_confirmed_at = confirmation.confirmed_at
    delay.confirmation_note = _confirmation_text(confirmation)[:200]
    delay.save(update_fields=["customer_confirmed_at", "confirmation_note"])
    _event(
        ticket,
        TicketEvent.Kind.CONFIRMED,
        by=by,
        text=_("Customer-caused delay confirmed: %(reason)s — %(how)s")
        % {"reason": delay.reason, "how": _confirmation_text(confirmation)},
        data={"delay": delay.pk, "confirmation": confirmation.pk, "channel": confirmation.channel},
    )
    return delay


def ticket_is_on_time(ticket: Ticket) -> bool | None:
    """Settled by the promised time plus the delays the customer confirmed (a Confirmation record).

    None: not settled yet. Settled without a promise: late (准时交车率 = 准时交车台数 / 结算总台数
    counts every settled order)."""
    if not ticket.settled_at:
        return None
    if not ticket.promised_at:
        return False
    confirmed = Confirmation.objects.filter(ticket=ticket, delay__isnull=False).values("delay_id")
    allowed = sum((d.hours for d in ticket.customer_delays.filter(pk__in=confirmed)), Decimal(0))
    return ticket.settled_at <= ticket.promised_at + dt.timedelta(hours=float(allowed))


@transaction.atomic
def ticket_settle(
    *, ticket: Ticket, amount: Decimal, by: User, settled_at: dt.datetime | None = None
) -> Ticket:
    """The settlement (结算单): time and amount; decides on-time delivery; resolves the ticket."""
    ticket = _locked(ticket)
    if ticket.settled_at:
        raise ValidationError(_("This ticket is already settled."))
    if Decimal(amount) < 0:
        raise ValidationError(_("The amount cannot be negative."))
    ticket.settled_at = settled_at or timezone.now()
    ticket.settlement_amount = amount
    ticket.on_time = ticket_is_on_time(ticket)
    ticket.save(update_fields=["settled_at", "settlement_amount", "on_time"])
    if ticket.kind == Ticket.Kind.REPAIR_ORDER and not ticket.promised_at:
        _event(
            ticket,
            TicketEvent.Kind.COMMENT,
            by=by,
            text=_("Settled without a promised time: counts as late."),
        )
    _event(
        ticket,
        TicketEvent.Kind.SETTLED,
        by=by,
        data={"amount": str(amount), "on_time": ticket.on_time, "at": ticket.settled_at.isoformat()},
    )
    if ticket.on_time is False:
        publish(
            TICKET_SETTLED_LATE,
            store=ticket.store,
            key=f"ticket:{ticket.pk}",
            payload={"ticket": ticket_event_payload(ticket)},
        )
    if ticket.state in OPEN_STATES:
        ticket = ticket_transition(ticket=ticket, to=S.RESOLVED, by=by)
    return ticket


@transaction.atomic
def ticket_flag_for_review(*, ticket: Ticket, reason: str, by: User | None = None, key: str = "") -> bool:
    """Put the order before the store's managers (e.g. the customer said in the follow-up call that it
    was not delivered on time). Idempotent per `key`; True when newly flagged."""
    ticket = _locked(ticket)
    key = key or f"review:{timezone.now():%Y%m%d%H%M%S}"
    if not _event_once(ticket, TicketEvent.Kind.REVIEW, key=key[:60], by=by, text=reason):
        return False
    ticket.review_flagged_at = timezone.now()
    ticket.review_reason = reason[:250]
    ticket.review_resolved_at = None
    ticket.review_resolved_by = None
    ticket.review_resolution = ""
    ticket.save(
        update_fields=[
            "review_flagged_at",
            "review_reason",
            "review_resolved_at",
            "review_resolved_by",
            "review_resolution",
        ]
    )
    notifications_send_many(
        recipients=managers_of(store=ticket.store),
        key=f"tickets:review:{ticket.pk}:{key}"[:120],
        title=(_("Review the order %(number)s: %(reason)s") % {"number": ticket.number, "reason": reason})[
            :300
        ],
        url=ticket.get_absolute_url(),
        store=ticket.store,
        level=Level.WARNING,
        source="tickets",
    )
    return True


@transaction.atomic
def ticket_review_resolve(*, ticket: Ticket, by: User, note: str) -> Ticket:
    """The manager closes the review with what was found (only those who may assign tickets)."""
    require(by, "tickets.assign", ticket.store)
    if not note.strip():
        raise ValidationError(_("Say what the review found."))
    ticket = _locked(ticket)
    if not ticket.needs_review:
        raise ValidationError(_("This ticket is not waiting for a review."))
    ticket.review_resolved_at = timezone.now()
    ticket.review_resolved_by = by
    ticket.review_resolution = note.strip()
    ticket.save(update_fields=["review_resolved_at", "review_resolved_by", "review_resolution"])
    _event(ticket, TicketEvent.Kind.REVIEWED, by=by, text=note.strip())
    return ticket


def _event_once(ticket, kind, *, key, **kwargs) -> bool:
    """Create the event unless one with this key exists (True: created)."""
    if TicketEvent.objects.filter(ticket=ticket, key=key).exists():
        return False
    try:
        with transaction.atomic():
            _event(ticket, kind, key=key, **kwargs)
    except IntegrityError:
        return False
    return True
