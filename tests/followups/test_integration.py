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
D = dt.timedelta


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


def test_queue_counts_match_the_tabs_and_every_active_follow_up_is_in_exactly_one(rules, store, aftersales):
    from apps.followups.selectors import queue_counts, queue_for
    from tests.factories.followups import make_customer

    today = timezone.localdate()
    rule = rules["first-call-pickup"]  # window: trigger +3 … +7
    made = [
        make_followup(
            rule,
            make_customer(store, owner=aftersales),
            trigger_date=today - D(days=d),
            today=today - D(days=d),
        )
        for d in (4, 5, 9, 12, 0, 4, 5)
    ]
    OPEN = FollowUp.State.OPEN
    tomorrow_9 = timezone.make_aware(dt.datetime.combine(today + D(days=1), dt.time(9)))
    changes = [
        {"state": OPEN},  # due today
        {"state": OPEN, "snoozed_until": today + D(days=2)},  # snoozed: upcoming
        {"state": OPEN},  # window closed two days ago: overdue
        {"state": OPEN, "next_attempt_at": tomorrow_9},  # call back tomorrow: upcoming
        {"state": FollowUp.State.SCHEDULED},  # not open yet: upcoming
        {"state": OPEN, "snoozed_until": today},  # snooze ends today: due today
        {"state": FollowUp.State.SCHEDULED},  # window open, not yet opened by the beat: upcoming
    ]
    for fu, change in zip(made, changes, strict=True):
        FollowUp.objects.filter(pk=fu.pk).update(assignee=aftersales, expires_on=today + D(days=30), **change)
    tabs = {
        s: set(queue_for(user=aftersales, section=s).values_list("pk", flat=True))
        for s in ("today", "overdue", "upcoming")
    }
    assert queue_counts(user=aftersales) == {s: len(pks) for s, pks in tabs.items()}
    assert tabs["today"] == {made[0].pk, made[5].pk}
    assert tabs["overdue"] == {made[2].pk}
    assert tabs["upcoming"] == {made[1].pk, made[3].pk, made[4].pk, made[6].pk}


def test_upcoming_pages_hold_the_rows_of_the_whole_tab_in_its_order(rules, store, store2, aftersales):
    """The upcoming tab is read in two parts (window opened but waiting; window not yet open): a
    page of it holds the same rows as the same slice of the whole tab, across the seam between the
    parts. The other store's follow-ups are on no page."""
    from apps.followups.selectors import queue_for, queue_page
    from tests.factories.followups import make_customer

    today = timezone.localdate()
    rule = rules["first-call-pickup"]  # window: trigger +3 … +7
    waiting = [
        make_followup(
            rule, make_customer(store, owner=aftersales), trigger_date=today - D(days=d), today=today
        )
        for d in (6, 5, 5, 4)
    ]
    for fu in waiting:
        FollowUp.objects.filter(pk=fu.pk).update(state=FollowUp.State.OPEN, snoozed_until=today + D(days=3))
    later = [
        make_followup(
            rule, make_customer(store, owner=aftersales), trigger_date=today + D(days=d), today=today
        )
        for d in (2, 0, 1, 0)
    ]
    make_followup(rule, make_customer(store2), trigger_date=today, today=today)
    FollowUp.objects.filter(pk__in=[fu.pk for fu in waiting + later]).update(assignee=aftersales)
    whole = list(queue_for(user=aftersales, section="upcoming").values_list("pk", flat=True))
    assert sorted(whole) == sorted(fu.pk for fu in waiting + later)
    assert whole[:4] == [fu.pk for fu in sorted(waiting, key=lambda f: (f.window_start, f.pk))]
    for per_page, pages in [(3, 3), (5, 2)]:
        for number in range(1, pages + 1):
            page = queue_page(user=aftersales, section="upcoming", number=number, per_page=per_page)
            bottom = (number - 1) * per_page
            assert [fu.pk for fu in page] == whole[bottom : bottom + per_page]
            assert page.paginator.count == 8
