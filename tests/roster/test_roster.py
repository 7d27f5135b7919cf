"""The roster (排班): the week grid, copying a week, requests for leave and swaps, check-in against
the roster, holiday duty, opening hours, exports, and who may see and change each of them."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.notifications.models import Notification
from apps.org.models import RoleTier
from apps.roster import selectors, services
from apps.roster.calendar import add_working_days, is_working_day
from apps.roster.models import CalendarDay, CheckIn, DayKind, RequestKind, RequestState, Shift, ShiftType
from tests.factories.org import member

pytestmark = pytest.mark.django_db

MONDAY = selectors.week_start(timezone.localdate())


def week_url(store, monday=MONDAY):
    return reverse("roster:week", args=[store.pk, monday.isoformat()])


@pytest.fixture
def types(store):
    early = ShiftType.objects.create(
        store=store, name="早班", code="早", starts_at=dt.time(8, 30), ends_at=dt.time(14, 30)
    )
    late = ShiftType.objects.create(
        store=store, name="晚班", code="晚", starts_at=dt.time(12), ends_at=dt.time(18)
    )
    return early, late


def cell(user, day):
    return f"c-{user.pk}-{day:%Y%m%d}"


def test_the_manager_plans_the_week_in_the_grid_and_the_clerk_sees_it(client_for, manager, clerk, types):
    early, late = types
    client = client_for(manager)
    response = client.post(
        week_url(manager.memberships.first().store),
        {cell(clerk, MONDAY): early.pk, cell(manager, MONDAY): late.pk},
    )
    assert response.status_code == 302
    assert set(Shift.objects.values_list("user__username", "shift_type__name")) == {
        ("clerk", "早班"),
        ("manager", "晚班"),
    }
    page = client_for(clerk).get(week_url(clerk.memberships.first().store))
    assert page.status_code == 200
    grid = page.context["grid"]
    row = next(r for r in grid.rows if r.user == clerk)
    assert row.cells[0].shift.shift_type == early and row.hours == 6
    assert b'name="c-' not in page.content  # a clerk reads the roster, she does not edit it


def test_a_clerk_cannot_change_the_roster(client_for, clerk, types):
    response = client_for(clerk).post(
        week_url(clerk.memberships.first().store), {cell(clerk, MONDAY): types[0].pk}
    )
    assert response.status_code == 403
    assert not Shift.objects.exists()


def test_another_stores_manager_neither_sees_nor_changes_the_roster(
    client_for, manager2, store, clerk, types
):
    client = client_for(manager2)
    assert client.get(week_url(store)).status_code == 404
    assert client.post(week_url(store), {cell(clerk, MONDAY): types[0].pk}).status_code == 404
    assert not Shift.objects.exists()


def test_a_shift_of_another_store_or_a_stranger_is_refused_and_nothing_is_written(
    manager, clerk, clerk_b, store, store2, types
):
    foreign = ShiftType.objects.create(
        store=store2, name="全天", code="全", starts_at=dt.time(8), ends_at=dt.time(17)
    )
    with pytest.raises(ValidationError):
        services.week_save(
            by=manager,
            store=store,
            cells={(clerk.pk, MONDAY): types[0].pk, (clerk.pk, MONDAY + dt.timedelta(days=1)): foreign.pk},
        )
    with pytest.raises(ValidationError):
        services.week_save(by=manager, store=store, cells={(clerk_b.pk, MONDAY): types[0].pk})
    assert not Shift.objects.exists()


def test_a_bad_cell_in_the_form_keeps_what_was_typed(client_for, manager, clerk, store, types):
    response = client_for(manager).post(
        week_url(store), {cell(clerk, MONDAY): "99999", cell(manager, MONDAY): types[1].pk}
    )
    assert response.status_code == 200
    assert not Shift.objects.exists()
    html = response.content.decode()
    assert f'<option value="{types[1].pk}" selected>' in html


def test_the_grid_flags_people_over_their_weekly_hours_and_shifts_nobody_covers(
    manager, clerk, store, types, settings
):
    settings.ROSTER_WEEKLY_HOURS = 40
    full = ShiftType.objects.create(
        store=store, name="全天", code="全", starts_at=dt.time(8), ends_at=dt.time(18)
    )
    services.week_save(
        by=manager, store=store, cells={(clerk.pk, MONDAY + dt.timedelta(days=i)): full.pk for i in range(5)}
    )
    grid = selectors.week_grid(store=store, monday=MONDAY)
    row = next(r for r in grid.rows if r.user == clerk)
    assert row.hours == 50 and row.over
    assert not next(r for r in grid.rows if r.user == manager).over
    assert types[0] in grid.uncovered_on(MONDAY) and full not in grid.uncovered_on(MONDAY)


def test_copy_last_week_fills_only_the_empty_cells(client_for, manager, clerk, store, types):
    early, late = types
    last_monday = MONDAY - dt.timedelta(days=7)
    services.week_save(
        by=manager,
        store=store,
        cells={(clerk.pk, last_monday): early.pk, (clerk.pk, last_monday + dt.timedelta(days=1)): early.pk},
    )
    services.week_save(by=manager, store=store, cells={(clerk.pk, MONDAY + dt.timedelta(days=1)): late.pk})
    response = client_for(manager).post(reverse("roster:week_copy", args=[store.pk, MONDAY.isoformat()]))
    assert response.status_code == 302
    this_week = dict(Shift.objects.filter(date__gte=MONDAY).values_list("date", "shift_type__name"))
    assert this_week == {MONDAY: "早班", MONDAY + dt.timedelta(days=1): "晚班"}


def test_a_clerk_cannot_copy_a_week(client_for, clerk, store):
    assert (
        client_for(clerk).post(reverse("roster:week_copy", args=[store.pk, MONDAY.isoformat()])).status_code
        == 404
    )


def test_the_week_exports_to_excel_and_prints(client_for, manager, clerk, store, types, monkeypatch):
    services.week_save(by=manager, store=store, cells={(clerk.pk, MONDAY): types[0].pk})
    client = client_for(clerk)
    response = client.get(reverse("roster:week_xlsx", args=[store.pk, MONDAY.isoformat()]))
    assert response.status_code == 200
    ws = load_workbook(BytesIO(response.content)).active
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert any(r[0] == str(clerk) and r[1].startswith("早班 08:30") for r in rows)
    captured = {}
    monkeypatch.setattr(
        "apps.roster.views.render_pdf", lambda t, ctx, request=None: captured.update(ctx) or b"%PDF-1.7"
    )
    response = client.get(reverse("roster:week_pdf", args=[store.pk, MONDAY.isoformat()]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert captured["grid"].rows


def test_a_week_address_that_is_not_a_date_is_not_found(client_for, manager, store):
    assert client_for(manager).get(reverse("roster:week", args=[store.pk, "2026-13-40"])).status_code == 404


def test_leave_approved_by_the_manager_takes_the_shifts_off_and_shows_leave(
    client_for, manager, clerk, store, types
):
    day = MONDAY + dt.timedelta(days=14)
    services.week_save(
        by=manager,
        store=store,
        cells={(clerk.pk, day): types[0].pk, (clerk.pk, day + dt.timedelta(days=1)): types[0].pk},
    )
    response = client_for(clerk).post(
        reverse("roster:request_new"),
        {
            "store": store.pk,
            "kind": RequestKind.LEAVE,
            "date": day,
            "end_date": day + dt.timedelta(days=1),
            "reason": "家中有事",
        },
    )
    assert response.status_code == 302
    request = clerk.shift_requests.get()
    assert Notification.objects.filter(recipient=manager, key=f"roster-request-{request.pk}").exists()
    client = client_for(manager)
    assert (
        client.post(
            reverse("roster:request_decide", args=[request.pk, "approve"]), {"note": "同意"}
        ).status_code
        == 302
    )
    request.refresh_from_db()
    assert request.state == RequestState.APPROVED and request.decided_by == manager
    assert not Shift.objects.filter(user=clerk).exists()
    grid = selectors.week_grid(store=store, monday=selectors.week_start(day))
    assert next(r for r in grid.rows if r.user == clerk).cells[day.weekday()].on_leave
    assert Notification.objects.filter(recipient=clerk, key=f"roster-request-{request.pk}-decided").exists()


def test_an_approved_swap_exchanges_the_two_shifts(manager, clerk, store, types):
    colleague = member(store, RoleTier.CLERK, "clerk3")
    day = MONDAY + dt.timedelta(days=8)
    services.week_save(
        by=manager, store=store, cells={(clerk.pk, day): types[0].pk, (colleague.pk, day): types[1].pk}
    )
    request = services.request_create(
        by=clerk, store=store, kind=RequestKind.SWAP, date=day, swap_with=colleague, reason="换班"
    )
    services.request_decide(by=manager, request=request, approve=True)
    assert dict(Shift.objects.filter(date=day).values_list("user__username", "shift_type__name")) == {
        "clerk": "晚班",
        "clerk3": "早班",
    }


def test_nobody_approves_their_own_request(manager, store, types):
    other = member(store, RoleTier.MANAGER, "deputy")
    day = MONDAY + dt.timedelta(days=8)
    request = services.request_create(
        by=manager, store=store, kind=RequestKind.LEAVE, date=day, reason="年假"
    )
    with pytest.raises(ValidationError):
        services.request_decide(by=manager, request=request, approve=True)
    services.request_decide(by=other, request=request, approve=True)
    request.refresh_from_db()
    assert request.decided_by == other


def test_a_clerk_cannot_decide_and_another_store_cannot_see_a_request(
    client_for, clerk, manager2, store, types
):
    colleague = member(store, RoleTier.CLERK, "clerk3")
    request = services.request_create(
        by=colleague, store=store, kind=RequestKind.LEAVE, date=MONDAY + dt.timedelta(days=8), reason="病假"
    )
    assert (
        client_for(clerk).post(reverse("roster:request_decide", args=[request.pk, "approve"])).status_code
        == 404
    )
    assert (
        client_for(manager2).post(reverse("roster:request_decide", args=[request.pk, "approve"])).status_code
        == 404
    )
    request.refresh_from_db()
    assert request.state == RequestState.PENDING


def test_a_request_with_bad_dates_shows_the_error_and_keeps_the_reason(client_for, clerk, store):
    day = timezone.localdate() + dt.timedelta(days=3)
    response = client_for(clerk).post(
        reverse("roster:request_new"),
        {
            "store": store.pk,
            "kind": RequestKind.LEAVE,
            "date": day,
            "end_date": day - dt.timedelta(days=1),
            "reason": "陪护家人",
        },
    )
    assert response.status_code == 200
    assert "陪护家人" in response.content.decode()
    assert response.context["form"].errors
    assert not clerk.shift_requests.exists()


def test_a_swap_needs_a_shift_that_day_and_a_colleague_of_the_store(clerk, clerk_b, store):
    day = MONDAY + dt.timedelta(days=8)
    with pytest.raises(ValidationError):
        services.request_create(
            by=clerk, store=store, kind=RequestKind.SWAP, date=day, swap_with=clerk_b, reason="换班"
        )


def test_the_requester_withdraws_a_pending_request(client_for, clerk, store):
    request = services.request_create(
        by=clerk, store=store, kind=RequestKind.LEAVE, date=MONDAY + dt.timedelta(days=8), reason="事假"
    )
    assert client_for(clerk).post(reverse("roster:request_withdraw", args=[request.pk])).status_code == 302
    request.refresh_from_db()
    assert request.state == RequestState.WITHDRAWN


def test_check_in_counts_lateness_against_the_shift_start_minus_fifteen_minutes(manager, clerk, store, types):
    today = timezone.localdate()
    services.week_save(by=manager, store=store, cells={(clerk.pk, today): types[0].pk})
    tz = timezone.get_current_timezone()
    at = timezone.make_aware(dt.datetime.combine(today, dt.time(8, 20)), tz)
    row, created = services.check_in(by=clerk, store=store, now=at)
    assert created and row.late_minutes == 5
    again, created = services.check_in(by=clerk, store=store, now=at + dt.timedelta(hours=1))
    assert not created and again.at == at


def test_check_in_on_time_or_without_a_shift_is_not_late(manager, clerk, store, types):
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    row, _ = services.check_in(
        by=manager, store=store, now=timezone.make_aware(dt.datetime.combine(today, dt.time(11)), tz)
    )
    assert row.late_minutes == 0 and row.due_at is None
    services.week_save(by=manager, store=store, cells={(clerk.pk, today): types[0].pk})
    row, _ = services.check_in(
        by=clerk, store=store, now=timezone.make_aware(dt.datetime.combine(today, dt.time(8, 10)), tz)
    )
    assert row.late_minutes == 0


def test_the_home_page_offers_check_in_and_the_manager_sees_late_arrivals(
    client_for, manager, clerk, store, types
):
    client = client_for(clerk)
    home = client.get("/")
    assert b'data-testid="check-in"' in home.content
    assert client.post(reverse("roster:check_in", args=[store.pk])).status_code == 302
    assert CheckIn.objects.filter(user=clerk).count() == 1
    assert b'data-testid="checked-in"' in client.get("/").content
    CheckIn.objects.update(late_minutes=7)
    board = client_for(manager).get("/")
    assert b'data-testid="late-panel"' in board.content
    assert 'data-testid="late-count">1<' in board.content.decode()
    assert client_for(clerk).get(reverse("roster:arrivals")).status_code == 403


def test_nobody_checks_in_at_another_store(client_for, clerk, store2):
    assert client_for(clerk).post(reverse("roster:check_in", args=[store2.pk])).status_code == 404
    assert not CheckIn.objects.exists()


def test_holiday_duty_puts_one_person_on_each_holiday(client_for, manager, clerk, store):
    day = dt.date(MONDAY.year, 10, 1)
    CalendarDay.objects.create(date=day, kind=DayKind.HOLIDAY, name="国庆节")
    url = reverse("roster:holiday_duty", args=[store.pk, day.year])
    response = client_for(manager).post(url, {f"d-{day:%Y%m%d}": clerk.pk})
    assert response.status_code == 302
    shift = Shift.objects.get()
    assert (shift.user, shift.date, shift.shift_type.code) == (clerk, day, "值")
    assert client_for(clerk).post(url, {f"d-{day:%Y%m%d}": ""}).status_code == 403
    assert Shift.objects.count() == 1


def test_the_manager_sets_opening_hours_and_a_clerk_cannot(client_for, manager, clerk, store):
    url = reverse("roster:hours", args=[store.pk])
    bad = client_for(manager).post(url, {"opens_at": "18:00", "closes_at": "09:00"})
    assert bad.status_code == 200 and bad.context["form"].errors
    assert client_for(manager).post(url, {"opens_at": "09:00", "closes_at": "21:00"}).status_code == 302
    store.refresh_from_db()
    assert (store.opens_at, store.closes_at) == (dt.time(9), dt.time(21))
    assert client_for(clerk).get(url).status_code == 403


def test_shift_types_are_kept_by_the_manager_and_read_by_clerks(client_for, manager, clerk, store):
    url = reverse("roster:shift_types", args=[store.pk])
    bad = client_for(manager).post(
        url,
        {
            "name": "早班",
            "code": "早",
            "starts_at": "09:00",
            "ends_at": "09:00",
            "position": 0,
            "is_active": "on",
        },
    )
    assert bad.status_code == 200 and not ShiftType.objects.exists()
    assert (
        client_for(manager)
        .post(
            url,
            {
                "name": "早班",
                "code": "早",
                "starts_at": "09:00",
                "ends_at": "15:00",
                "position": 0,
                "is_active": "on",
            },
        )
        .status_code
        == 302
    )
    assert ShiftType.objects.get().hours == 6
    assert client_for(clerk).get(url).status_code == 200
    assert (
        client_for(clerk)
        .post(url, {"name": "晚班", "code": "晚", "starts_at": "12:00", "ends_at": "18:00", "position": 1})
        .status_code
        == 403
    )
    assert ShiftType.objects.count() == 1


def test_a_night_shift_runs_past_midnight(store):
    night = ShiftType(store=store, name="夜班", code="夜", starts_at=dt.time(22), ends_at=dt.time(6))
    assert night.hours == 8


def test_the_business_calendar_knows_holidays_and_make_up_days(admin, manager):
    n = services.calendar_sync(by=admin, year=2026)
    assert n > 20
    assert CalendarDay.objects.get(date=dt.date(2026, 10, 1)).name == "国庆节"
    assert not is_working_day(dt.date(2026, 10, 1))
    workdays = CalendarDay.objects.filter(kind=DayKind.WORKDAY, date__year=2026)
    assert workdays.exists() and all(is_working_day(d.date) for d in workdays)
    assert is_working_day(dt.date(2026, 11, 30)) and not is_working_day(dt.date(2026, 11, 29))
    # 2026-09-30 (Wed) + 1 working day skips the National Day week
    assert add_working_days(dt.date(2026, 9, 30), 1) > dt.date(2026, 10, 7)
    with pytest.raises(PermissionDenied):
        services.calendar_sync(by=manager, year=2026)


def test_a_year_the_calendar_package_does_not_know_gives_a_message(admin):
    with pytest.raises(ValidationError, match="2099"):
        services.calendar_sync(by=admin, year=2099)


def test_the_calendar_page_lets_only_admins_take_the_official_days(client_for, admin, manager):
    url = reverse("roster:calendar_sync")
    assert client_for(manager).post(url, {"year": 2026}).status_code == 403
    assert not CalendarDay.objects.exists()
    client_for(admin).post(url, {"year": 2026})
    assert CalendarDay.objects.filter(date__year=2026).exists()
    page = client_for(manager).get(reverse("roster:calendar") + "?year=2026")
    assert "国庆节" in page.content.decode() and b"calendar-sync" not in page.content
    assert client_for(manager).get(reverse("roster:calendar") + "?year=abc").status_code == 404


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _add_people(store, manager, types, start, n):
    for i in range(start, start + n):
        person = member(store, RoleTier.CLERK, f"extra{i}")
        services.week_save(
            by=manager,
            store=store,
            cells={(person.pk, MONDAY + dt.timedelta(days=d)): types[d % 2].pk for d in range(7)},
        )
        services.request_create(
            by=person,
            store=store,
            kind=RequestKind.LEAVE,
            date=MONDAY + dt.timedelta(days=21 + i),
            reason="事假",
        )


def test_the_week_grid_and_the_request_list_cost_the_same_queries_for_more_people(
    client_for, manager, store, types
):
    client = client_for(manager)
    _add_people(store, manager, types, 0, 1)
    few = [_queries(client, week_url(store)), _queries(client, reverse("roster:requests"))]
    _add_people(store, manager, types, 1, 11)
    many = [_queries(client, week_url(store)), _queries(client, reverse("roster:requests"))]
    assert few == many
