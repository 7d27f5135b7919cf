"""Follow-ups appear on the customer's timeline and among the open matters of a shift handover."""

import datetime as dt

import pytest
from django.utils import timezone

from apps.checklists.open_matters import open_matters_for
from apps.customers.timeline import TimelineEntry
from apps.followups.models import FollowUp
from apps.followups.selectors import followup_timeline_source
from tests.factories.followups import make_followup

pytestmark = pytest.mark.django_db


def test_open_followups_are_handed_over_and_shown_on_the_timeline(rules, customer, aftersales, store):
    rule = next(iter(rules.values()))
    fu = make_followup(rule, customer)
    other = make_followup(rule, customer)
    FollowUp.objects.filter(pk=fu.pk).update(assignee=aftersales, state=FollowUp.State.OPEN)
    FollowUp.objects.filter(pk=other.pk).update(assignee=aftersales, state=FollowUp.State.DONE)
    fu.refresh_from_db()
    refs = [m.ref for m in open_matters_for(user=aftersales, store=store)]
    assert f"followup:{fu.pk}" in refs and f"followup:{other.pk}" not in refs
    entries = followup_timeline_source(customer=fu.customer)
    assert entries and all(isinstance(e, TimelineEntry) for e in entries)
    assert fu.get_absolute_url() in [e.url for e in entries]
    assert entries[0].at <= timezone.now() + dt.timedelta(days=400)
