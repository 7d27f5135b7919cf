"""Ticket kinds per kind of store, and vehicle fields only at service stations (issue 11, section 1).

The kinds a store takes are data (TicketKindSetting, edited by an admin): 委托书 (repair orders)
only at service stations by default. A business hall's or a bank branch's clerk is never offered
one, a posted one is a form error, and the service refuses it whoever calls it. The promised
delivery time (约定交车时间), major repair, plates and on-time delivery appear on a station's
tickets only: forms, lists, filters, exports and the printed papers.
"""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from apps.customers.models import Asset
from apps.org.models import RoleTier, StoreKind
from apps.tickets.models import Ticket, TicketKindSetting
from apps.tickets.selectors import ticket_kinds_offered
from apps.tickets.services import ticket_create, ticket_settle
from tests.factories import customers as cf
from tests.factories.org import StoreFactory, member
from tests.factories.tickets import complaint, repair_order
from tests.pdf_checks import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def store(organisation):
    """The personas' business hall (this folder's conftest makes `store` a station)."""
    return StoreFactory(
        organisation=organisation, name="中心营业厅", code="hall", kind=StoreKind.BUSINESS_HALL
    )


@pytest.fixture
def bank(organisation):
    return StoreFactory(organisation=organisation, name="滨江支行", code="bank", kind=StoreKind.BANK_BRANCH)


@pytest.fixture
def teller(bank):
    return member(bank, RoleTier.CLERK, "teller", display_name="吴琳")


def _kind_options(html: str) -> set[str]:
    return {k for k in Ticket.Kind.values if f'value="{k}"' in html}


def test_a_station_takes_every_kind_and_a_hall_or_bank_no_repair_orders():
    assert ticket_kinds_offered(StoreKind.SERVICE_STATION) == set(Ticket.Kind.values)
    for kind in (StoreKind.BUSINESS_HALL, StoreKind.BANK_BRANCH, StoreKind.BACK_OFFICE):
        assert Ticket.Kind.REPAIR_ORDER not in ticket_kinds_offered(kind)
        assert Ticket.Kind.COMPLAINT in ticket_kinds_offered(kind)


def test_the_new_ticket_form_offers_only_the_kinds_of_the_customers_store(
    client_for, clerk, store, clerk_b, store2, teller, bank
):
    for user, shop, offered in [(clerk, store, False), (teller, bank, False), (clerk_b, store2, True)]:
        customer = cf.customer(shop, owner=user)
        html = (
            client_for(user).get(f"/tickets/new/?customer={customer.pk}&kind=repair_order").content.decode()
        )
        assert ("repair_order" in _kind_options(html)) is offered, shop.kind
        assert ('name="promised_at"' in html) is offered, shop.kind
        assert ('name="is_major_repair"' in html) is offered, shop.kind
        assert "complaint" in _kind_options(html)


def test_a_repair_order_posted_at_a_bank_is_a_form_error_not_a_ticket(client_for, teller, bank):
    customer = cf.customer(bank, owner=teller)
    response = client_for(teller).post(
        "/tickets/new/",
        {
            "customer": customer.pk,
            "kind": "repair_order",
            "title": "保养",
            "priority": "normal",
            "promised_at": "2026-12-01T10:00",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["kind"]
    assert not Ticket.objects.filter(store=bank).exists()


def test_a_complaint_posted_at_a_hall_with_a_promised_time_keeps_no_vehicle_field(client_for, clerk, store):
    """The hidden fields are not read: a promised delivery time or major repair sent anyway is dropped."""
    customer = cf.customer(store, owner=clerk)
    response = client_for(clerk).post(
        "/tickets/new/",
        {
            "customer": customer.pk,
            "kind": "complaint",
            "title": "话费扣费有误",
            "priority": "normal",
            "promised_at": "2026-12-01T10:00",
            "is_major_repair": "on",
        },
    )
    assert response.status_code == 302
    ticket = Ticket.objects.get(store=store)
    assert ticket.promised_at is None and not ticket.is_major_repair


def test_the_service_refuses_a_kind_the_store_does_not_take(store, clerk):
    customer = cf.customer(store, owner=clerk)
    with pytest.raises(ValidationError):
        repair_order(store, customer, clerk)
    assert not Ticket.objects.exists()


def test_the_service_refuses_a_vehicle_on_a_halls_ticket(store, clerk):
    """A vehicle kept at a hall from before (the services no longer file one there) is not ticketed."""
    customer = cf.customer(store, owner=clerk)
    legacy = Asset.objects.create(customer=customer, kind="vehicle", model_name="帕萨特", plate="浙A00001")
    with pytest.raises(ValidationError):
        complaint(store, customer, clerk, asset=legacy)


def test_an_admin_may_let_halls_take_repair_orders(client_for, clerk, store):
    """The kinds are data: switching a setting on changes the form, no code."""
    TicketKindSetting.objects.update_or_create(
        store_kind=StoreKind.BUSINESS_HALL, kind=Ticket.Kind.REPAIR_ORDER, defaults={"is_offered": True}
    )
    customer = cf.customer(store, owner=clerk)
    html = client_for(clerk).get(f"/tickets/new/?customer={customer.pk}").content.decode()
    assert "repair_order" in _kind_options(html)
    TicketKindSetting.objects.filter(store_kind=StoreKind.SERVICE_STATION, kind=Ticket.Kind.INQUIRY).update(
        is_offered=False
    )
    assert Ticket.Kind.INQUIRY not in ticket_kinds_offered(StoreKind.SERVICE_STATION)


def test_the_hall_list_filters_and_export_have_no_station_vocabulary(client_for, clerk, store):
    customer = cf.customer(store, owner=clerk)
    complaint(store, customer, clerk, title="等候过久")
    client = client_for(clerk)
    html = client.get("/tickets/").content.decode()
    assert "repair_order" not in _kind_options(html)
    assert 'value="late"' not in html and "promised" not in html
    ws = load_workbook(io.BytesIO(client.get("/tickets/export.xlsx").content)).active
    headers = [c.value for c in ws[1]]
    assert len(headers) == 8 and "等候过久" in [r[2] for r in ws.iter_rows(min_row=2, values_only=True)]


def test_the_station_list_filters_and_export_keep_promise_and_on_time(client_for, manager2, store2):
    customer = cf.customer(store2, owner=manager2)
    ticket_settle(
        ticket=repair_order(store2, customer, manager2, title="更换刹车片"), amount=Decimal(500), by=manager2
    )
    client = client_for(manager2)
    html = client.get("/tickets/").content.decode()
    assert "repair_order" in _kind_options(html)
    assert 'value="late"' in html and "promised" in html
    ws = load_workbook(io.BytesIO(client.get("/tickets/export.xlsx").content)).active
    assert len([c.value for c in ws[1]]) == 12


def test_a_halls_printed_ticket_names_no_promise_or_service_advisor(client_for, clerk, store):
    customer = cf.customer(store, owner=clerk)
    ticket = complaint(store, customer, clerk, title="话费扣费有误")
    client = client_for(clerk)
    text = pdf_text(client.get(f"/tickets/{ticket.pk}/order.pdf").content).replace(" ", "")
    for word in ("交车", "服务顾问", "委托书", "车牌"):
        assert word not in text
    page = client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert 'data-testid="promised"' not in page


def test_a_stations_printed_order_keeps_the_promise(client_for, manager2, store2):
    customer = cf.customer(store2, owner=manager2)
    ticket = repair_order(store2, customer, manager2)
    client = client_for(manager2)
    text = pdf_text(client.get(f"/tickets/{ticket.pk}/order.pdf").content).replace(" ", "")
    assert "委托书" in text
    assert 'data-testid="promised"' in client.get(f"/tickets/{ticket.pk}/").content.decode()


def test_an_unknown_kind_is_refused_by_the_service(store2, manager2):
    customer = cf.customer(store2, owner=manager2)
    with pytest.raises(ValidationError):
        ticket_create(store=store2, customer=customer, kind="parking", title="x", created_by=manager2)


def test_a_promise_or_settlement_posted_on_a_halls_ticket_is_refused(client_for, clerk, store):
    customer = cf.customer(store, owner=clerk)
    ticket = complaint(store, customer, clerk)
    client = client_for(clerk)
    for action, data in [("promise", {"promised_at": "2026-12-01T10:00"}), ("settle", {"amount": "100"})]:
        response = client.post(f"/tickets/{ticket.pk}/do/{action}/", data)
        assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.promised_at is None and ticket.settled_at is None
