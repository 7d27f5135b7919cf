"""KPIs: return-visit rate, timeliness, satisfaction, per person, store and month."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.followups.models import FollowUp
from apps.followups.selectors import followup_kpis
from tests.factories.followups import make_customer, make_followup

pytestmark = pytest.mark.django_db
D = dt.timedelta


def _done(fu, *, on: dt.date, score: int | None, by):
    FollowUp.objects.filter(pk=fu.pk).update(
        state=FollowUp.State.DONE,
        completed_at=timezone.make_aware(dt.datetime.combine(on, dt.time(10))),
        satisfaction=score,
        completed_by=by,
    )


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
