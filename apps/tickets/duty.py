"""Who takes an escalation: the first level above a person on the reporting line (else the store's
managers), narrowed by the roster to the people on duty at the moment."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from apps.org.models import Store, User
from apps.org.selectors import managers_of
from apps.roster.selectors import on_duty


def supervisors_of(*, user: User, store: Store, at: dt.datetime | None = None) -> list[User]:
    """The first level above `user` on the reporting line, else the store's managers; the roster
    narrows it to the people on duty at `at` (`on_duty_first`)."""
    from apps.roles.selectors import escalation_chain

    chain = escalation_chain(user=user, store=store)
    level = chain[0] if chain else list(managers_of(store=store).exclude(pk=user.pk))
    return on_duty_first(level, store=store, at=at or timezone.now(), instead_of=user)


def on_duty_first(
    people: list[User], *, store: Store, at: dt.datetime, instead_of: User | None, first_level: bool = True
) -> list[User]:
    """Who of `people` an escalation goes to at `at`: those of them on duty (rostered now, not on
    leave); else, on the first level, the store's managers on duty (not `instead_of`); else all of
    `people`, as without a roster. Another store's roster does not count."""
    duty = on_duty(store=store, at=at)
    if not duty:
        return people
    ids = {u.pk for u in duty}
    rostered = [p for p in people if p.pk in ids]
    if rostered or not first_level:
        return rostered or people
    managers = set(managers_of(store=store).values_list("pk", flat=True))
    skip = instead_of.pk if instead_of else None
    return [u for u in duty if u.pk in managers and u.pk != skip] or people
