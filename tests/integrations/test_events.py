"""The six business events fire exactly when they should, once each, with the store they belong to,
and leave one outbox row per endpoint of that store that hears them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.checklists import services as checklists
from apps.checklists.models import ItemKind
from apps.followups.services import followup_log_attempt
from apps.handovers import services as handovers
from apps.integrations.models import Delivery, Endpoint, EndpointKind
from apps.notifications import events
from apps.tickets.escalating import ticket_escalate
from apps.tickets.services import ticket_settle
from tests.factories.checklists import item
from tests.factories.followups import make_customer, make_followup
from tests.factories.handovers import counter, stock_items
from tests.factories.org import web_request
from tests.factories.tickets import complaint, repair_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(store, aftersales):
    return make_customer(store, name="王先生", owner=aftersales)


def names(published):
    return [event for event, *_rest in published]


def test_creating_a_ticket_publishes_ticket_created_with_its_store(published, store, clerk, customer):
    t = complaint(store, customer, clerk)
    assert names(published) == [events.TICKET_CREATED]
    event, where, key, payload = published[0]
    assert where == store and key == f"ticket:{t.pk}"
    assert payload["ticket"]["number"] == t.number and payload["ticket"]["url"].endswith(t.get_absolute_url())


def test_only_a_late_settlement_publishes_settled_late(published, store2, manager2):
    """Repair orders are a service station's (the hall takes none)."""
    from apps.org.models import RoleTier
    from tests.factories.org import member

    clerk = member(store2, RoleTier.CLERK, "advisor")
    customer = make_customer(store2, owner=clerk)
    on_time = repair_order(store2, customer, clerk, promised_in_hours=4)
    late = repair_order(store2, customer, clerk, promised_in_hours=1)
    published.clear()
    ticket_settle(ticket=on_time, amount=Decimal(100), by=clerk, settled_at=timezone.now())
    assert names(published) == []
    ticket_settle(
        ticket=late, amount=Decimal(100), by=clerk, settled_at=timezone.now() + dt.timedelta(hours=2)
    )
    assert names(published) == [events.TICKET_SETTLED_LATE]
    assert published[0][3]["ticket"]["id"] == late.pk


def test_an_escalation_publishes_once_per_level(published, store, clerk, manager, customer):
    t = complaint(store, customer, clerk)
    published.clear()
    assert ticket_escalate(ticket=t) == [manager]
    ticket_escalate(ticket=t)  # nobody above the manager: no second escalation event
    assert names(published) == [events.TICKET_ESCALATED]
    assert published[0][2] == f"ticket:{t.pk}:level:1"
    assert published[0][3]["escalated_to"] == [str(manager)]


def test_a_failed_checklist_item_publishes_and_a_passed_one_does_not(published, run, template, clerk):
    checklists.item_answer(run=run, item=item(template, ItemKind.TICK), user=clerk, ok=True)
    assert names(published) == []
    checklists.item_answer(run=run, item=item(template, ItemKind.TICK), user=clerk, ok=False, note="发票缺")
    assert names(published) == [events.CHECKLIST_ITEM_FAILED]
    assert published[0][3]["failure"]["note"] == "发票缺"
    # The same answer again changes nothing: no second event.
    checklists.item_answer(run=run, item=item(template, ItemKind.TICK), user=clerk, ok=False, note="发票缺")
    assert names(published) == [events.CHECKLIST_ITEM_FAILED]


def _signed(store, clerk, clerk2, manager, settings, *, sim):
    desk = counter(store)
    items = stock_items(store.organisation)
    handovers.balance_set(store=store, counter=desk, item=items["sim"], quantity=Decimal(50), user=manager)
    h = handovers.handover_start(store=store, counter=desk, outgoing=clerk, incoming=clerk2)
    for line in h.lines.select_related("item"):
        counted = Decimal(sim) if line.item.code == "sim" else line.expected
        handovers.handover_line_save(line=line, user=clerk, counted=counted, explanation="两张卡售出未登记")
    return handovers.handover_sign(
        request=web_request(), handover=h, user=clerk, password=settings.DEMO_PASSWORD
    )


def test_a_handover_signed_with_a_difference_publishes_it(published, store, clerk, clerk2, manager, settings):
    first = _signed(store, clerk, clerk2, manager, settings, sim=50)
    assert names(published) == []
    handovers.handover_accept(
        request=web_request(), handover_id=first.pk, user=clerk2, password=settings.DEMO_PASSWORD
    )
    h = _signed(store, clerk2, clerk, manager, settings, sim=48)
    assert names(published) == [events.HANDOVER_SIGNED_WITH_DIFFERENCE]
    differences = published[0][3]["handover"]["differences"]
    assert published[0][2] == f"handover:{h.pk}"
    assert [(d["item"], d["difference"]) for d in differences] == [("SIM 卡", "-2.00")]


def test_a_complaint_in_a_follow_up_call_publishes_it_and_a_happy_call_does_not(
    published, organisation, store, aftersales, manager, customer
):
    from apps.followups.seeds import rules_seed

    rules = rules_seed(organisation)
    happy = make_followup(
        rules["first-call-pickup"], customer, trigger_date=timezone.localdate() - dt.timedelta(days=4)
    )
    followup_log_attempt(followup=happy, by=aftersales, result="reached", satisfaction=5)
    assert names(published) == []
    other = make_customer(store, name="李女士", owner=aftersales)
    unhappy = make_followup(
        rules["first-call-pickup"], other, trigger_date=timezone.localdate() - dt.timedelta(days=4)
    )
    followup_log_attempt(
        followup=unhappy, by=aftersales, result="reached", satisfaction=2, complaint="等太久"
    )
    # The complaint opens a ticket (ticket.created) and is published itself.
    assert sorted(names(published)) == sorted([events.TICKET_CREATED, events.FOLLOWUP_COMPLAINT])
    complaint_event = next(p for p in published if p[0] == events.FOLLOWUP_COMPLAINT)
    assert complaint_event[3]["followup"]["complaint"] == "等太久"


def test_an_event_leaves_one_outbox_row_per_endpoint_of_its_store_that_hears_it(
    store, store2, admin, clerk, customer, django_capture_on_commit_callbacks
):
    def endpoint(where, events_heard, **kwargs):
        return Endpoint.objects.create(
            store=where, kind=EndpointKind.WEBHOOK, name="x", url="https://93.184.216.34/h", secret="s",
            events=events_heard, **kwargs,
        )  # fmt: skip

    hears = endpoint(store, [events.TICKET_CREATED])
    endpoint(store, [events.TICKET_ESCALATED])  # another event
    endpoint(store, [events.TICKET_CREATED], is_active=False)  # switched off
    endpoint(store2, [events.TICKET_CREATED])  # another store
    with django_capture_on_commit_callbacks() as callbacks:
        t = complaint(store, customer, clerk)
    delivery = Delivery.objects.get()
    assert delivery.endpoint == hears and delivery.key == f"ticket:{t.pk}"
    assert delivery.payload["id"] == str(delivery.idempotency_key)
    assert delivery.payload["store"]["code"] == store.code
    assert len(callbacks) == 1  # delivery is enqueued once the transaction commits


def test_the_same_occurrence_published_twice_is_kept_once(store, admin):
    from apps.integrations.services import event_record

    Endpoint.objects.create(
        store=store, kind=EndpointKind.WEBHOOK, name="x", url="https://93.184.216.34/h", secret="s",
        events=[events.TICKET_CREATED],
    )  # fmt: skip
    for _ in range(2):
        event_record(event=events.TICKET_CREATED, store=store, key="ticket:1", payload={})
    assert Delivery.objects.count() == 1


def test_an_unknown_event_cannot_be_published(store):
    with pytest.raises(ValueError):
        events.publish("ticket.deleted", store=store, key="x", payload={})


def test_the_catalogue_is_exactly_the_six_events_of_the_issue():
    assert set(events.EVENTS) == {
        "ticket.created",
        "ticket.escalated",
        "ticket.settled_late",
        "checklist.item_failed",
        "handover.signed_with_difference",
        "followup.complaint",
    }
