"""保修内服务及时率 (the product after-sales plan's 及时率) is its own figure: service asked for on a
vehicle or product under warranty and answered in time. Call timeliness is 回访及时率, another figure."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.customers.models import Asset, Customer
from apps.targets import kpis, profiles
from apps.targets.kpis import key_for_name as _kpi_key_for
from apps.tickets.models import Ticket
from apps.tickets.selectors import warranty_service_in_time
from tests.factories.targets import at, ticket

pytestmark = pytest.mark.django_db
MARCH = dt.date(2026, 3, 1)


@pytest.fixture
def march(store, store2, clerk):
    customer = Customer.objects.create(store=store, name="环卫公司")
    covered = Asset.objects.create(
        customer=customer,
        kind="product",
        model_name="洗扫车",
        serial_number="SN1",
        delivery_date=dt.date(2025, 6, 1),
        warranty_months=12,
        warranty_ends_on=dt.date(2026, 5, 31),
    )
    expired = Asset.objects.create(
        customer=customer,
        kind="product",
        model_name="洒水车",
        serial_number="SN2",
        delivery_date=dt.date(2024, 1, 1),
        warranty_ends_on=dt.date(2025, 12, 31),
    )

    def service(asset, **kwargs):
        t = ticket(store, created=at(2026, 3, 10), assignee=clerk, **kwargs)
        Ticket.objects.filter(pk=t.pk).update(asset=asset, customer=customer)
        return t

    order, ask, later = Ticket.Kind.REPAIR_ORDER, Ticket.Kind.INQUIRY, Ticket.Kind.FOLLOW_ON
    service(covered, kind=order, settled=at(2026, 3, 11), on_time=True)  # in time
    service(covered, kind=order, settled=at(2026, 3, 11), on_time=False)  # late
    service(covered, kind=ask, answer_due=at(2026, 3, 12), answered=at(2026, 3, 11))  # in time
    service(covered, kind=later, answer_due=at(2026, 3, 12), answered=at(2026, 3, 13))  # late
    service(expired, kind=ask, answer_due=at(2026, 3, 12), answered=at(2026, 3, 11))  # not under warranty
    service(covered, kind=Ticket.Kind.COMPLAINT, answer_due=at(2026, 3, 12))  # complaints: own figure
    service(None, kind=ask, answer_due=at(2026, 3, 12), answered=at(2026, 3, 11))  # no asset
    ticket(store2, kind=ask, created=at(2026, 3, 10), answer_due=at(2026, 3, 12), answered=at(2026, 3, 11))


def test_in_warranty_service_answered_in_time_over_service_under_warranty(store, march):
    assert warranty_service_in_time(stores=[store], month=MARCH) == (2, 4)
    entry = kpis.get_kpi("tickets.warranty_service_timeliness")
    assert entry is not None
    value = entry.compute([store], None, MARCH)
    assert (value.numerator, value.denominator, value.value) == (2, 4, Decimal("50.00"))
    assert value.records is not None and value.records.count() == 4


def test_both_timeliness_figures_are_in_the_catalogue_under_their_own_names(db):
    warranty = kpis.get_kpi("tickets.warranty_service_timeliness")
    calls = kpis.get_kpi("followups.timeliness_rate")
    assert warranty is not None and calls is not None
    assert warranty.name != calls.name
    assert "warranty" in str(warranty.name).lower() or "保修" in str(warranty.name)
    station = {p.key: p.target for p in profiles.profile_for_kinds(["service_station"])}
    assert station["tickets.warranty_service_timeliness"] == 98  # the seeded profile: data, not code


def test_a_position_kpi_named_after_either_figure_links_to_the_right_one():
    assert _kpi_key_for("及时率") == "tickets.warranty_service_timeliness"
    assert _kpi_key_for("保修内服务及时率") == "tickets.warranty_service_timeliness"
    assert _kpi_key_for("回访及时率") == "followups.timeliness_rate"
    assert _kpi_key_for("回访率") == "followups.return_visit_rate"


def test_the_figures_page_answers_for_the_manager_and_not_for_the_clerk(client_for, manager, clerk, march):
    url = reverse("targets:kpi", args=["tickets.warranty_service_timeliness"])
    assert client_for(manager).get(url, {"month": "2026-03"}).status_code == 200
    assert client_for(clerk).get(url).status_code == 403
