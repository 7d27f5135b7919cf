"""The business calendar: which days are working days, holidays and 调休 make-up days.

A day is a working day unless it is a statutory holiday; a Saturday or Sunday is a rest day unless
it is a make-up working day (调休上班). The exceptions are `CalendarDay` rows, filled per year from
the maintained `chinese_calendar` package (`calendar_sync`) and editable by an admin.
"""

from __future__ import annotations

import datetime as dt

from apps.org.models import OpenDays, Store

from .models import CalendarDay, DayKind


def calendar_days(start: dt.date, end: dt.date) -> dict[dt.date, CalendarDay]:
    return {d.date: d for d in CalendarDay.objects.filter(date__gte=start, date__lte=end)}


def is_working_day(day: dt.date, known: dict[dt.date, CalendarDay] | None = None) -> bool:
    """A working day for offices (the State Council's calendar, with 调休)."""
    row = known.get(day) if known is not None else CalendarDay.objects.filter(date=day).first()
    if row is not None:
        return row.kind == DayKind.WORKDAY
    return day.weekday() < 5


def store_open_on(store: Store, day: dt.date, known: dict[dt.date, CalendarDay] | None = None) -> bool:
    """Is `store` open on `day`? Outlets open every day (or every day but statutory holidays); a
    back-office department keeps the office calendar (weekdays and 调休 days, no holidays)."""
    policy = store.open_days
    if policy == OpenDays.WORKING_DAYS:
        return is_working_day(day, known)
    if policy == OpenDays.NOT_ON_HOLIDAYS:
        row = known.get(day) if known is not None else CalendarDay.objects.filter(date=day).first()
        return not (row is not None and row.kind == DayKind.HOLIDAY)
    return True


def store_closed_days(store: Store, start: dt.date, end: dt.date) -> set[dt.date]:
    """The days from `start` to `end` on which `store` is closed by the business calendar."""
    if store.open_days == OpenDays.EVERY_DAY:
        return set()
    known = calendar_days(start, end)
    out = set()
    day = start
    while day <= end:
        if not store_open_on(store, day, known):
            out.add(day)
        day += dt.timedelta(days=1)
    return out


def holidays_between(start: dt.date, end: dt.date) -> list[CalendarDay]:
    return list(CalendarDay.objects.filter(date__gte=start, date__lte=end, kind=DayKind.HOLIDAY))


def add_working_days(day: dt.date, n: int) -> dt.date:
    """The day `n` working days after `day` (`day` itself when n is 0)."""
    known = calendar_days(day, day + dt.timedelta(days=n * 3 + 40))
    while n > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day, known):
            n -= 1
    return day


def official_days(year: int) -> list[tuple[dt.date, DayKind, str]]:
    """(date, kind, name) of the year's holidays and make-up working days from `chinese_calendar`.
    Raises ValueError when the package does not know the year yet (the State Council publishes it
    each November; update the package or enter the days by hand)."""
    import chinese_calendar

    out = []
    day = dt.date(year, 1, 1)
    try:
        while day.year == year:
            on_holiday, name = chinese_calendar.get_holiday_detail(day)
            if on_holiday and name:
                out.append((day, DayKind.HOLIDAY, _holiday_name(name)))
            elif not on_holiday and day.weekday() >= 5:
                out.append((day, DayKind.WORKDAY, _holiday_name(name) if name else ""))
            day += dt.timedelta(days=1)
    except NotImplementedError as exc:
        raise ValueError(str(exc)) from exc
    return out


HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


def _holiday_name(name: str) -> str:
    return HOLIDAY_NAMES.get(name, name)
