"""The rule engine: derives follow-ups from the database (assets delivered, tickets closed, major
repairs closed, maintenance coming due, customer tiers by period), idempotently.

Each follow-up's key is (rule, trigger object, sequence), unique in the database, so a scan that runs
twice, or two scans at once, create each follow-up once. Nothing here is wired to other apps'
signals: `followups_generate(today=...)` (a beat job) reads their tables.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.customers.selectors import assets_delivered_between, assets_maybe_due_between, customers_to_contact
from apps.org.models import Membership, RoleTier, Store, User
from apps.org.selectors import managers_of
from apps.roster.selectors import on_duty
from apps.tickets.selectors import repair_order_open, tickets_closed_between

if TYPE_CHECKING:
    from apps.customers.models import Asset, Customer
    from apps.tickets.models import Ticket

from .models import (
    AssigneePolicy,
    Campaign,
    Channel,
    FollowUp,
    FollowUpRule,
    Reminder,
    RoundRobinCursor,
    Trigger,
)

REMINDER_HOUR = 9  # reminders go out at 09:00 local on their day


def local_at(day: dt.date, hour: int = REMINDER_HOUR) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def today_local() -> dt.date:
    return timezone.localdate()


# --- who gets it -------------------------------------------------------------------------------


def _workers(store: Store) -> list[int]:
    """After-sales staff of the store, in a stable order."""
    return list(
        Membership.objects.filter(store=store, tier=RoleTier.AFTERSALES, is_active=True, user__is_active=True)
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()
    )


def _round_robin(store: Store, candidates: list[int]) -> int | None:
    """The next of `candidates` after the store's cursor. The roster narrows the turn to those on
    duty at this moment (rostered now, not on leave); when none of them is, all of them take turns,
    as without a roster."""
    if not candidates:
        return None
    duty = {u.pk for u in on_duty(store=store, at=timezone.now())}
    candidates = [c for c in candidates if c in duty] or candidates
    cursor, _created = RoundRobinCursor.objects.select_for_update().get_or_create(store=store)
    after = [c for c in candidates if cursor.last_user_id is None or c > cursor.last_user_id]
    chosen = after[0] if after else candidates[0]
    cursor.last_user_id = chosen
    cursor.save(update_fields=["last_user_id"])
    return chosen


def choose_assignee(*, rule: FollowUpRule, store: Store, customer: Customer) -> int | None:
    workers = _workers(store)
    if (
        rule.assignee_policy == AssigneePolicy.OWNER
        and customer.owner_id
        and Membership.objects.filter(user_id=customer.owner_id, store=store, is_active=True).exists()
    ):
        return customer.owner_id
    if rule.assignee_policy == AssigneePolicy.POSITION and rule.position_id:
        from apps.roles.selectors import holders_of

        holders = sorted(holders_of(position=rule.position, store=store).values_list("pk", flat=True))
        if holders:
            return _round_robin(store, holders)
    chosen = _round_robin(store, workers)
    if chosen is None:
        manager = managers_of(store=store).first()
        chosen = manager.pk if manager else None
    return chosen


# --- creating one follow-up --------------------------------------------------------------------


def has_open_order(*, customer_id: int, asset_id: int | None) -> bool:
    return repair_order_open(customer_id=customer_id, asset_id=asset_id)


def rule_matches(
    rule: FollowUpRule, *, store: Store, customer: Customer, asset: Asset | None = None, ticket=None
) -> bool:
    if rule.store_id and rule.store_id != store.pk:
        return False
    if not rule.calls_for(store.kind):
        return False
    if rule.tiers and customer.tier not in rule.tiers:
        return False
    if rule.asset_kind and (asset is None or asset.kind != rule.asset_kind):
        return False
    return not (rule.ticket_kinds and (ticket is None or ticket.kind not in rule.ticket_kinds))


def followup_create_for(
    *,
    rule: FollowUpRule,
    key: str,
    store: Store,
    customer: Customer,
    trigger_date: dt.date,
    reason: str,
    asset: Asset | None = None,
    ticket: Ticket | None = None,
    campaign: Campaign | None = None,
    previous: FollowUp | None = None,
    today: dt.date | None = None,
    window: tuple[dt.date, dt.date, dt.date] | None = None,
) -> FollowUp | None:
    """Create the follow-up with this key unless it exists; returns None when it already did.

    `window` (opens, closes, expires) replaces the rule's window counted from `trigger_date`: a
    shortened campaign schedule, a VIP who joined late in the period."""
    if FollowUp.objects.filter(key=key).exists():
        return None
    today = today or today_local()
    start, end, expires = window or rule_window(rule, trigger_date)
    if expires < today:
        return None  # found too late to be worth calling: it was never in anyone's queue
    try:
        with transaction.atomic():
            followup = FollowUp.objects.create(
                store=store,
                customer=customer,
                asset=asset,
                ticket=ticket,
                campaign=campaign,
                rule=rule,
                previous=previous,
                key=key,
                trigger=rule.trigger,
                trigger_date=trigger_date,
                reason=reason[:250],
                window_start=start,
                window_end=end,
                expires_on=expires,
                channel=rule.channel,
                priority=rule.priority,
                assignee_id=choose_assignee(rule=rule, store=store, customer=customer),
                talking_points=rule.talking_points,
                survey_name=rule.survey_name,
                survey_items=rule.survey_items,
                state=FollowUp.State.OPEN if start <= today else FollowUp.State.SCHEDULED,
            )
            Reminder.objects.bulk_create(schedule_reminders(followup))
    except IntegrityError:
        return None  # another scan created it at the same moment
    return followup


def rule_window(rule: FollowUpRule, trigger_date: dt.date) -> tuple[dt.date, dt.date, dt.date]:
    """(opens, closes, expires) of the rule's window for a trigger on `trigger_date`."""
    start = trigger_date + dt.timedelta(days=rule.window_start_days)
    end = trigger_date + dt.timedelta(days=max(rule.window_end_days, rule.window_start_days))
    return start, end, end + dt.timedelta(days=rule.grace_days)


def schedule_reminders(followup: FollowUp) -> list[Reminder]:
    """The reminders of a follow-up's life: when it opens, on its last day, and when it is overdue."""
    now = timezone.now()
    opens = max(local_at(followup.window_start), now)
    return [
        Reminder(followup=followup, kind=Reminder.Kind.OPENED, key=f"fu{followup.pk}:opened", due_at=opens),
        Reminder(
            followup=followup,
            kind=Reminder.Kind.EXPIRING,
            key=f"fu{followup.pk}:expiring",
            due_at=max(local_at(followup.window_end), opens),
        ),
        Reminder(
            followup=followup,
            kind=Reminder.Kind.OVERDUE,
            key=f"fu{followup.pk}:overdue",
            due_at=max(local_at(followup.window_end + dt.timedelta(days=1)), opens),
        ),
    ]


# --- scanning the triggers ---------------------------------------------------------------------


def _lookback(rule: FollowUpRule, today: dt.date) -> tuple[dt.date, dt.date]:
    """Trigger dates whose window has not yet expired, up to today."""
    oldest = today - dt.timedelta(days=max(rule.window_end_days, rule.window_start_days) + rule.grace_days)
    return oldest, today


def _scan_delivered(rule, today) -> Iterable[dict]:
    oldest, newest = _lookback(rule, today)
    for asset in assets_delivered_between(first=oldest, last=newest, kind=rule.asset_kind):
        yield {
            "key": f"r{rule.pk}:asset{asset.pk}:delivered",
            "store": asset.customer.store,
            "customer": asset.customer,
            "asset": asset,
            "trigger_date": asset.delivery_date,
            "reason": _("%(asset)s delivered on %(date)s") % {"asset": asset, "date": asset.delivery_date},
        }


def _scan_tickets(rule, today, *, major: bool) -> Iterable[dict]:
    oldest, newest = _lookback(rule, today)
    start = local_at(oldest, 0)
    end = local_at(newest + dt.timedelta(days=1), 0)
    for ticket in tickets_closed_between(start=start, end=end, major=major, kinds=rule.ticket_kinds):
        closed = timezone.localtime(ticket.closed_at).date()
        label = (
            _("major repair %(number)s closed on %(date)s") if major else _("%(number)s closed on %(date)s")
        )
        yield {
            "key": f"r{rule.pk}:ticket{ticket.pk}:closed",
            "store": ticket.store,
            "customer": ticket.customer,
            "asset": ticket.asset,
            "ticket": ticket,
            "trigger_date": closed,
            "reason": label % {"number": ticket.number, "date": closed},
        }


def _scan_maintenance(rule, today) -> Iterable[dict]:
    # The window is negative (before the due date): look at assets due from (today - end - grace)
    # to (today - start). An asset's due date is its stored next_due_date or, when not yet stored,
    # the earlier of its months and mileage cycle.
    earliest = today - dt.timedelta(days=rule.window_end_days + rule.grace_days)
    latest = today - dt.timedelta(days=rule.window_start_days)
    for asset in assets_maybe_due_between(earliest=earliest, latest=latest, kind=rule.asset_kind):
        due = asset.next_due_date or asset.compute_next_due()
        if due is None or not (earliest <= due <= latest):
            continue
        yield {
            "key": f"r{rule.pk}:asset{asset.pk}:due{due:%Y%m%d}",
            "store": asset.customer.store,
            "customer": asset.customer,
            "asset": asset,
            "trigger_date": due,
            "reason": _("%(asset)s maintenance due on %(date)s") % {"asset": asset, "date": due},
        }


def period_start(day: dt.date, months: int) -> dt.date:
    months = max(1, min(12, months))
    index = (day.month - 1) // months
    return dt.date(day.year, index * months + 1, 1)


def period_end(day: dt.date, months: int) -> dt.date:
    """The last day of the period `day` falls in."""
    start = period_start(day, months)
    month = start.month - 1 + max(1, min(12, months))
    following = dt.date(start.year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def _scan_periodic(rule, today) -> Iterable[dict]:
    start = period_start(today, rule.period_months)
    last = period_end(today, rule.period_months)
    # A customer who became VIP after the period's window closed (e.g. in December for a window
    # that ends in November) still gets the period's visit: from today to the period's last day.
    late_window = None
    if rule_window(rule, start)[2] < today:
        late_window = (today, last, last)
    for customer in customers_to_contact(tiers=rule.tiers):
        yield {
            "key": f"r{rule.pk}:customer{customer.pk}:{start:%Y%m}",
            "store": customer.store,
            "customer": customer,
            "trigger_date": start,
            "reason": ngettext(
                "%(tier)s customer: contact at least every %(n)s month",
                "%(tier)s customer: contact at least every %(n)s months",
                rule.period_months,
            )
            % {"tier": customer.get_tier_display(), "n": rule.period_months},
            **({"window": late_window} if late_window else {}),
        }


SCANNERS = {
    Trigger.DELIVERED: _scan_delivered,
    Trigger.TICKET_CLOSED: lambda rule, today: _scan_tickets(rule, today, major=False),
    Trigger.MAJOR_REPAIR_CLOSED: lambda rule, today: _scan_tickets(rule, today, major=True),
    Trigger.MAINTENANCE_DUE: _scan_maintenance,
    Trigger.TIER_PERIODIC: _scan_periodic,
}


def followups_generate(*, today: dt.date | None = None, rules=None) -> int:
    """Scan every active rule's trigger and create the follow-ups that are missing. Returns how many."""
    today = today or today_local()
    rules = (
        rules
        if rules is not None
        else FollowUpRule.objects.filter(is_active=True, trigger__in=list(SCANNERS))
    )
    created = 0
    for rule in rules:
        scanner = SCANNERS.get(rule.trigger)
        if scanner is None:
            continue
        for found in scanner(rule, today):
            if found["customer"].store.organisation_id != rule.organisation_id:
                continue
            if not found["customer"].contact_consent:
                continue
            if not rule_matches(
                rule,
                store=found["store"],
                customer=found["customer"],
                asset=found.get("asset"),
                ticket=found.get("ticket"),
            ):
                continue
            if rule.skip_if_open_order and has_open_order(
                customer_id=found["customer"].pk, asset_id=getattr(found.get("asset"), "pk", None)
            ):
                continue  # the guard: not now; a later scan creates it once the order is closed
            with transaction.atomic():
                if followup_create_for(rule=rule, today=today, **found):
                    created += 1
    return created


def followup_chain_next(*, followup: FollowUp, base: dt.date) -> FollowUp | None:
    """The rule's next follow-up (e.g. the second call), its window counted from `base`.

    A call follows only a call that reached the customer (售后服务工作规定 5: the second call comes
    a week after the first *跟踪服务*, and avoids repeating what was said). When the first was never
    reached (no answer after the retry ladder, wrong number) or expired unworked, there is no second
    call: the store's managers get an alert to have the first one made. A letter (the campaign
    letter after the invitation call) does not need the customer to have answered: it is sent anyway.
    """
    nxt = followup.rule.next_rule
    if nxt is None or not nxt.is_active:
        return None
    if followup.state != FollowUp.State.DONE and nxt.channel != Channel.LETTER:
        _alert_not_chained(followup=followup, nxt=nxt)
        return None
    return followup_create_for(
        rule=nxt,
        key=f"r{nxt.pk}:fu{followup.pk}:next",
        store=followup.store,
        customer=followup.customer,
        asset=followup.asset,
        ticket=followup.ticket,
        campaign=followup.campaign,
        previous=followup,
        trigger_date=base,
        reason=_("after %(rule)s on %(date)s") % {"rule": followup.rule.name, "date": base},
        today=base,
    )


CLOSING_FIELDS = [
    "state",
    "outcome",
    "satisfaction",
    "completed_at",
    "completed_on",
    "completed_by",
    "next_attempt_at",
]


def followup_close(
    followup: FollowUp,
    *,
    state: str,
    outcome: str,
    by: User | None = None,
    satisfaction: int | None = None,
    chain_from: dt.date | None = None,
) -> FollowUp | None:
    """The one way a follow-up reaches a terminal state (done, unreachable, missed, skipped).

    The caller holds the row locked. Its unsent reminders are cancelled (alerts to the managers still
    go out) and, unless it was skipped, the rule's next follow-up is created, its window counted from
    `chain_from` (today by default). Returns that next follow-up, if any.
    """
    followup.state = state
    followup.outcome = outcome
    followup.satisfaction = satisfaction
    followup.completed_at = timezone.now()
    followup.completed_on = timezone.localdate(followup.completed_at)
    followup.completed_by = by
    followup.next_attempt_at = None
    followup.save(update_fields=[*CLOSING_FIELDS, "attempts"])  # the attempt that closed it counts
    Reminder.objects.filter(followup=followup, sent_at__isnull=True, cancelled_at__isnull=True).exclude(
        kind=Reminder.Kind.ALERT
    ).update(cancelled_at=timezone.now())
    if state == FollowUp.State.SKIPPED:
        return None  # not now: nothing to follow on from
    return followup_chain_next(followup=followup, base=chain_from or today_local())


def _alert_not_chained(*, followup: FollowUp, nxt: FollowUpRule) -> None:
    """Tell the managers (once) that the next follow-up waits for the first to reach the customer."""
    Reminder.objects.get_or_create(
        key=f"fu{followup.pk}:alert:not-chained",
        defaults={
            "followup": followup,
            "kind": Reminder.Kind.ALERT,
            "due_at": timezone.now(),
            "text": (
                _(
                    "%(customer)s was not reached in “%(rule)s” (%(state)s): no “%(next)s” was "
                    "scheduled. Have the first call made again."
                )
                % {
                    "customer": followup.customer.name,
                    "rule": followup.rule.name,
                    "state": followup.get_state_display(),
                    "next": nxt.name,
                }
            )[:250],
        },
    )
