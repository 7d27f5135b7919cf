"""The queue's "upcoming" tab at volume: a page reads the follow-ups on it (and the next part's
first rows), not the many that are due today, which sort before them by the window's opening day."""

import datetime as dt
import json

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.followups.models import FollowUp
from tests.factories.followups import make_customer, make_followup, seeded_rules

pytestmark = pytest.mark.django_db
QUEUE = reverse("followups:list")
D = dt.timedelta


@pytest.fixture
def busy_day(organisation, store, store2, aftersales):
    """100 follow-ups of the store due today, 3 snoozed to a later day, 40 whose window opens later;
    a few of another store."""
    today = timezone.localdate()
    rules = seeded_rules(organisation)
    model = make_followup(rules["new-product"], make_customer(store, owner=aftersales), trigger_date=today)
    fields = {
        f.attname: getattr(model, f.attname) for f in FollowUp._meta.concrete_fields if not f.primary_key
    }

    def copies(n, prefix, **change):
        return [FollowUp(**{**fields, "key": f"{prefix}:{i}", **change}) for i in range(n)]

    FollowUp.objects.bulk_create(
        copies(100, "due", state="open", window_start=today - D(days=2), window_end=today + D(days=5))
        + copies(3, "snoozed", state="open", window_start=today - D(days=3), snoozed_until=today + D(days=1))
        + copies(40, "later", state="scheduled", window_start=today + D(days=4), window_end=today + D(days=9))
        + copies(5, "other", store_id=store2.pk, state="scheduled", window_start=today + D(days=4))
    )
    FollowUp.objects.filter(pk=model.pk).delete()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE followups_followup")


def test_the_upcoming_tab_lists_the_snoozed_then_the_later_ones(client_for, manager, busy_day):
    """The first page: the three snoozed (their window opened first), then the later ones; none due
    today, none of the other store; the tab's count is exact."""
    page = client_for(manager).get(QUEUE + "?scope=all&section=upcoming").context["page"]
    keys = [fu.key for fu in page]
    assert keys[:3] == ["snoozed:0", "snoozed:1", "snoozed:2"]
    assert len(keys) == 25 and all(k.startswith("later:") for k in keys[3:])
    assert page.paginator.count == 43


@pytest.mark.skipif(connection.vendor != "postgresql", reason="reads the PostgreSQL plan")
def test_a_page_of_upcoming_reads_its_own_rows_not_those_due_today(client_for, manager, busy_day):
    """With the planner made to use indexes (the table is small here), the page's query does not
    read and throw away the 100 follow-ups due today, as one scan ordered by the window's opening
    day did: each part's index holds only rows of that part."""
    client = client_for(manager)
    with CaptureQueriesContext(connection) as ctx:
        client.get(QUEUE + "?scope=all&section=upcoming")
    page_sql = [q["sql"] for q in ctx.captured_queries if "customers_customer" in q["sql"]]
    assert len(page_sql) == 1
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + page_sql[0])
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan

    def thrown_away(node):
        own = 0
        if node.get("Relation Name") == "followups_followup":
            own = node.get("Rows Removed by Filter", 0) * node["Actual Loops"]
        return own + sum(thrown_away(child) for child in node.get("Plans", []))

    assert thrown_away(plan[0]["Plan"]) == 0
