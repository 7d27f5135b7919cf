import datetime as dt

from django.utils import timezone

from apps.roles.models import Position, PositionHolder
from apps.tickets.services import ticket_create


def complaint(store, customer, by, **kwargs):
    kwargs.setdefault("title", "等待时间过长")
    return ticket_create(store=store, customer=customer, kind="complaint", created_by=by, **kwargs)


def repair_order(store, customer, by, *, promised_in_hours=4, **kwargs):
    kwargs.setdefault("title", "更换刹车片")
    kwargs.setdefault("promised_at", timezone.now() + dt.timedelta(hours=promised_in_hours))
    return ticket_create(store=store, customer=customer, kind="repair_order", created_by=by, **kwargs)


def position(organisation, code, title, *, superiors=(), holders=()):
    """A position with its superiors and holders ((user, store) pairs)."""
    p = Position.objects.create(organisation=organisation, code=code, title=title)
    p.superiors.add(*superiors)
    for user, store in holders:
        PositionHolder.objects.create(position=p, user=user, store=store)
    return p
