"""The rule engine: every rule of the source documents, from data."""

import datetime as dt

import pytest
from django.utils import timezone

from apps.customers.models import Asset, Customer
from apps.followups.engine import followups_generate
from apps.followups.models import AssigneePolicy, FollowUp, Reminder
from apps.followups.services import campaign_create, followup_log_attempt
from apps.org.models import RoleTier
from apps.roles.models import Position, PositionHolder
from apps.tickets.models import Ticket
from tests.factories.followups import make_asset, make_customer, make_ticket
from tests.factories.org import member

pytestmark = pytest.mark.django_db
D = dt.timedelta


@pytest.fixture
def today():
    return timezone.localdate()


def only(rule):
    return FollowUp.objects.filter(rule=rule)


def test_first_call_is_due_3_to_7_days_after_the_customer_picks_up(rules, customer, aftersales, today):
    ticket = make_ticket(customer, created_by=aftersales, closed_on=today - D(days=1))
    followups_generate(today=today)
    fu = only(rules["first-call-pickup"]).get()
    assert (fu.window_start, fu.window_end) == (today + D(days=2), today + D(days=6))
    assert fu.ticket == ticket and fu.state == FollowUp.State.SCHEDULED
    assert fu.assignee == aftersales  # the file owner
    assert ticket.number in fu.reason
    assert "询问用车情况" in fu.talking_points


def test_generation_is_idempotent(rules, customer, aftersales, today):
    make_ticket(customer, created_by=aftersales, closed_on=today - D(days=1))
    make_asset(customer, kind=Asset.Kind.PRODUCT, delivery_date=today)
    first = followups_generate(today=today)
    assert first == 2
    assert followups_generate(today=today) == 0
    assert FollowUp.objects.count() == 2
    assert Reminder.objects.count() == 6  # opens, last day, overdue: each once


def test_ticket_kind_condition_excludes_complaints(rules, customer, aftersales, today):
    make_ticket(customer, created_by=aftersales, kind=Ticket.Kind.COMPLAINT, closed_on=today - D(days=1))
    followups_generate(today=today)
    assert not only(rules["first-call-pickup"]).exists()


def test_second_call_chains_a_week_after_the_first_and_within_seven_days(rules, customer, aftersales, today):
    make_ticket(customer, created_by=aftersales, closed_on=today - D(days=4))
    followups_generate(today=today)
    first = only(rules["first-call-pickup"]).get()
    assert first.state == FollowUp.State.OPEN
    followup_log_attempt(followup=first, by=aftersales, result="reached", satisfaction=5, outcome="聊了保养")
    second = only(rules["second-call"]).get()
    assert second.previous == first
    assert (second.window_start, second.window_end) == (today + D(days=7), today + D(days=14))
    assert "避免" in second.talking_points


def test_vehicle_delivery_starts_the_first_call_too(rules, customer, today):
    make_asset(customer, kind=Asset.Kind.VEHICLE, delivery_date=today - D(days=3))
    followups_generate(today=today)
    fu = only(rules["first-call-vehicle"]).get()
    assert fu.state == FollowUp.State.OPEN and fu.window_end == today + D(days=4)
    assert not only(rules["new-product"]).exists()


def test_new_product_return_visit_within_ten_days_with_the_survey(rules, customer, today):
    make_asset(customer, kind=Asset.Kind.PRODUCT, delivery_date=today - D(days=2))
    followups_generate(today=today)
    fu = only(rules["new-product"]).get()
    assert (fu.window_start, fu.window_end) == (today - D(days=2), today + D(days=8))
    assert fu.survey_name == "产品使用情况征询意见表" and len(fu.survey_items) == 5


def test_major_repair_in_warranty_is_visited_within_a_week(rules, customer, aftersales, today):
    make_ticket(customer, created_by=aftersales, closed_on=today, is_major_repair=True)
    make_ticket(customer, created_by=aftersales, closed_on=today, is_major_repair=False)
    followups_generate(today=today)
    fu = only(rules["major-repair"]).get()
    assert fu.window_end == today + D(days=7) and fu.priority == 1


def test_vip_and_key_customers_get_two_follow_ups_a_year(rules, store, aftersales):
    vip = make_customer(store, tier=Customer.Tier.VIP)
    key = make_customer(store, tier=Customer.Tier.KEY)
    normal = make_customer(store)
    year = timezone.localdate().year + 1
    for day in (dt.date(year, 1, 5), dt.date(year, 3, 1), dt.date(year, 7, 2), dt.date(year, 12, 30)):
        followups_generate(today=day)
    periodic = only(rules["vip-periodic"])
    assert periodic.filter(customer=vip).count() == 2
    assert periodic.filter(customer=key).count() == 2
    assert not periodic.filter(customer=normal).exists()
    starts = sorted(periodic.filter(customer=vip).values_list("window_start", flat=True))
    assert starts == [dt.date(year, 1, 1), dt.date(year, 7, 1)]


def test_maintenance_reminder_by_months(rules, customer, today):
    asset = make_asset(customer, delivery_date=today - D(days=170), maintenance_months=6)
    assert asset.compute_next_due() - today <= D(days=14)
    followups_generate(today=today)
    fu = only(rules["maintenance"]).get()
    assert fu.asset == asset and fu.trigger_date == asset.compute_next_due()
    assert fu.window_end == fu.trigger_date and fu.window_start == fu.trigger_date - D(days=14)


def test_maintenance_by_mileage_when_it_comes_first(rules, customer, today):
    # Six months is far away, but 4,000 of 5,000 km are driven in ten days: mileage decides.
    asset = make_asset(
        customer,
        delivery_date=today - D(days=10),
        maintenance_months=6,
        maintenance_km=5000,
        mileage_km=4000,
        last_service_km=0,
    )
    due = asset.compute_next_due()
    assert due < today + D(days=14)
    followups_generate(today=today)
    assert only(rules["maintenance"]).get().trigger_date == due


def test_maintenance_uses_the_stored_next_due_date(rules, customer, today):
    make_asset(customer, next_due_date=today + D(days=30))
    followups_generate(today=today)
    assert not only(rules["maintenance"]).exists()  # not yet within two weeks
    followups_generate(today=today + D(days=17))
    assert only(rules["maintenance"]).count() == 1


def test_guard_skips_when_the_asset_has_an_open_order_and_creates_it_once_closed(
    rules, customer, aftersales, today
):
    asset = make_asset(customer, next_due_date=today + D(days=5))
    order = make_ticket(customer, created_by=aftersales, asset=asset)
    followups_generate(today=today)
    assert not only(rules["maintenance"]).exists()
    order.state = Ticket.State.CLOSED
    order.save()
    followups_generate(today=today)
    assert only(rules["maintenance"]).count() == 1


def test_guard_skips_the_reminder_when_an_order_opens_after_the_follow_up(rules, customer, aftersales, today):
    from apps.followups.reminders import reminders_dispatch
    from apps.notifications.models import Notification

    asset = make_asset(customer, next_due_date=today + D(days=10))
    followups_generate(today=today)
    fu = only(rules["maintenance"]).get()
    make_ticket(customer, created_by=aftersales, asset=asset)
    reminders_dispatch(now=timezone.now() + D(days=1))
    assert not Notification.objects.exists()
    fu.refresh_from_db()
    assert fu.state == FollowUp.State.SKIPPED and fu.outcome


def test_no_follow_up_without_contact_consent(rules, store, today):
    c = make_customer(store, contact_consent=False)
    make_asset(c, kind=Asset.Kind.PRODUCT, delivery_date=today)
    followups_generate(today=today)
    assert not FollowUp.objects.exists()


def test_store_condition(rules, customer, store2, today):
    rule = rules["new-product"]
    rule.store = store2
    rule.save()
    make_asset(customer, kind=Asset.Kind.PRODUCT, delivery_date=today)
    followups_generate(today=today)
    assert not only(rule).exists()


def test_rules_edited_by_the_admin_take_effect(rules, customer, today):
    rule = rules["new-product"]
    rule.window_end_days = 5
    rule.is_active = True
    rule.save()
    make_asset(customer, kind=Asset.Kind.PRODUCT, delivery_date=today)
    followups_generate(today=today)
    assert only(rule).get().window_end == today + D(days=5)


def test_round_robin_among_after_sales_staff(rules, store, today):
    a = member(store, RoleTier.AFTERSALES, "rr_a")
    b = member(store, RoleTier.AFTERSALES, "rr_b")
    rule = rules["new-product"]
    rule.assignee_policy = AssigneePolicy.ROUND_ROBIN
    rule.save()
    for _ in range(4):
        make_asset(make_customer(store), kind=Asset.Kind.PRODUCT, delivery_date=today)
    followups_generate(today=today)
    assignees = list(only(rule).order_by("pk").values_list("assignee__username", flat=True))
    assert assignees == ["rr_a", "rr_b", "rr_a", "rr_b"]
    assert a and b


def test_position_in_the_store(rules, store, organisation, today):
    holder = member(store, RoleTier.AFTERSALES, "tracker")
    position = Position.objects.create(organisation=organisation, code="GZ-01", title="跟踪业务员")
    PositionHolder.objects.create(position=position, user=holder, store=store)
    rule = rules["new-product"]
    rule.assignee_policy = AssigneePolicy.POSITION
    rule.position = position
    rule.save()
    make_asset(make_customer(store), kind=Asset.Kind.PRODUCT, delivery_date=today)
    followups_generate(today=today)
    assert only(rule).get().assignee == holder


def test_campaign_calls_two_weeks_ahead_then_the_letter_within_two_days(
    rules, store, manager, aftersales, today
):
    customers = [make_customer(store, owner=aftersales) for _ in range(3)]
    event = today + D(days=20)
    campaign = campaign_create(
        store=store,
        name="免费检测周",
        kind="free_check",
        event_date=event,
        created_by=manager,
        customers=customers,
    )
    calls = campaign.followups.filter(channel="phone")
    assert calls.count() == 3
    call = calls.first()
    assert (call.window_start, call.window_end) == (event - D(days=14), event - D(days=12))
    followup_log_attempt(followup=call, by=aftersales, result="reached", satisfaction=5)
    letter = campaign.followups.get(channel="letter")
    assert letter.previous == call
    assert (letter.window_start, letter.window_end) == (today, today + D(days=2))
