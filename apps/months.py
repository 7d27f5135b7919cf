"""Calendar months as DutyDesk measures them: local months in the organisation's time zone.

`month` is any day inside the month.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def next_month(month: dt.date) -> dt.date:
    """The first day of the following month."""
    return dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def month_days(month: dt.date) -> tuple[dt.date, dt.date]:
    """[first day, first day of the next month) as dates."""
    return month.replace(day=1), next_month(month)


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The month as an aware [start, end) range in the current time zone."""
    tz = timezone.get_current_timezone()
    first, nxt = month_days(month)
    return (
        timezone.make_aware(dt.datetime.combine(first, dt.time.min), tz),
        timezone.make_aware(dt.datetime.combine(nxt, dt.time.min), tz),
    )


def week_start(day: dt.date) -> dt.date:
    """The Monday of the week `day` falls in."""
    return day - dt.timedelta(days=day.weekday())


def days_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The days `start`..`end` (both included) as an aware [start, end) range in the current time zone."""
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(dt.datetime.combine(start, dt.time.min), tz),
        timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min), tz),
    )
