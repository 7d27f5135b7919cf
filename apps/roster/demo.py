"""Demo roster: each store's shifts, this week's and next week's roster, the year's business
calendar, an arrival or two and a leave request waiting for the manager. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from apps.org.models import Membership, StoreKind

from .calendar import official_days
from .models import CalendarDay, CheckIn, RequestKind, RequestState, Shift, ShiftRequest, ShiftType
from .selectors import arrive_early_minutes, week_start

SHIFTS = {
    # kind: [(name, code, starts, ends)]
    StoreKind.BUSINESS_HALL: [
        ("早班", "早", "08:30", "14:30"),
        ("晚班", "晚", "12:00", "18:00"),
        ("全天", "全", "08:30", "18:00"),
    ],
    StoreKind.SERVICE_STATION: [("全天", "全", "08:00", "17:30"), ("值班", "值", "08:00", "20:00")],
    StoreKind.BANK_BRANCH: [("全天", "全", "08:30", "17:30"), ("早班", "早", "08:00", "12:30")],
    StoreKind.BACK_OFFICE: [("正常班", "常", "09:00", "17:30")],
}


def seed(ctx) -> None:
    today = timezone.localdate()
    for year in {today.year, (today + dt.timedelta(days=40)).year}:
        try:
            days = official_days(year)
        except ValueError:
            continue
        for day, kind, name in days:
            _r, created = CalendarDay.objects.get_or_create(date=day, defaults={"kind": kind, "name": name})
            ctx.count(created)
    monday = week_start(today)
    for store in ctx.stores.values():
        types = []
        for i, (name, code, starts, ends) in enumerate(SHIFTS[store.kind]):
            t, created = ShiftType.objects.get_or_create(
                store=store,
                name=name,
                defaults={
                    "code": code,
                    "starts_at": dt.time.fromisoformat(starts),
                    "ends_at": dt.time.fromisoformat(ends),
                    "position": i,
                },
            )
            types.append(t)
            ctx.count(created)
        people = sorted({m.user_id for m in Membership.objects.filter(store=store, is_active=True)})
        if Shift.objects.filter(store=store, date__gte=monday).exists():
            continue
        rows = []
        for week in (0, 1):
            for offset in range(7):
                day = monday + dt.timedelta(days=7 * week + offset)
                for n, user_id in enumerate(people):
                    # five days on, two off, staggered so the store is covered every day
                    if (offset + n) % 7 in (5, 6):
                        continue
                    rows.append(
                        Shift(
                            store=store,
                            user_id=user_id,
                            date=day,
                            shift_type=types[(n + offset) % min(2, len(types))],
                        )
                    )
        Shift.objects.bulk_create(rows, ignore_conflicts=True)
        ctx.count(bool(rows))
    _demo_arrivals_and_requests(ctx, today)


def _demo_arrivals_and_requests(ctx, today: dt.date) -> None:
    hall = ctx.stores.get("hall-central")
    clerk2 = ctx.users.get("clerk2")
    if hall is None or clerk2 is None:
        return
    yesterday = today - dt.timedelta(days=1)
    shift = Shift.objects.filter(store=hall, user=clerk2, date=yesterday).select_related("shift_type").first()
    if shift is not None:
        tz = timezone.get_current_timezone()
        due = timezone.make_aware(
            dt.datetime.combine(yesterday, shift.shift_type.starts_at), tz
        ) - dt.timedelta(minutes=arrive_early_minutes())
        _c, created = CheckIn.objects.get_or_create(
            store=hall,
            user=clerk2,
            date=yesterday,
            defaults={"at": due + dt.timedelta(minutes=12), "due_at": due, "late_minutes": 12},
        )
        ctx.count(created)
    start = today + dt.timedelta(days=9)
    _r, created = ShiftRequest.objects.get_or_create(
        store=hall,
        requester=clerk2,
        kind=RequestKind.LEAVE,
        date=start,
        defaults={
            "end_date": start + dt.timedelta(days=1),
            "reason": "家中有事，请事假两天",
            "state": RequestState.PENDING,
        },
    )
    ctx.count(created)
