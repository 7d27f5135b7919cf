"""KPIs: return-visit rate, timeliness, satisfaction, per person, store and month."""

import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.followups.engine import followup_close
from apps.followups.models import FollowUp
from apps.followups.selectors import followup_kpis
from tests.factories.followups import make_customer, make_followup, mark_done

pytestmark = pytest.mark.django_db
D = dt.timedelta


def _done(fu, *, on: dt.date, score: int | None, by):
    mark_done(fu, at=timezone.make_aware(dt.datetime.combine(on, dt.time(10))), satisfaction=score, by=by)


def test_rates_with_numerators_and_denominators(rules, store, store2, aftersales, manager2):
    month = dt.date(2031, 5, 1)
    rule = rules["first-call-pickup"]  # window: trigger +3 … +7
    kw = {"today": dt.date(2031, 4, 1)}
    a = make_followup(rule, make_customer(store, owner=aftersales), trigger_date=dt.date(2031, 5, 1), **kw)
    b = make_followup(rule, make_customer(store, owner=aftersales), trigger_date=dt.date(2031, 5, 10), **kw)
    c = make_followup(rule, make_customer(store, owner=aftersales), trigger_date=dt.date(2031, 5, 20), **kw)
    make_followup(
        rule, make_customer(store, owner=aftersales), trigger_date=dt.date(2031, 5, 22), **kw
    )  # not done
    other = make_followup(rule, make_customer(store2), trigger_date=dt.date(2031, 5, 1), **kw)
    _done(a, on=dt.date(2031, 5, 5), score=5, by=aftersales)  # in window
    _done(b, on=dt.date(2031, 5, 19), score=3, by=aftersales)  # late
    _done(c, on=dt.date(2031, 5, 24), score=4, by=aftersales)  # in window
    _done(other, on=dt.date(2031, 5, 5), score=1, by=manager2)
    k = followup_kpis(stores=[store], month=month)
    assert k["return_visit"] == {"num": 2, "den": 4, "rate": 0.5, "percent": Decimal("50.00")}
    assert k["timeliness"] == {"num": 2, "den": 3, "rate": pytest.approx(2 / 3), "percent": Decimal("66.67")}
    assert k["satisfaction"] == {
        "num": 2,
        "den": 3,
        "rate": pytest.approx(2 / 3),
        "percent": Decimal("66.67"),
    }
    assert k["avg_score"] == pytest.approx(4)
    assert followup_kpis(stores=[store2], month=month)["satisfaction"]["rate"] == 0
    assert followup_kpis(stores=[store], user=manager2, month=month)["return_visit"]["den"] == 0


def test_a_rate_is_none_when_nothing_was_due(store):
    k = followup_kpis(stores=[store], month=dt.date(2031, 1, 1))
    assert k["return_visit"]["rate"] is None and k["timeliness"]["rate"] is None
    assert k["satisfaction"] == {"num": 0, "den": 0, "rate": None, "percent": None}


def test_a_call_counts_on_the_local_day_it_was_made(rules, store, store2, aftersales):
    """Closed at 23:30 Beijing time on the window's last day, a call is in time; closed at 00:30 the
    next morning (the same day in UTC), it is late and counts in the month of its local date. The
    other store's call, closed the same minute, is not counted."""
    rule = rules["first-call-pickup"]  # window: trigger +3 … +7
    kw = {"trigger_date": dt.date(2031, 5, 24), "today": dt.date(2031, 4, 1)}  # closes 31 May
    in_time = make_followup(rule, make_customer(store, owner=aftersales), **kw)
    late = make_followup(rule, make_customer(store, owner=aftersales), **kw)
    other = make_followup(rule, make_customer(store2), **kw)
    for fu, at in [
        (in_time, dt.datetime(2031, 5, 31, 23, 30)),
        (late, dt.datetime(2031, 6, 1, 0, 30)),
        (other, dt.datetime(2031, 5, 31, 23, 30)),
    ]:
        with mock.patch("django.utils.timezone.now", return_value=timezone.make_aware(at)):
            followup_close(fu, state=FollowUp.State.DONE, outcome="好", by=aftersales, satisfaction=5)
    late.refresh_from_db()
    assert late.completed_at.date() == dt.date(2031, 5, 31) and late.completed_on == dt.date(2031, 6, 1)
    may = followup_kpis(stores=[store], month=dt.date(2031, 5, 1))
    assert (may["return_visit"]["num"], may["return_visit"]["den"]) == (1, 2)
    assert (may["timeliness"]["num"], may["timeliness"]["den"]) == (1, 1)
    june = followup_kpis(stores=[store], month=dt.date(2031, 6, 1))
    assert (june["timeliness"]["num"], june["timeliness"]["den"]) == (0, 1)


def test_the_month_counts_compare_stored_dates_not_completion_times(store):
    """Both KPI counts read `completed_on` (the stored local date): no query converts each row's
    `completed_at` to a local date, which is what made them slow at a million rows."""
    with CaptureQueriesContext(connection) as ctx:
        followup_kpis(stores=[store], month=dt.date(2031, 5, 1))
    assert len(ctx.captured_queries) == 2
    assert all("completed_on" in q["sql"] and "completed_at" not in q["sql"] for q in ctx.captured_queries)
