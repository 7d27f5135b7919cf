"""Reads of the roster: the week grid with its flags, requests, arrivals, who is on duty."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from apps.months import week_start as week_start  # one Monday for every app
from apps.org.access import can, stores_where
from apps.org.models import Membership, Store, User

from .calendar import add_working_days as add_working_days  # for other apps: deadlines in working days
from .calendar import calendar_days as calendar_days  # one read of the calendar for a span
from .calendar import is_working_day
from .calendar import store_closed_days as store_closed_days  # for other apps: business-hour deadlines
from .calendar import store_open_on as store_open_on  # for other apps: no checklist runs on closed days
from .models import CalendarDay, CheckIn, RequestKind, RequestState, Shift, ShiftRequest, ShiftType


def weekly_hours_limit() -> float:
    return float(getattr(settings, "ROSTER_WEEKLY_HOURS", 40))


def arrive_early_minutes() -> int:
    return int(getattr(settings, "ROSTER_ARRIVE_EARLY_MINUTES", 15))


def roster_stores_for(*, user, perm: str = "roster.view") -> QuerySet[Store]:
    return stores_where(user, perm).filter(is_active=True).order_by("name")


def store_for(*, user, pk: int, perm: str = "roster.view") -> Store:
    return get_object_or_404(roster_stores_for(user=user, perm=perm), pk=pk)


def staff_of(store: Store) -> list[User]:
    """The people of the store's roster: its active members, once each."""
    users = User.objects.filter(
        pk__in=Membership.objects.filter(store=store, is_active=True).values("user_id"), is_active=True
    ).order_by("display_name", "username")
    return list(users)


def shift_types_of(store: Store, *, active_only: bool = True) -> list[ShiftType]:
    qs = ShiftType.objects.filter(store=store)
    if active_only:
        qs = qs.filter(is_active=True)
    return list(qs.order_by("position", "starts_at"))


@dataclass
class Day:
    date: dt.date
    working: bool
    holiday: str
    kind: str


@dataclass
class Cell:
    date: dt.date
    shift: Shift | None
    on_leave: bool


@dataclass
class Row:
    user: User
    cells: list[Cell]
    hours: float
    over: bool


@dataclass
class WeekGrid:
    store: Store
    monday: dt.date
    days: list[Day]
    shift_types: list[ShiftType]
    rows: list[Row]
    uncovered: list[tuple[dt.date, ShiftType]] = field(default_factory=list)

    @property
    def sunday(self) -> dt.date:
        return self.monday + dt.timedelta(days=6)

    def uncovered_on(self, day: dt.date) -> list[ShiftType]:
        return [t for d, t in self.uncovered if d == day]


def approved_leave_days(store: Store, start: dt.date, end: dt.date) -> set[tuple[int, dt.date]]:
    out = set()
    leaves = ShiftRequest.objects.filter(
        store=store, kind=RequestKind.LEAVE, state=RequestState.APPROVED, date__lte=end, end_date__gte=start
    ).values_list("requester_id", "date", "end_date")
    for user_id, first, last in leaves:
        day = max(first, start)
        while day <= min(last, end):
            out.add((user_id, day))
            day += dt.timedelta(days=1)
    return out


def week_grid(*, store: Store, monday: dt.date, days: int = 7) -> WeekGrid:
    """The roster of `store` for the week from `monday`: people x days, with each person's hours,
    the people over the weekly limit and the shifts nobody covers on an open day."""
    dates = [monday + dt.timedelta(days=i) for i in range(days)]
    end = dates[-1]
    known = calendar_days(monday, end)
    day_rows = []
    for d in dates:
        row = known.get(d)
        day_rows.append(
            Day(
                date=d,
                working=is_working_day(d, known),
                holiday=row.name if row else "",
                kind=row.kind if row else "",
            )
        )
    types = shift_types_of(store, active_only=False)
    shifts = {
        (s.user_id, s.date): s
        for s in Shift.objects.filter(store=store, date__gte=monday, date__lte=end).select_related(
            "shift_type"
        )
    }
    leave = approved_leave_days(store, monday, end)
    limit = weekly_hours_limit() * days / 7
    rows = []
    for user in staff_of(store):
        cells = [Cell(d, shifts.get((user.pk, d)), (user.pk, d) in leave) for d in dates]
        hours = sum(c.shift.shift_type.hours for c in cells if c.shift)
        rows.append(Row(user=user, cells=cells, hours=hours, over=hours > limit))
    covered = {(s.date, s.shift_type_id) for s in shifts.values()}
    uncovered = [(d, t) for d in dates for t in types if t.is_active and (d, t.pk) not in covered]
    return WeekGrid(
        store=store,
        monday=monday,
        days=day_rows,
        shift_types=[t for t in types if t.is_active],
        rows=rows,
        uncovered=uncovered,
    )


def shift_of(*, user, store: Store, day: dt.date) -> Shift | None:
    return Shift.objects.filter(user=user, store=store, date=day).select_related("shift_type").first()


def shifts_of_user(*, user, start: dt.date, end: dt.date) -> QuerySet[Shift]:
    return (
        Shift.objects.filter(user=user, date__gte=start, date__lte=end)
        .select_related("shift_type", "store")
        .order_by("date", "shift_type__starts_at")
    )


def on_duty(*, store: Store, at: dt.datetime) -> list[User]:
    """The people whose shift covers the moment `at` in `store` (shifts past midnight included),
    without those on approved leave that day. Another store's roster does not count."""
    local = timezone.localtime(at)
    days = [local.date() - dt.timedelta(days=1), local.date()]
    leave = users_on_leave(day=local.date())
    out = []
    shifts = Shift.objects.filter(store=store, date__in=days).select_related("shift_type", "user")
    for shift in shifts.order_by("date", "shift_type__starts_at", "user_id"):
        start, end = shift_bounds(shift)
        if start <= at < end and shift.user_id not in leave and shift.user not in out:
            out.append(shift.user)
    return out


def users_on_leave(*, day: dt.date, user_ids=None) -> set[int]:
    """The people on approved leave on `day` (in any store: a person on leave is away everywhere)."""
    leaves = ShiftRequest.objects.filter(
        kind=RequestKind.LEAVE, state=RequestState.APPROVED, date__lte=day, end_date__gte=day
    )
    if user_ids is not None:
        leaves = leaves.filter(requester_id__in=user_ids)
    return set(leaves.values_list("requester_id", flat=True))


@dataclass
class DayRoster:
    """Who works on one day in some stores.

    - `planned`: the stores that have a roster for the day (at least one shift planned);
    - `shifts`: `(store id, user id) -> Shift` of the people rostered, those on leave left out;
    - `on_leave`: the people on approved leave that day."""

    day: dt.date
    planned: set[int]
    shifts: dict[tuple[int, int], Shift]
    on_leave: set[int]

    def shift_of(self, store_id: int, user_id: int) -> Shift | None:
        return self.shifts.get((store_id, user_id))


def day_roster(*, store_ids, day: dt.date) -> DayRoster:
    """The roster of `day` in the stores `store_ids`, read in two queries."""
    shifts = list(
        Shift.objects.filter(store_id__in=store_ids, date=day).select_related("shift_type").order_by("pk")
    )
    leave = users_on_leave(day=day)
    return DayRoster(
        day=day,
        planned={s.store_id for s in shifts},
        shifts={(s.store_id, s.user_id): s for s in shifts if s.user_id not in leave},
        on_leave=leave,
    )


def next_on_roster(*, store: Store, after: User, at: dt.datetime, among=None) -> User | None:
    """The person who takes over from `after` in `store` at `at`: the first one whose shift starts
    after `after`'s own (today's, else now) and has not ended; else the one on duty now who stays
    longest. People on leave are left out; `among` (user ids) narrows the choice. None without a
    roster."""
    local = timezone.localtime(at)
    days = [local.date() - dt.timedelta(days=1), local.date(), local.date() + dt.timedelta(days=1)]
    leave = users_on_leave(day=local.date())
    shifts = list(Shift.objects.filter(store=store, date__in=days).select_related("shift_type", "user"))
    mine = [shift_bounds(s) for s in shifts if s.user_id == after.pk and shift_bounds(s)[1] > at]
    since = min((b[0] for b in mine), default=at)
    later, now_on = [], []
    for shift in shifts:
        if shift.user_id == after.pk or shift.user_id in leave or not shift.user.is_active:
            continue
        if among is not None and shift.user_id not in among:
            continue
        start, end = shift_bounds(shift)
        if end <= at:
            continue
        if start > since:
            later.append((start, shift.user_id, shift.user))
        elif start <= at:
            now_on.append((-end.timestamp(), shift.user_id, shift.user))
    for group in (later, now_on):
        if group:
            return min(group, key=lambda row: row[:2])[2]
    return None


def shift_bounds(shift: Shift) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(dt.datetime.combine(shift.date, shift.shift_type.starts_at), tz)
    end = timezone.make_aware(dt.datetime.combine(shift.date, shift.shift_type.ends_at), tz)
    if end <= start:
        end += dt.timedelta(days=1)
    return start, end


def requests_for(*, user, state: str | None = None) -> QuerySet[ShiftRequest]:
    """The user's own requests, and the requests of the stores where the user plans the roster."""
    qs = ShiftRequest.objects.filter(
        Q(requester=user) | Q(swap_with=user) | Q(store__in=stores_where(user, "roster.plan"))
    ).select_related("store", "requester", "swap_with", "decided_by")
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-created_at", "-id")


def request_for(*, user, pk: int) -> ShiftRequest:
    return get_object_or_404(requests_for(user=user), pk=pk)


def may_decide(user, request: ShiftRequest) -> bool:
    return (
        request.state == RequestState.PENDING
        and request.requester_id != user.pk
        and request.swap_with_id != user.pk
        and can(user, "roster.plan", request.store)
    )


def check_in_of(*, user, store: Store, day: dt.date) -> CheckIn | None:
    return CheckIn.objects.filter(user=user, store=store, date=day).first()


def late_arrivals(*, stores, start: dt.date, end: dt.date) -> QuerySet[CheckIn]:
    return (
        CheckIn.objects.filter(store__in=stores, date__gte=start, date__lte=end, late_minutes__gt=0)
        .select_related("user", "store")
        .order_by("-date", "-late_minutes")
    )


def duty_shifts(*, store: Store, days: list[dt.date]) -> QuerySet[Shift]:
    return Shift.objects.filter(store=store, date__in=days, shift_type__code="值")


def shift_type_of(*, store: Store, pk: str | int | None) -> ShiftType | None:
    if not str(pk or "").isdigit():
        return None
    return ShiftType.objects.filter(store=store, pk=int(str(pk))).first()


def calendar_year(year: int) -> QuerySet[CalendarDay]:
    return CalendarDay.objects.filter(date__year=year).order_by("date")


def check_ins_of(*, user, day: dt.date) -> QuerySet[CheckIn]:
    return CheckIn.objects.filter(user=user, date=day)


def leave_days_between(*, store: Store, start: dt.date, end: dt.date) -> int:
    return len(approved_leave_days(store, start, end))
