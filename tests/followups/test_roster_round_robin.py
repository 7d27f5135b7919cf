"""Round-robin assignment takes turns among the after-sales staff on duty at the moment."""

import datetime as dt

import pytest
from django.utils import timezone

from apps.customers.models import Asset
from apps.followups.engine import followups_generate
from apps.followups.models import AssigneePolicy, FollowUp
from apps.org.models import RoleTier
from tests.factories.followups import make_asset, make_customer
from tests.factories.org import member
from tests.factories.roster import on_leave, rostered_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(store):
    return member(store, RoleTier.AFTERSALES, "rr_a"), member(store, RoleTier.AFTERSALES, "rr_b")


def assign_four(rules, store):
    rule = rules["new-product"]
    rule.assignee_policy = AssigneePolicy.ROUND_ROBIN
    rule.save()
    today = timezone.localdate()
    for _ in range(4):
        make_asset(make_customer(store), kind=Asset.Kind.PRODUCT, delivery_date=today)
    followups_generate(today=today)
    return list(
        FollowUp.objects.filter(rule=rule).order_by("pk").values_list("assignee__username", flat=True)
    )


def test_only_the_person_on_duty_takes_turns(rules, store, staff):
    rostered_at(staff[1], store, timezone.now())
    assert assign_four(rules, store) == ["rr_b"] * 4


def test_a_person_on_leave_is_not_picked_though_rostered(rules, store, staff):
    rostered_at(staff[0], store, timezone.now())
    rostered_at(staff[1], store, timezone.now())
    on_leave(staff[0], store, timezone.localdate())
    assert assign_four(rules, store) == ["rr_b"] * 4


def test_nobody_on_duty_falls_back_to_everyone(rules, store, staff):
    # Rostered tomorrow is not on duty now.
    rostered_at(staff[1], store, timezone.now() + dt.timedelta(days=1))
    assert assign_four(rules, store) == ["rr_a", "rr_b", "rr_a", "rr_b"]


def test_another_stores_roster_does_not_count(rules, store, store2, staff):
    rostered_at(staff[1], store2, timezone.now())
    assert assign_four(rules, store) == ["rr_a", "rr_b", "rr_a", "rr_b"]
