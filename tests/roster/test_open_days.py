"""The business calendar per store: the manager sets the days it opens; the pages say how the
roster decides checklist runs."""

import datetime as dt

import pytest
from django.urls import reverse

from apps.org.models import OpenDays
from apps.roster import selectors
from tests.factories.roster import holiday

pytestmark = pytest.mark.django_db


def test_the_manager_sets_the_open_days_and_a_clerk_cannot(client_for, manager, clerk, store):
    url = reverse("roster:hours", args=[store.pk])
    data = {"opens_at": "08:30", "closes_at": "18:00", "open_days": OpenDays.NOT_ON_HOLIDAYS}
    assert client_for(clerk).post(url, data).status_code == 403
    store.refresh_from_db()
    assert store.open_days == OpenDays.EVERY_DAY
    assert client_for(manager).post(url, data).status_code == 302
    store.refresh_from_db()
    assert store.open_days == OpenDays.NOT_ON_HOLIDAYS
    bad = client_for(manager).post(url, {**data, "open_days": "sometimes"})
    assert bad.status_code == 200 and bad.context["form"].errors


def test_open_days_follow_the_calendar(store):
    national_day, saturday, monday = dt.date(2026, 10, 1), dt.date(2026, 10, 10), dt.date(2026, 10, 12)
    holiday(national_day)
    assert selectors.store_open_on(store, national_day) and selectors.store_open_on(store, saturday)
    store.open_days = OpenDays.NOT_ON_HOLIDAYS
    assert not selectors.store_open_on(store, national_day) and selectors.store_open_on(store, saturday)
    store.open_days = OpenDays.WORKING_DAYS
    assert not selectors.store_open_on(store, saturday) and selectors.store_open_on(store, monday)
    assert selectors.store_closed_days(store, dt.date(2026, 10, 1), dt.date(2026, 10, 4)) == {
        dt.date(2026, 10, 1),
        dt.date(2026, 10, 3),
        dt.date(2026, 10, 4),
    }


def test_the_roster_and_the_templates_say_who_gets_checklist_runs(client_for, manager, admin, store):
    week = client_for(manager).get(reverse("roster:home"), follow=True)
    assert 'data-testid="runs-follow-roster"' in week.content.decode()
    templates = client_for(admin).get(reverse("checklists:templates"))
    assert 'data-testid="runs-follow-roster"' in templates.content.decode()
