"""准时交车率目标管理 as written: every settled order counts, a promise is required at check-in, and
the customer's confirmation of an added item (增项) or of a delay they caused is a record of who
confirmed, by which channel and when, entered by a named member of staff — not a typed note."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.targets import kpis
from apps.tickets.forms import TicketForm
from apps.tickets.models import Confirmation, CustomerDelay, Ticket
from apps.tickets.selectors import on_time_rate
from apps.tickets.services import (
    added_item_add,
    added_item_confirm,
    customer_delay_add,
    customer_delay_confirm,
    ticket_create,
    ticket_settle,
)
from tests.factories import customers as cf
from tests.factories.tickets import repair_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(store, clerk):
    return cf.customer(store, owner=clerk, name="王先生")


def _mid_month():
    month = timezone.localdate()
    return month, timezone.make_aware(dt.datetime(month.year, month.month, 15, 12))


def _legacy_order_without_promise(store, customer, clerk, settled_at):
    """An order opened before the promise was required (the service refuses one today)."""
    return Ticket.objects.create(
        store=store,
        number="WT-LEGACY-1",
        kind=Ticket.Kind.REPAIR_ORDER,
        title="老工单",
        customer=customer,
        created_by=clerk,
        assignee=clerk,
        state=Ticket.State.RESOLVED,
        settled_at=settled_at,
        settlement_amount=Decimal(300),
    )


def test_an_order_settled_without_a_promise_counts_as_late_in_the_denominator(store, clerk, customer):
    """4 on time, 3 late and 1 settled without a promise: 4/8, not 4/7."""
    month, noon = _mid_month()
    for hours_late in [-1, -1, -1, -1, 2, 2, 2]:
        t = repair_order(store, customer, clerk, promised_at=noon)
        ticket_settle(
            ticket=t, amount=Decimal(500), by=clerk, settled_at=noon + dt.timedelta(hours=hours_late)
        )
    _legacy_order_without_promise(store, customer, clerk, settled_at=noon)

    assert on_time_rate(stores=[store], month=month) == (4, 8)
    entry = kpis.get_kpi("tickets.on_time_rate")
    assert entry is not None
    value = entry.compute([store], None, month)
    assert (value.numerator, value.denominator, value.value) == (4, 8, Decimal("50.00"))
    assert value.records is not None and value.records.count() == 8


def test_settling_an_order_that_has_no_promise_records_it_as_late(store, clerk, customer):
    legacy = _legacy_order_without_promise(store, customer, clerk, settled_at=None)
    Ticket.objects.filter(pk=legacy.pk).update(state=Ticket.State.IN_PROGRESS)
    settled = ticket_settle(ticket=legacy, amount=Decimal(100), by=clerk)
    assert settled.on_time is False


def test_a_repair_order_cannot_be_opened_without_the_promised_time(store, clerk, customer):
    with pytest.raises(ValidationError):
        ticket_create(store=store, customer=customer, kind="repair_order", title="保养", created_by=clerk)
    form = TicketForm({"kind": "repair_order", "title": "保养", "priority": "normal"}, customer=customer)
    assert not form.is_valid() and "promised_at" in form.errors
    # Other kinds have no promise to keep.
    ticket_create(store=store, customer=customer, kind="complaint", title="等待过久", created_by=clerk)


def test_a_typed_note_is_not_a_confirmation(store, clerk, customer):
    t = repair_order(store, customer, clerk)
    item = added_item_add(
        ticket=t,
        description="更换空气滤芯",
        by=clerk,
        proposed_promised_at=t.promised_at + dt.timedelta(hours=2),
    )
    with pytest.raises(TypeError):
        added_item_confirm(item=item, by=clerk, note="口头同意")  # type: ignore[call-arg]  # the old way: a note and nothing else
    bads: list[dict[str, Any]] = [
        {"customer_name": "", "channel": "phone"},
        {"customer_name": "王先生", "channel": "口头同意"},
        {
            "customer_name": "王先生",
            "channel": "phone",
            "confirmed_at": timezone.now() + dt.timedelta(days=1),
        },
        {
            "customer_name": "王先生",
            "channel": "phone",
            "confirmed_at": timezone.now() - dt.timedelta(days=1),
        },
    ]
    for bad in bads:
        with pytest.raises(ValidationError):
            added_item_confirm(item=item, by=clerk, **bad)
    t.refresh_from_db()
    assert not Confirmation.objects.exists() and t.promised_at == item.ticket.promised_at


def test_a_re_confirmation_records_who_by_which_channel_when_and_who_recorded_it(store, clerk, customer):
    t = repair_order(store, customer, clerk)
    new_promise = t.promised_at + dt.timedelta(hours=2)
    item = added_item_add(ticket=t, description="更换空气滤芯", by=clerk, proposed_promised_at=new_promise)
    at = timezone.now()
    added_item_confirm(
        item=item, by=clerk, customer_name="王先生", channel="phone", contact="13900001111", confirmed_at=at
    )
    c = Confirmation.objects.get(added_item=item)
    assert (c.confirmed_by_name, c.channel, c.contact, c.confirmed_at, c.recorded_by) == (
        "王先生",
        "phone",
        "13900001111",
        at,
        clerk,
    )
    t.refresh_from_db()
    assert t.promised_at == new_promise
    assert t.events.filter(kind="confirmed").count() == 1
    # Confirming twice records nothing new.
    added_item_confirm(item=item, by=clerk, customer_name="别人", channel="message")
    assert Confirmation.objects.filter(added_item=item).count() == 1


def test_a_delay_with_only_a_typed_note_does_not_count_as_on_time(store, clerk, customer):
    """Rows from before the confirmation record: a note such as 口头同意 does not excuse the delay."""
    t = repair_order(store, customer, clerk)
    CustomerDelay.objects.create(
        ticket=t,
        reason="客户推迟取车",
        hours=Decimal(5),
        customer_confirmed_at=timezone.now(),
        confirmation_note="口头同意",
    )
    t = ticket_settle(
        ticket=t, amount=Decimal(100), by=clerk, settled_at=t.promised_at + dt.timedelta(hours=2)
    )
    assert t.on_time is False


def test_a_delay_confirmed_by_signature_counts_and_shows_on_the_ticket(client_for, store, clerk, customer):
    t = repair_order(store, customer, clerk)
    delay = customer_delay_add(ticket=t, reason="客户推迟取车", hours=Decimal(5), by=clerk)
    client = client_for(clerk)
    # A note alone is refused by the form.
    client.post(f"/tickets/{t.pk}/do/delay_confirm/", {"item": delay.pk, "note": "口头同意"})
    assert not Confirmation.objects.exists()
    local = timezone.localtime()
    client.post(
        f"/tickets/{t.pk}/do/delay_confirm/",
        {
            "item": delay.pk,
            "customer_name": "王先生",
            "channel": "signature",
            "confirmed_at": local.strftime("%Y-%m-%dT%H:%M"),
            "note": "委托书签字",
        },
    )
    confirmation = Confirmation.objects.get(delay=delay)
    assert confirmation.recorded_by == clerk and confirmation.channel == "signature"
    page = client.get(f"/tickets/{t.pk}/").content.decode()
    assert "王先生" in page and str(clerk) in page and 'data-testid="confirmation"' in page
    t = ticket_settle(
        ticket=t, amount=Decimal(100), by=clerk, settled_at=t.promised_at + dt.timedelta(hours=2)
    )
    assert t.on_time is True


def test_another_stores_staff_cannot_record_a_confirmation(client_for, store, clerk, customer, manager2):
    t = repair_order(store, customer, clerk)
    delay = customer_delay_add(ticket=t, reason="客户推迟取车", hours=Decimal(5), by=clerk)
    response = client_for(manager2).post(
        f"/tickets/{t.pk}/do/delay_confirm/",
        {"item": delay.pk, "customer_name": "王先生", "channel": "phone", "confirmed_at": "2026-01-01T10:00"},
    )
    assert response.status_code == 404
    with pytest.raises(ValidationError):
        customer_delay_confirm(delay=delay, by=clerk, customer_name="王先生", channel="")
    assert not Confirmation.objects.exists()
