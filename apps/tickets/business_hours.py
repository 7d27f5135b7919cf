"""Deadlines counted in a store's business hours (Store.opens_at – closes_at), skipping closed days.

A store is closed on the days the business calendar says (apps.roster: `Store.open_days` against
the statutory holidays and 调休 days, e.g. a back office on weekends and holidays); on top of that
`TICKETS_WORKING_WEEKDAYS` (0 = Monday) narrows the week, and `Holiday` rows (for one store, or for
every store) close whole days.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from apps.org.models import Store
from apps.roster.selectors import store_closed_days

from .models import Holiday

LOOKAHEAD_DAYS = 400


def working_weekdays() -> set[int]:
    return set(getattr(settings, "TICKETS_WORKING_WEEKDAYS", range(7)))


def _hours_of(store: Store) -> tuple[dt.time, dt.time]:
    # A store built in memory still holds the field defaults as strings ("08:30").
    opens, closes = store.opens_at, store.closes_at
    if isinstance(opens, str):
        opens = dt.time.fromisoformat(opens)
    if isinstance(closes, str):
        closes = dt.time.fromisoformat(closes)
    return opens, closes


def day_hours(store: Store) -> float:
    opens_at, closes_at = _hours_of(store)
    opens = dt.datetime.combine(dt.date.today(), opens_at)
    closes = dt.datetime.combine(dt.date.today(), closes_at)
    return max((closes - opens).total_seconds() / 3600, 0.5)


def closed_days(store: Store, start: dt.date, end: dt.date) -> set[dt.date]:
    own = set(
        Holiday.objects.filter(
            Q(store=store) | Q(store__isnull=True), date__gte=start, date__lte=end
        ).values_list("date", flat=True)
    )
    return own | store_closed_days(store, start, end)


def _open_window(store: Store, day: dt.date, holidays: set[dt.date]):
    if day in holidays or day.weekday() not in working_weekdays():
        return None
    tz = timezone.get_current_timezone()
    opens_at, closes_at = _hours_of(store)
    return (
        timezone.make_aware(dt.datetime.combine(day, opens_at), tz),
        timezone.make_aware(dt.datetime.combine(day, closes_at), tz),
    )


def add_business_hours(*, store: Store, start: dt.datetime, hours: float | Decimal) -> dt.datetime:
    """The moment `hours` of the store's business time have passed after `start`."""
    remaining = dt.timedelta(hours=float(hours))
    day = timezone.localtime(start).date()
    holidays = closed_days(store, day, day + dt.timedelta(days=LOOKAHEAD_DAYS))
    cursor = start
    for _ in range(LOOKAHEAD_DAYS):
        window = _open_window(store, day, holidays)
        if window:
            begin, end = max(window[0], cursor), window[1]
            if begin < end:
                if begin + remaining <= end:
                    return begin + remaining
                remaining -= end - begin
        day += dt.timedelta(days=1)
    return cursor + remaining  # no business day within reach: plain time


def business_hours_between(*, store: Store, start: dt.datetime, end: dt.datetime) -> float:
    if end <= start:
        return 0.0
    day = timezone.localtime(start).date()
    last = timezone.localtime(end).date()
    holidays = closed_days(store, day, last)
    total = dt.timedelta()
    while day <= last:
        window = _open_window(store, day, holidays)
        if window:
            begin, finish = max(window[0], start), min(window[1], end)
            if begin < finish:
                total += finish - begin
        day += dt.timedelta(days=1)
    return total.total_seconds() / 3600


def add_business_days(*, store: Store, start: dt.datetime, days: float | Decimal) -> dt.datetime:
    """`days` business days of this store (each as long as its opening hours)."""
    return add_business_hours(store=store, start=start, hours=float(days) * day_hours(store))
