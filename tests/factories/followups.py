"""Customers, assets and tickets as follow-ups need them, plus follow-ups themselves."""

import datetime as dt
import itertools

from django.utils import timezone

from apps.customers.models import Asset, Customer, CustomerPhone
from apps.followups.engine import followup_create_for
from apps.followups.seeds import rules_seed
from apps.tickets.models import Ticket

_seq = itertools.count(1)


def make_customer(store, *, name=None, tier=Customer.Tier.NORMAL, owner=None, **kwargs) -> Customer:
    n = next(_seq)
    customer = Customer.objects.create(
        store=store, name=name or f"客户{n}", tier=tier, owner=owner, address=f"滨江市人民路 {n} 号", **kwargs
    )
    CustomerPhone.objects.create(
        customer=customer, number=f"+86138{n:08d}", digits=f"138{n:08d}", is_primary=True
    )
    return customer


def make_asset(customer, *, kind=Asset.Kind.VEHICLE, **kwargs) -> Asset:
    n = next(_seq)
    return Asset.objects.create(
        customer=customer,
        kind=kind,
        model_name=kwargs.pop("model_name", "轿车"),
        plate=f"浙A{n:05d}",
        **kwargs,
    )


def make_ticket(customer, *, created_by, kind=Ticket.Kind.REPAIR_ORDER, asset=None, closed_on=None, **kwargs):
    n = next(_seq)
    closed_at = timezone.make_aware(dt.datetime.combine(closed_on, dt.time(16))) if closed_on else None
    return Ticket.objects.create(
        store=customer.store,
        number=f"T{n:06d}",
        kind=kind,
        title=f"工单{n}",
        customer=customer,
        asset=asset,
        created_by=created_by,
        state=Ticket.State.CLOSED if closed_on else Ticket.State.IN_PROGRESS,
        closed_at=closed_at,
        **kwargs,
    )


def make_followup(rule, customer, *, trigger_date=None, key=None, today=None, **kwargs):
    return followup_create_for(
        rule=rule,
        key=key or f"test:{next(_seq)}",
        store=customer.store,
        customer=customer,
        trigger_date=trigger_date or timezone.localdate(),
        reason="测试",
        today=today,
        **kwargs,
    )


def mark_done(followup, *, at: dt.datetime, satisfaction=None, by=None) -> None:
    """Record `followup` as done at `at` (and on its local date), as `engine.followup_close` does,
    without the chaining and reminders that closing brings."""
    from apps.followups.models import FollowUp

    FollowUp.objects.filter(pk=followup.pk).update(
        state=FollowUp.State.DONE,
        completed_at=at,
        completed_on=timezone.localdate(at),
        satisfaction=satisfaction,
        completed_by=by,
    )


def seeded_rules(organisation):
    return rules_seed(organisation)


# --- the in-app notifications of reminders (apps.notifications, keyed "followups:<reminder>:u<user>")


def reminder_key_of(note) -> str:
    """The key of the reminder a follow-up notification was sent for."""
    assert note.source == "followups" and note.key.startswith("followups:"), note.key
    reminder_key, user = note.key.removeprefix("followups:").rsplit(":u", 1)
    assert int(user) == note.recipient_id
    return reminder_key


def reminder_notes(*, kind=None, followup=None, **filters) -> list:
    """Follow-up notifications (filters on the Notification), optionally only of reminders of a kind
    or of one follow-up: what `Notification.objects.filter(reminder__kind=...)` used to say."""
    from apps.followups.models import Reminder
    from apps.notifications.models import Notification

    notes = list(Notification.objects.filter(source="followups", **filters))
    reminders = Reminder.objects.filter(key__in={reminder_key_of(n) for n in notes})
    if kind is not None:
        reminders = reminders.filter(kind=kind)
    if followup is not None:
        reminders = reminders.filter(followup=followup)
    keys = set(reminders.values_list("key", flat=True))
    return [n for n in notes if reminder_key_of(n) in keys]
