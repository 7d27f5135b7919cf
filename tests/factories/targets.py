"""Helpers for the targets tests: tickets with chosen times, positions with KPIs, plans and letters."""

import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone

from apps.customers.models import Customer
from apps.org.models import User
from apps.roles.models import DutyArea, DutyTask, Kpi, Position, PositionHolder, PositionRevision
from apps.targets.models import PayScheme
from apps.tickets.models import Ticket

_seq = itertools.count(1)


def at(year, month, day, hour=10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour))


def ticket(
    store,
    *,
    kind=Ticket.Kind.REPAIR_ORDER,
    created=None,
    settled=None,
    on_time=None,
    amount=None,
    answer_due=None,
    answered=None,
    assignee=None,
    escalation_level=0,
    state=Ticket.State.NEW,
    by=None,
):
    customer = Customer.objects.filter(store=store).first() or Customer.objects.create(
        store=store, name="测试客户"
    )
    n = next(_seq)
    t = Ticket.objects.create(
        store=store,
        number=f"T{store.pk}-{n:05d}",
        kind=kind,
        title=f"工单{n}",
        customer=customer,
        created_by=by or assignee or User.objects.first(),
        assignee=assignee,
        settled_at=settled,
        on_time=on_time,
        settlement_amount=Decimal(str(amount)) if amount is not None else None,
        answer_due_at=answer_due,
        answered_at=answered,
        escalation_level=escalation_level,
        state=state,
    )
    if created:
        Ticket.objects.filter(pk=t.pk).update(created_at=created)
        t.refresh_from_db()
    return t


def position(organisation, title, *, kpis=(), code=None, superiors=(), duties=()):
    pos = Position.objects.create(organisation=organisation, code=code or f"GW-T-{next(_seq)}", title=title)
    rev = PositionRevision.objects.create(
        position=pos,
        number=1,
        title=title,
        summary=f"{title}全面负责",
        appointment="由总经理任命",
        effective_date=dt.date(2026, 1, 1),
    )
    for i, (name, target, unit) in enumerate(kpis):
        Kpi.objects.create(revision=rev, order=i, name=name, target=target, unit=unit)
    if duties:
        area = DutyArea.objects.create(revision=rev, name="主要职责")
        for i, text in enumerate(duties):
            DutyTask.objects.create(area=area, order=i, text=text)
    pos.current_revision = rev
    pos.save()
    for sup in superiors:
        pos.superiors.add(sup)
    return pos


def hold(pos, user, store):
    return PositionHolder.objects.create(position=pos, user=user, store=store)


def scheme(pos, store, **kwargs):
    defaults = {"base": Decimal(1500), "commission_rate": Decimal("0.005"), "minimum": Decimal(3000)}
    return PayScheme.objects.create(position=pos, store=store, **{**defaults, **kwargs})
