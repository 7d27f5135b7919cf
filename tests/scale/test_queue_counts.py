"""The queue's tab counts: exact up to the cap, "999+" above it, in one query, own scope and store
scope counted separately."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.followups import selectors
from apps.followups.selectors import queue_counts
from tests.factories.followups import make_customer, make_followup, seeded_rules

pytestmark = pytest.mark.django_db
QUEUE = reverse("followups:list")


@pytest.fixture
def due_today(organisation, store, store2, aftersales, manager, manager2):
    """Five follow-ups of the store due today (two of them the after-sales person's), one upcoming,
    and three of another store."""
    rules = seeded_rules(organisation)
    today = timezone.localdate()
    for i in range(5):
        fu = make_followup(rules["new-product"], make_customer(store, name=f"今天{i}"), trigger_date=today)
        fu.assignee = aftersales if i < 2 else manager
        fu.save(update_fields=["assignee"])
    make_followup(rules["first-call-pickup"], make_customer(store, name="以后"), trigger_date=today)
    for i in range(3):
        make_followup(rules["new-product"], make_customer(store2, name=f"外店{i}"), trigger_date=today)
    return rules


def test_small_counts_are_exact_and_counted_in_one_query(manager, aftersales, due_today):
    with CaptureQueriesContext(connection) as ctx:
        counts = queue_counts(user=manager, mine=False)
    store_counts = {k: int(v) for k, v in counts.items()}
    assert len([q for q in ctx.captured_queries if "COUNT" in q["sql"].upper()]) == 1
    assert store_counts["today"] == 5 and store_counts["upcoming"] >= 1
    assert str(counts["today"]) == "5"
    own = queue_counts(user=aftersales, mine=True)
    assert int(own["today"]) == 2  # the forbidden path: others' follow-ups do not count as mine


def test_counts_above_the_cap_show_as_cap_plus(client_for, manager, due_today, monkeypatch):
    """Above the cap the tab shows "3+" (here with a cap of 3) and the count stops reading there."""
    monkeypatch.setattr(selectors, "QUEUE_COUNT_CAP", 3)
    counts = queue_counts(user=manager, mine=False)
    assert int(counts["today"]) == 4 and str(counts["today"]) == "3+"
    body = client_for(manager).get(QUEUE + "?scope=all").content.decode()
    assert ">3+</span>" in body


def test_a_user_without_stores_counts_nothing(django_user_model):
    """No store to look in: zeros, not an error."""
    nobody = django_user_model.objects.create_user("nobody", password="x")
    assert {k: int(v) for k, v in queue_counts(user=nobody, mine=False).items()} == {
        "today": 0,
        "overdue": 0,
        "upcoming": 0,
    }
