"""The roster and the business calendar in tickets: escalation goes to the manager on duty, and
deadlines in business hours skip the days the store is closed."""

import datetime as dt

import pytest
from django.utils import timezone

from apps.org.models import OpenDays, RoleTier
from apps.tickets.business_hours import add_business_days, add_business_hours
from apps.tickets.escalating import tickets_escalate_due
from apps.tickets.services import supervisors_of
from tests.factories import customers as cf
from tests.factories.org import member
from tests.factories.roster import holiday, on_leave, rostered_at
from tests.factories.tickets import complaint, position

pytestmark = pytest.mark.django_db


def at(*args):
    return timezone.make_aware(dt.datetime(*args))


@pytest.fixture
def customer(store, clerk):
    return cf.customer(store, owner=clerk)


@pytest.fixture
def line(organisation, store, clerk, manager):
    """营业员 (clerk) → 营业厅经理 (manager); deputy is another manager of the store, off the line."""
    hall = position(organisation, "YY-02", "营业厅经理", holders=[(manager, store)])
    position(organisation, "YY-04", "营业员", superiors=[hall], holders=[(clerk, store)])
    return member(store, RoleTier.MANAGER, "deputy", display_name="值班经理")


def escalated_to(store, customer, clerk):
    t = complaint(store, customer, clerk)
    breach = t.answer_due_at + dt.timedelta(minutes=1)
    return t, breach


def run_escalation(t, breach):
    tickets_escalate_due(now=breach)
    t.refresh_from_db()
    return set(t.escalated_to.values_list("username", flat=True))


def test_escalation_goes_to_the_manager_on_duty(store, clerk, manager, customer, line):
    t, breach = escalated_to(store, customer, clerk)
    rostered_at(line, store, breach)
    assert run_escalation(t, breach) == {"deputy"}


def test_the_superior_on_duty_keeps_it(store, clerk, manager, customer, line):
    t, breach = escalated_to(store, customer, clerk)
    rostered_at(line, store, breach)
    rostered_at(manager, store, breach)
    assert run_escalation(t, breach) == {"manager"}


def test_without_anyone_on_duty_the_reporting_line_takes_it(store, clerk, manager, customer, line):
    t, breach = escalated_to(store, customer, clerk)
    assert run_escalation(t, breach) == {"manager"}


def test_a_manager_on_leave_is_not_on_duty(store, clerk, manager, customer, line):
    t, breach = escalated_to(store, customer, clerk)
    rostered_at(line, store, breach)
    on_leave(line, store, timezone.localtime(breach).date())
    assert run_escalation(t, breach) == {"manager"}


def test_another_stores_roster_does_not_count(store, store2, clerk, manager, customer, line):
    t, breach = escalated_to(store, customer, clerk)
    rostered_at(line, store2, breach)
    assert run_escalation(t, breach) == {"manager"}


def test_handing_to_the_supervisor_prefers_the_one_on_duty(store, clerk, manager, line):
    now = timezone.now()
    assert supervisors_of(user=clerk, store=store, at=now) == [manager]
    rostered_at(line, store, now)
    assert supervisors_of(user=clerk, store=store, at=now) == [line]


def test_a_back_office_deadline_skips_the_weekend_and_holidays(store):
    store.open_days = OpenDays.WORKING_DAYS
    store.save()
    # Friday 17:00 + 2 business hours: Monday 09:30 (08:30–18:00 each open day).
    assert add_business_hours(store=store, start=at(2025, 10, 10, 17, 0), hours=2) == at(2025, 10, 13, 9, 30)
    holiday(dt.date(2025, 10, 13), "假日")
    assert add_business_hours(store=store, start=at(2025, 10, 10, 17, 0), hours=2) == at(2025, 10, 14, 9, 30)


def test_an_outlet_closed_on_statutory_holidays_skips_them_and_one_open_every_day_does_not(store):
    holiday(dt.date(2025, 10, 4))
    start = at(2025, 10, 3, 17, 0)
    # Open every day (the default): the holiday counts, 1 h + 9.5 h + 8.5 h.
    assert add_business_days(store=store, start=start, days=2) == at(2025, 10, 5, 17, 0)
    store.open_days = OpenDays.NOT_ON_HOLIDAYS
    store.save()
    # 1 h on the 3rd, the 4th closed, 9.5 h on the 5th, 8.5 h on the 6th.
    assert add_business_days(store=store, start=start, days=2) == at(2025, 10, 6, 17, 0)
