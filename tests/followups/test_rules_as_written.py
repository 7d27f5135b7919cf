"""The follow-up rules as the source documents write them (售后服务工作规定 4-6, 产品出厂客户回访要求,
准时交车率目标管理 4): a second call only after a first that reached the customer, a campaign
created late is warned about and offered a shortened schedule, a VIP who joins late in the
half-year still gets the half-year's visit, and a call answering 是否准时交车 = 否 puts the order
before the manager."""

import datetime as dt

import pytest
from django.utils import timezone

from apps.customers.models import Customer
from apps.followups.engine import followups_generate
from apps.followups.models import FollowUp, Reminder
from apps.followups.reminders import followups_open_and_expire
from apps.followups.services import CampaignTooLate, campaign_create, followup_log_attempt
from apps.notifications.models import Notification
from apps.tickets.models import Ticket
from tests.factories.followups import make_customer, make_followup, make_ticket

pytestmark = pytest.mark.django_db
D = dt.timedelta


@pytest.fixture
def first_call(rules, customer):
    return make_followup(rules["first-call-pickup"], customer, trigger_date=timezone.localdate() - D(days=3))


def test_a_reached_first_call_chains_the_second(first_call, aftersales):
    followup_log_attempt(followup=first_call, by=aftersales, result="reached", satisfaction=5)
    assert FollowUp.objects.filter(previous=first_call).count() == 1


def test_an_unreachable_first_call_gets_no_second_call_and_the_managers_are_told(first_call, aftersales):
    for _ in range(4):  # the retry ladder (2 h, 24 h, 48 h), then unreachable
        followup_log_attempt(followup=first_call, by=aftersales, result="no_answer")
    first_call.refresh_from_db()
    assert first_call.state == FollowUp.State.UNREACHABLE
    assert not FollowUp.objects.filter(previous=first_call).exists()
    alert = Reminder.objects.get(followup=first_call, key=f"fu{first_call.pk}:alert:not-chained")
    assert alert.kind == Reminder.Kind.ALERT and first_call.customer.name in alert.text


def test_a_missed_first_call_gets_no_second_call(first_call):
    followups_open_and_expire(today=first_call.expires_on + D(days=1))
    first_call.refresh_from_db()
    assert first_call.state == FollowUp.State.MISSED
    assert not FollowUp.objects.filter(previous=first_call).exists()


def test_the_campaign_letter_goes_out_even_when_the_invitation_call_did_not_reach(
    rules, store, manager, aftersales
):
    """A letter needs no answer: it is how a customer the phone missed still hears of the event."""
    customer = make_customer(store, owner=aftersales)
    campaign = campaign_create(
        store=store,
        name="免费检测周",
        kind="free_check",
        event_date=timezone.localdate() + D(days=20),
        created_by=manager,
        customers=[customer],
    )
    call = campaign.followups.get(channel="phone")
    followup_log_attempt(followup=call, by=aftersales, result="wrong_number")
    assert campaign.followups.filter(channel="letter", previous=call).exists()


def test_a_campaign_created_five_days_ahead_warns_and_invites_nobody_silently(
    rules, store, manager, aftersales
):
    customers = [make_customer(store, owner=aftersales) for _ in range(2)]
    event = timezone.localdate() + D(days=5)
    with pytest.raises(CampaignTooLate) as exc:
        campaign_create(
            store=store,
            name="联谊会",
            kind="gathering",
            event_date=event,
            created_by=manager,
            customers=customers,
        )
    assert "shortened" in str(exc.value) or "缩短" in str(exc.value)
    assert not store.campaigns.exists()


def test_a_shortened_schedule_invites_from_today_and_closes_before_the_event(
    rules, store, manager, aftersales
):
    customers = [make_customer(store, owner=aftersales) for _ in range(2)]
    today = timezone.localdate()
    event = today + D(days=5)
    campaign = campaign_create(
        store=store,
        name="联谊会",
        kind="gathering",
        event_date=event,
        created_by=manager,
        customers=customers,
        shortened=True,
    )
    calls = list(campaign.followups.filter(channel="phone"))
    assert len(calls) == 2
    for call in calls:
        assert call.window_start == today and call.state == FollowUp.State.OPEN
        assert call.window_end < event and call.expires_on < event


def test_the_campaign_page_offers_the_shortened_schedule_when_two_weeks_have_passed(
    client_for, rules, store, manager, aftersales
):
    make_customer(store, owner=aftersales, tier="vip")
    data = {
        "store": store.pk,
        "name": "联谊会",
        "kind": "gathering",
        "event_date": (timezone.localdate() + D(days=5)).isoformat(),
        "create": "1",
    }
    client = client_for(manager)
    response = client.post("/followups/campaigns/new/?tier=vip", data)
    assert response.status_code == 400 and 'name="shortened"' in response.content.decode()
    assert not store.campaigns.exists()
    response = client.post("/followups/campaigns/new/?tier=vip", {**data, "shortened": "on"})
    assert response.status_code == 302
    assert store.campaigns.get().followups.filter(channel="phone").count() == 1


def test_the_campaign_page_is_refused_to_after_sales_staff(client_for, rules, aftersales):
    assert client_for(aftersales).get("/followups/campaigns/new/").status_code == 403


def test_a_vip_added_in_december_gets_a_visit_that_half_year(rules, store):
    year = timezone.localdate().year + 1
    followups_generate(today=dt.date(year, 7, 2))  # the half-year's visits are created in July
    vip = make_customer(store, tier=Customer.Tier.VIP)
    december = dt.date(year, 12, 3)
    followups_generate(today=december)
    visit = FollowUp.objects.get(rule=rules["vip-periodic"], customer=vip)
    assert visit.window_start == december and visit.window_end == dt.date(year, 12, 31)
    assert visit.state == FollowUp.State.OPEN
    followups_generate(today=december + D(days=1))  # once per half-year
    assert FollowUp.objects.filter(rule=rules["vip-periodic"], customer=vip).count() == 1


def test_the_call_after_pickup_asks_whether_the_car_was_delivered_on_time(rules):
    assert any("是否准时交车" in str(item) for item in rules["first-call-pickup"].survey_items)


def test_a_call_answering_not_on_time_flags_the_order_for_the_manager(
    client_for, rules, store, customer, aftersales, manager, clerk
):
    order = make_ticket(customer, created_by=aftersales, closed_on=timezone.localdate() - D(days=4))
    followups_generate()
    call = FollowUp.objects.get(rule=rules["first-call-pickup"], ticket=order)
    followup_log_attempt(
        followup=call, by=aftersales, result="reached", satisfaction=4, survey={"是否准时交车": "否"}
    )
    order.refresh_from_db()
    assert order.needs_review
    assert "准时" in order.review_reason or "on time" in order.review_reason
    assert Notification.objects.filter(
        recipient=manager, key__startswith=f"tickets:review:{order.pk}"
    ).exists()
    assert not Notification.objects.filter(recipient=aftersales, key__startswith="tickets:review:").exists()

    # The manager finds it in the list and on the home page, and closes the review.
    manager_client = client_for(manager)
    assert order.number in manager_client.get("/tickets/?view=review").content.decode()
    # The clerk of the store may not close it.
    assert client_for(clerk).post(f"/tickets/{order.pk}/do/review_resolve/", {"note": "x"}).status_code == 403
    manager_client = client_for(manager)
    manager_client.post(f"/tickets/{order.pk}/do/review_resolve/", {"note": "车间延误，已与客户致歉"})
    order.refresh_from_db()
    assert not order.needs_review and order.review_resolved_by == manager
    assert order.number not in manager_client.get("/tickets/?view=review").content.decode()


def test_a_call_answering_on_time_flags_nothing(rules, customer, aftersales):
    order = make_ticket(customer, created_by=aftersales, closed_on=timezone.localdate() - D(days=4))
    followups_generate()
    call = FollowUp.objects.get(rule=rules["first-call-pickup"], ticket=order)
    followup_log_attempt(
        followup=call, by=aftersales, result="reached", satisfaction=5, survey={"是否准时交车": "是"}
    )
    assert not Ticket.objects.get(pk=order.pk).review_flagged_at


def test_another_stores_manager_does_not_see_the_review(client_for, rules, customer, aftersales, manager2):
    order = make_ticket(customer, created_by=aftersales, closed_on=timezone.localdate() - D(days=4))
    followups_generate()
    call = FollowUp.objects.get(rule=rules["first-call-pickup"], ticket=order)
    followup_log_attempt(
        followup=call, by=aftersales, result="reached", satisfaction=3, survey={"是否准时交车": "no"}
    )
    client = client_for(manager2)
    assert order.number not in client.get("/tickets/?view=review").content.decode()
    assert client.post(f"/tickets/{order.pk}/do/review_resolve/", {"note": "x"}).status_code == 404
