"""Writes on the roster: the business calendar, shift types, the week, requests and arrivals.

Every function checks who may do it (`apps.org.access`) and raises `ValidationError` with a message
for the person when the input breaks a rule.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.notifications.services import Message, notification_send, notifications_send_many
from apps.org.access import people_who_can, require
from apps.org.models import Membership, OpenDays, Store, User

from .calendar import official_days
from .models import CalendarDay, CheckIn, RequestKind, RequestState, Shift, ShiftRequest, ShiftType
from .selectors import arrive_early_minutes, may_decide, shift_bounds, shift_of

MAX_LEAVE_DAYS = 60
DECIDED: dict[tuple[str, str], str] = {
    (RequestKind.LEAVE, RequestState.APPROVED): gettext_noop("Your leave from %(date)s was approved"),
    (RequestKind.LEAVE, RequestState.REJECTED): gettext_noop("Your leave from %(date)s was not approved"),
    (RequestKind.SWAP, RequestState.APPROVED): gettext_noop("The shift swap on %(date)s was approved"),
    (RequestKind.SWAP, RequestState.REJECTED): gettext_noop("The shift swap on %(date)s was not approved"),
}


def calendar_sync(*, by: User, year: int) -> int:
    """Fill the year's holidays and make-up working days from `chinese_calendar`; days an admin
    entered for other dates stay. Returns how many days were written."""
    if not (by.is_superuser or by.is_org_admin):
        raise PermissionDenied
    try:
        days = official_days(year)
    except ValueError as exc:
        raise ValidationError(
            _("The calendar package has no data for %(year)s yet: enter its days by hand. (%(detail)s)")
            % {"year": year, "detail": exc}
        ) from exc
    with transaction.atomic():
        for day, kind, name in days:
            CalendarDay.objects.update_or_create(date=day, defaults={"kind": kind, "name": name})
    return len(days)


def _is_member(user_id: int, store: Store) -> bool:
    return Membership.objects.filter(store=store, user_id=user_id, is_active=True).exists()


def shift_type_save(*, by: User, store: Store, instance: ShiftType | None = None, **fields) -> ShiftType:
    require(by, "roster.plan", store)
    shift_type = instance or ShiftType(store=store)
    if shift_type.store_id != store.pk:
        raise PermissionDenied
    for name, value in fields.items():
        setattr(shift_type, name, value)
    if shift_type.starts_at == shift_type.ends_at:
        raise ValidationError(_("A shift must end at another time than it starts."))
    shift_type.full_clean()
    shift_type.save()
    return shift_type


def week_save(*, by: User, store: Store, cells: dict[tuple[int, dt.date], int | None]) -> int:
    """Set the roster cells `(user id, date) -> shift type id or None` of `store`. Every cell is
    checked first; nothing is written when one is wrong. Returns how many cells changed."""
    require(by, "roster.plan", store)
    members = set(Membership.objects.filter(store=store, is_active=True).values_list("user_id", flat=True))
    types = {t.pk: t for t in ShiftType.objects.filter(store=store)}
    for (user_id, _day), type_id in cells.items():
        if user_id not in members:
            raise ValidationError(_("Only the store's own staff can be on its roster."))
        if type_id is not None and type_id not in types:
            raise ValidationError(_("Choose one of this store's shifts."))
    if not cells:
        return 0
    dates = {d for _u, d in cells}
    existing = {
        (s.user_id, s.date): s
        for s in Shift.objects.filter(store=store, date__in=dates, user_id__in={u for u, _d in cells})
    }
    changed = 0
    with transaction.atomic():
        for key, type_id in sorted(cells.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            shift = existing.get(key)
            if type_id is None:
                if shift is not None:
                    shift.delete()
                    changed += 1
            elif shift is None:
                Shift.objects.create(store=store, user_id=key[0], date=key[1], shift_type_id=type_id)
                changed += 1
            elif shift.shift_type_id != type_id:
                shift.shift_type_id = type_id
                shift.save(update_fields=["shift_type"])
                changed += 1
    return changed


def week_copy(*, by: User, store: Store, monday: dt.date) -> int:
    """Copy last week's roster into the week from `monday`, filling only the empty cells of the
    people still on the staff. Returns how many shifts were added."""
    require(by, "roster.plan", store)
    members = set(Membership.objects.filter(store=store, is_active=True).values_list("user_id", flat=True))
    last = Shift.objects.filter(
        store=store,
        date__gte=monday - dt.timedelta(days=7),
        date__lt=monday,
        user_id__in=members,
        shift_type__is_active=True,
    )
    taken = set(
        Shift.objects.filter(
            store=store, date__gte=monday, date__lt=monday + dt.timedelta(days=7)
        ).values_list("user_id", "date")
    )
    new = [
        Shift(
            store=store, user_id=s.user_id, date=s.date + dt.timedelta(days=7), shift_type_id=s.shift_type_id
        )
        for s in last
        if (s.user_id, s.date + dt.timedelta(days=7)) not in taken
    ]
    with transaction.atomic():
        Shift.objects.bulk_create(new)
    return len(new)


def holiday_duty_save(*, by: User, store: Store, duty: dict[dt.date, int | None]) -> int:
    """The holiday-duty roster (节假日值班): one person on the store's 值班 shift per day given."""
    require(by, "roster.plan", store)
    shift_type = ShiftType.objects.filter(store=store, code="值").first()
    if shift_type is None:
        shift_type = shift_type_save(
            by=by, store=store, name=_("Holiday duty"), code="值", starts_at=dt.time(9), ends_at=dt.time(17)
        )
    cells: dict[tuple[int, dt.date], int | None] = {}
    current = {
        s.date: s.user_id
        for s in Shift.objects.filter(store=store, date__in=list(duty), shift_type=shift_type)
    }
    for day, user_id in duty.items():
        if current.get(day) and current[day] != user_id:
            cells[(current[day], day)] = None
        if user_id:
            cells[(user_id, day)] = shift_type.pk
    return week_save(by=by, store=store, cells=cells)


def request_create(
    *,
    by: User,
    store: Store,
    kind: str,
    date: dt.date,
    end_date: dt.date | None = None,
    swap_with: User | None = None,
    reason: str,
) -> ShiftRequest:
    require(by, "roster.view", store)
    if not _is_member(by.pk, store):
        raise ValidationError(_("Only the store's own staff can ask for leave or a swap there."))
    end_date = end_date or date
    if end_date < date:
        raise ValidationError({"end_date": _("The last day cannot be before the first.")})
    if date < timezone.localdate():
        raise ValidationError({"date": _("Ask for today or a later day.")})
    if (end_date - date).days + 1 > MAX_LEAVE_DAYS:
        raise ValidationError({"end_date": _("Ask for at most %(n)s days at once.") % {"n": MAX_LEAVE_DAYS}})
    if kind == RequestKind.SWAP:
        if swap_with is None or swap_with.pk == by.pk or not _is_member(swap_with.pk, store):
            raise ValidationError({"swap_with": _("Choose a colleague of this store to swap with.")})
        if end_date != date:
            raise ValidationError({"end_date": _("A swap is for one day.")})
        if shift_of(user=by, store=store, day=date) is None:
            raise ValidationError({"date": _("You have no shift that day to swap.")})
    elif kind == RequestKind.LEAVE:
        swap_with = None
    else:
        raise ValidationError(_("Choose leave or a swap."))
    overlapping = ShiftRequest.objects.filter(
        requester=by,
        store=store,
        state=RequestState.PENDING,
        date__lte=end_date,
        end_date__gte=date,
    )
    if overlapping.exists():
        raise ValidationError(_("You already have a request waiting for these days."))
    request = ShiftRequest.objects.create(
        store=store,
        requester=by,
        kind=kind,
        date=date,
        end_date=end_date,
        swap_with=swap_with,
        reason=reason.strip(),
    )
    url = reverse("roster:requests")
    deciders = [
        u for u in people_who_can("roster.plan", store) if u.pk not in (by.pk, getattr(swap_with, "pk", 0))
    ]
    notifications_send_many(
        recipients=deciders,
        key=f"roster-request-{request.pk}",
        title=Message(
            gettext_noop("%(who)s asks for leave from %(date)s")
            if kind == RequestKind.LEAVE
            else gettext_noop("%(who)s asks to swap shifts on %(date)s"),
            who=str(by),
            date=f"{date:%Y-%m-%d}",
        ),
        url=url,
        store=store,
        source="roster",
    )
    return request


def request_decide(*, by: User, request: ShiftRequest, approve: bool, note: str = "") -> ShiftRequest:
    """Approve or reject a pending request. Nobody decides their own (or a swap they are part of).
    Approving a swap exchanges the two people's shifts of that day; approving leave takes the
    requester's shifts of those days off the roster (the grid shows 假)."""
    if request.requester_id == by.pk or request.swap_with_id == by.pk:
        raise ValidationError(_("Nobody approves their own request: the store's manager or superior does."))
    require(by, "roster.plan", request.store)
    if not may_decide(by, request):
        raise ValidationError(_("This request has already been decided."))
    with transaction.atomic():
        locked = ShiftRequest.objects.select_for_update().get(pk=request.pk)
        if locked.state != RequestState.PENDING:
            raise ValidationError(_("This request has already been decided."))
        if approve and locked.kind == RequestKind.SWAP:
            mine = Shift.objects.filter(store=locked.store, user=locked.requester, date=locked.date).first()
            theirs = Shift.objects.filter(store=locked.store, user=locked.swap_with, date=locked.date).first()
            if mine is None:
                raise ValidationError(_("The requester no longer has a shift that day."))
            if theirs is None:
                assert locked.swap_with is not None
                mine.user = locked.swap_with
                mine.save(update_fields=["user"])
            else:
                mine.shift_type_id, theirs.shift_type_id = theirs.shift_type_id, mine.shift_type_id
                mine.save(update_fields=["shift_type"])
                theirs.save(update_fields=["shift_type"])
        if approve and locked.kind == RequestKind.LEAVE:
            Shift.objects.filter(
                store=locked.store, user=locked.requester, date__gte=locked.date, date__lte=locked.end_date
            ).delete()
        locked.state = RequestState.APPROVED if approve else RequestState.REJECTED
        locked.decided_by = by
        locked.decided_at = timezone.now()
        locked.decision_note = note.strip()[:200]
        locked.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    for person in filter(None, [locked.requester, locked.swap_with]):
        notification_send(
            recipient=person,
            key=f"roster-request-{locked.pk}-decided",
            title=Message(DECIDED[(locked.kind, locked.state)], date=f"{locked.date:%Y-%m-%d}"),
            url=reverse("roster:requests"),
            store=locked.store,
            source="roster",
        )
    return locked


def request_withdraw(*, by: User, request: ShiftRequest) -> ShiftRequest:
    if request.requester_id != by.pk:
        raise PermissionDenied
    updated = ShiftRequest.objects.filter(pk=request.pk, state=RequestState.PENDING).update(
        state=RequestState.WITHDRAWN, decided_at=timezone.now()
    )
    if not updated:
        raise ValidationError(_("This request has already been decided."))
    request.refresh_from_db()
    return request


def check_in(*, by: User, store: Store, now: dt.datetime | None = None) -> tuple[CheckIn, bool]:
    """Record the person's arrival today (once a day; a second tap keeps the first time). The
    arrival is due `ROSTER_ARRIVE_EARLY_MINUTES` before the roster shift starts (每日早提前15分钟到岗);
    later counts as late. Without a shift today nothing is due."""
    require(by, "roster.view", store)
    if not _is_member(by.pk, store):
        raise ValidationError(_("Only the store's own staff check in there."))
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    shift = shift_of(user=by, store=store, day=today)
    due = None
    late = 0
    if shift is not None:
        due = shift_bounds(shift)[0] - dt.timedelta(minutes=arrive_early_minutes())
        late = max(0, int((now - due).total_seconds() // 60))
    row, created = CheckIn.objects.get_or_create(
        store=store, user=by, date=today, defaults={"at": now, "due_at": due, "late_minutes": late}
    )
    return row, created


def store_hours_set(
    *, by: User, store: Store, opens_at: dt.time, closes_at: dt.time, open_days: str | None = None
) -> Store:
    """The store's opening hours and open days, which deadlines in business hours and checklist
    schedules count with."""
    require(by, "roster.plan", store)
    if closes_at <= opens_at:
        raise ValidationError({"closes_at": _("The store must close after it opens.")})
    if open_days and open_days not in OpenDays.values:
        raise ValidationError({"open_days": _("Choose one of the listed options.")})
    store.opens_at, store.closes_at = opens_at, closes_at
    store.open_days = open_days or store.open_days
    store.save(update_fields=["opens_at", "closes_at", "open_days"])
    return store
