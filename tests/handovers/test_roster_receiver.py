"""Who hands over to whom: the next person on the roster is proposed as the receiver."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.handovers import selectors
from apps.handovers.forms import people_who_sign
from apps.org.models import RoleTier
from tests.factories.org import member
from tests.factories.roster import on_leave, rostered, shift_type

pytestmark = pytest.mark.django_db


def at(hour, minute=0):
    return timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(hour, minute)))


@pytest.fixture
def clerk3(store):
    return member(store, RoleTier.CLERK, "clerk3", display_name="陈三")


@pytest.fixture
def shifts(store, clerk, clerk2, clerk3):
    """clerk 早班 08:30–14:30, clerk2 晚班 12:00–18:00, clerk3 全天 08:30–18:00."""
    today = timezone.localdate()
    rostered(clerk, store, today, shift_type(store, "早班", "08:30", "14:30"))
    rostered(clerk2, store, today, shift_type(store, "晚班", "12:00", "18:00"))
    rostered(clerk3, store, today, shift_type(store, "全天", "08:30", "18:00"))


def proposal(user, desk, store, now):
    people = people_who_sign([store]).exclude(pk=user.pk)
    return selectors.handover_proposal(user=user, counters=[desk], people=people, now=now)


def test_the_early_clerk_is_proposed_the_late_clerk(shifts, store, desk, clerk, clerk2):
    assert proposal(clerk, desk, store, at(14, 20)).incoming == clerk2


def test_the_last_shift_of_the_day_hands_to_whoever_stays_longest(shifts, store, desk, clerk2, clerk3):
    # Nobody starts after 12:00 today: the one on duty who stays longest (clerk3, till 18:00).
    assert proposal(clerk2, desk, store, at(17, 50)).incoming == clerk3


def test_a_person_on_leave_is_not_proposed(shifts, store, desk, clerk, clerk2, clerk3):
    on_leave(clerk2, store, timezone.localdate())
    assert proposal(clerk, desk, store, at(14, 20)).incoming == clerk3


def test_another_stores_roster_is_not_proposed(store, store2, desk, clerk, clerk_b):
    rostered(clerk_b, store2, timezone.localdate(), shift_type(store2, "晚班", "12:00", "18:00"))
    assert proposal(clerk, desk, store, at(14, 20)).incoming is None


def test_the_form_preselects_the_proposed_receiver_and_it_stays_editable(
    client_for, shifts, store, desk, clerk, clerk2, clerk3
):
    page = client_for(clerk).get(reverse("handovers:new"))
    assert page.status_code == 200
    form = page.context["form"]
    # Whatever the hour of the test run, the proposal is the roster's next person, and any signer
    # of the store may still be chosen.
    expected = proposal(clerk, desk, store, timezone.now()).incoming
    assert form.initial.get("incoming") == (expected.pk if expected else None)
    assert {clerk2, clerk3} <= set(form.fields["incoming"].queryset)
    chosen = client_for(clerk).post(reverse("handovers:new"), {"counter": desk.pk, "incoming": clerk3.pk})
    assert chosen.status_code == 302
