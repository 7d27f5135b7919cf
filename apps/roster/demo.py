"""Demo roster: each store's shifts, this week's and next week's roster, the year's business
calendar, an arrival or two and a leave request waiting for the manager. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from apps.org.models import Membership, StoreKind

from .calendar import official_days
from .models import CalendarDay, CheckIn, RequestKind, RequestState, Shift, ShiftRequest, ShiftType
from .selectors import arrive_early_minutes, shift_bounds, week_start

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
            _today_still_open(ctx, store, people)
            continue
        rows = []
        for week in (0, 1):
            for offset in range(7):
                day = monday + dt.timedelta(days=7 * week + offset)
                for n, user_id in enumerate(people):
                    # five days on, two off, staggered so the store is covered every day; nobody's
                    # days off fall on today, so every demo user has a shift whenever it is seeded
                    if ((day - today).days - 1 - n % 5) % 7 in (0, 1):
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
        _today_still_open(ctx, store, people)
    _demo_arrivals_and_requests(ctx, today)


# Seeded in the evening, the day's shifts are over: today's shifts become this evening shift, so
# that every demo user still has a shift open (and checklist runs within it) at any hour.
EVENING = ("晚间值班", "夜", dt.time(16, 0), dt.time(1, 0))
EVENING_FROM = dt.time(17, 0)


def _today_still_open(ctx, store, people: list[int]) -> None:
    """Every member of `store` has a shift today that has not ended yet: the plan's own shift
    (upcoming or under way), else the store's shift under way now that lasts longest (late in the
    day the evening shift). Keyed on (store, person, date), so a second run the same hour changes
    nothing; a run later in the day moves the shifts that are over."""
    now = timezone.now()
    today = timezone.localdate(now)
    shifts = {
        s.user_id: s for s in Shift.objects.filter(store=store, date=today).select_related("shift_type")
    }
    if all(user_id in shifts and shift_bounds(shifts[user_id])[1] > now for user_id in people):
        return
    if timezone.localtime(now).time() >= EVENING_FROM:
        name, code, starts, ends = EVENING
        _t, created = ShiftType.objects.get_or_create(
            store=store,
            name=name,
            defaults={"code": code, "starts_at": starts, "ends_at": ends, "position": 9},
        )
        ctx.count(created)
    spans = []
    for kind in ShiftType.objects.filter(store=store, is_active=True):
        start, end = shift_bounds(Shift(date=today, shift_type=kind))
        if end > now:
            # under way first, the one lasting longest; else the next to start
            spans.append(((start > now, -end.timestamp() if start <= now else start.timestamp()), kind))
    if not spans:
        return
    kind = min(spans, key=lambda row: row[0])[1]
    for user_id in people:
        shift = shifts.get(user_id)
        if shift is None:
            Shift.objects.create(store=store, user_id=user_id, date=today, shift_type=kind)
            ctx.count(True)
        elif shift_bounds(shift)[1] <= now:
            shift.shift_type = kind
            shift.save(update_fields=["shift_type"])


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
