"""Roster rows for tests: a store's shift type, a person on the roster on a day, approved leave."""

from __future__ import annotations

import datetime as dt

from apps.roster.models import CalendarDay, DayKind, RequestKind, RequestState, Shift, ShiftRequest, ShiftType


def shift_type(
    store, name: str = "早班", starts: str = "08:30", ends: str = "14:30", code: str = ""
) -> ShiftType:
    return ShiftType.objects.get_or_create(
        store=store,
        name=name,
        defaults={
            "code": code or name[:1],
            "starts_at": dt.time.fromisoformat(starts),
            "ends_at": dt.time.fromisoformat(ends),
        },
    )[0]


def rostered(user, store, day: dt.date, kind: ShiftType | None = None) -> Shift:
    return Shift.objects.create(store=store, user=user, date=day, shift_type=kind or shift_type(store))


def on_leave(user, store, start: dt.date, end: dt.date | None = None) -> ShiftRequest:
    """Leave already approved (the roster's own tests cover the approval)."""
    return ShiftRequest.objects.create(
        store=store,
        requester=user,
        kind=RequestKind.LEAVE,
        date=start,
        end_date=end or start,
        reason="事假",
        state=RequestState.APPROVED,
    )


def holiday(day: dt.date, name: str = "国庆节") -> CalendarDay:
    return CalendarDay.objects.update_or_create(date=day, defaults={"kind": DayKind.HOLIDAY, "name": name})[0]


def rostered_at(user, store, moment) -> Shift:
    """`user` on a whole-day shift of `store` on the local day of `moment` (so on duty at it)."""
    from django.utils import timezone

    kind = shift_type(store, "全天值守", "00:00", "23:59", code="全")
    return rostered(user, store, timezone.localtime(moment).date(), kind)
