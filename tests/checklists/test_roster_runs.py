"""The roster decides who gets checklist runs, and when; the business calendar decides the days."""

import datetime as dt

import pytest
from django.utils import timezone

from apps.checklists import services
from apps.checklists.models import ChecklistRun, Phase
from apps.org.models import OpenDays, StoreKind
from tests.factories.checklists import hold, opening_template
from tests.factories.roster import holiday, on_leave, rostered, shift_type

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def template(store, clerk, clerk2):
    return opening_template(store, holders=[clerk, clerk2], name="营业员班前准备")


def runs():
    return {
        (r.assignee.username, r.store.code) for r in ChecklistRun.objects.select_related("assignee", "store")
    }


def test_at_a_store_with_a_roster_only_the_rostered_holder_gets_a_run(template, store, clerk, clerk2):
    rostered(clerk, store, timezone.localdate())
    assert services.runs_create_due(now=at(8, 10)) == 1
    assert runs() == {("clerk", "hall")}


def test_a_store_without_a_roster_for_the_day_gives_every_holder_a_run(template, store, clerk, clerk2):
    # A shift on another day is no roster for today.
    rostered(clerk, store, timezone.localdate() + dt.timedelta(days=1))
    assert services.runs_create_due(now=at(8, 10)) == 2
    assert runs() == {("clerk", "hall"), ("clerk2", "hall")}


def test_a_holder_on_leave_gets_no_run_with_or_without_a_roster(template, store, clerk, clerk2):
    on_leave(clerk2, store, timezone.localdate())
    assert services.runs_create_due(now=at(8, 10)) == 1
    assert runs() == {("clerk", "hall")}
    # Even when put back on the roster that day, the approved leave wins.
    ChecklistRun.objects.all().delete()
    rostered(clerk2, store, timezone.localdate())
    assert services.runs_create_due(now=at(8, 10)) == 0


def test_another_stores_roster_does_not_count(template, store, store2, clerk, clerk2):
    hold(template.position, clerk2, store2)
    template.stores.add(store2)
    rostered(clerk, store, timezone.localdate())
    # clerk2 is rostered at the other store only: no run at this one.
    rostered(clerk2, store2, timezone.localdate())
    services.runs_create_due(now=at(8, 10))
    assert runs() == {("clerk", "hall"), ("clerk2", "station")}


def test_the_run_keeps_to_the_persons_shift(template, store, clerk, clerk2):
    """The late-shift clerk's 班前准备 appears before their own start and is due as long after it as
    the template's is after opening (09:00 is 30 min after 08:30); the early clerk's closing
    checklist is due at the end of their shift."""
    today = timezone.localdate()
    rostered(clerk, store, today, shift_type(store, "早班", "08:30", "14:30"))
    rostered(clerk2, store, today, shift_type(store, "晚班", "12:00", "18:00"))
    assert services.runs_create_due(now=at(9, 0)) == 1  # clerk2's run waits for their shift
    assert services.runs_create_due(now=at(11, 30)) == 1
    late = ChecklistRun.objects.get(assignee=clerk2)
    assert (late.starts_at, late.due_at, late.ends_at) == (at(12, 0), at(12, 30), at(18, 0))
    closing = opening_template(
        store,
        position=template.position,
        name="营业员班后收尾",
        phase=Phase.CLOSING,
        due_time=dt.time(17, 55),
    )
    services.runs_create_due(now=at(12, 0))
    early = ChecklistRun.objects.get(template=closing, assignee=clerk)
    assert (early.starts_at, early.due_at, early.ends_at) == (at(8, 30), at(14, 25), at(14, 30))


def test_a_shift_outside_the_templates_window_gets_no_run(template, store, clerk):
    rostered(clerk, store, timezone.localdate(), shift_type(store, "夜班", "19:00", "23:00"))
    assert services.runs_create_due(now=at(8, 10)) == 0
    assert services.runs_create_due(now=at(19, 30)) == 0


def test_a_store_closed_by_the_business_calendar_gets_no_runs(template, store, clerk):
    today = timezone.localdate()
    holiday(today)
    store.open_days = OpenDays.NOT_ON_HOLIDAYS
    store.save()
    rostered(clerk, store, today)
    assert services.runs_create_due(now=at(8, 10)) == 0
    # An outlet open on holidays still works them.
    store.open_days = OpenDays.EVERY_DAY
    store.save()
    assert services.runs_create_due(now=at(8, 10)) == 1  # clerk only: clerk2 has no shift today


def test_a_back_office_keeps_the_office_calendar(template, store, clerk):
    store.kind, store.open_days = StoreKind.BACK_OFFICE, OpenDays.WORKING_DAYS
    store.save()
    saturday = timezone.localdate() + dt.timedelta(days=(5 - timezone.localdate().weekday()) % 7)
    assert services.runs_create_due(now=at(8, 10, day=saturday)) == 0
    monday = saturday + dt.timedelta(days=2)
    assert services.runs_create_due(now=at(8, 10, day=monday)) == 2
