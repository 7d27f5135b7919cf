"""The customer file's two-day rule as the plan writes it (售后服务部工作规划 1, 售后服务工作规定 2):
48 hours from the visit (or 2 business days where the store says so), the fields the plan lists,
and a consultation without a vehicle can have a complete file. Assets carry a warranty period."""

import datetime as dt

import pytest
from django.utils import timezone
from django.utils.translation import gettext

from apps.customers.models import Visit
from apps.customers.services import (
    customer_file_due,
    visit_create,
    visit_file_missing,
    visits_flag_late_files,
)
from tests.factories import customers as f

pytestmark = pytest.mark.django_db


def local(*args):
    return timezone.make_aware(dt.datetime(*args))


def test_an_afternoon_visit_is_flagged_48_hours_later_not_at_midnight(store, clerk):
    c = f.customer(store, owner=clerk, address="")  # incomplete: no address
    visit = visit_create(
        customer=c,
        asset=f.vehicle(c),
        visited_on=dt.date(2026, 3, 10),
        visited_time=dt.time(16, 0),
        work_done="保养",
    )
    assert visit.file_due_at == local(2026, 3, 12, 16, 0)
    # 00:01 on the second day after the visit (32 hours on): not yet.
    assert visits_flag_late_files(now=local(2026, 3, 12, 0, 1)) == 0
    assert visits_flag_late_files(now=local(2026, 3, 12, 15, 59)) == 0
    assert visits_flag_late_files(now=local(2026, 3, 12, 16, 1)) == 1
    assert Visit.objects.get(pk=visit.pk).late_file_flagged_at


def test_a_past_visit_without_a_time_counts_from_the_stores_closing_time(store, clerk):
    c = f.customer(store, owner=clerk)
    visit = visit_create(customer=c, visited_on=dt.date(2026, 3, 10))
    assert visit.visited_at == local(2026, 3, 10, 18, 0)  # closes at 18:00
    assert visit.file_due_at == local(2026, 3, 12, 18, 0)


def test_a_store_counting_business_days_skips_the_weekend_and_holidays(store):
    store.customer_file_within = "2_business_days"
    # Friday 15:00 → Tuesday 15:00.
    assert customer_file_due(store=store, visited_at=local(2026, 3, 13, 15, 0)) == local(2026, 3, 17, 15, 0)
    # 2026-10-01 … 07 is the National Day holiday: Wednesday 30 September → Friday 9 October.
    assert customer_file_due(store=store, visited_at=local(2026, 9, 30, 10, 0)) == local(2026, 10, 9, 10, 0)
    store.customer_file_within = "48h"
    assert customer_file_due(store=store, visited_at=local(2026, 3, 13, 15, 0)) == local(2026, 3, 15, 15, 0)


def test_the_file_needs_the_vehicle_type_and_the_customers_wishes(store, clerk):
    c = f.customer(store, owner=clerk, wishes="")
    car = f.vehicle(c, vehicle_type="")
    visit = visit_create(customer=c, asset=car, visited_on=dt.date(2026, 3, 10), work_done="保养")
    missing = [str(m) for m in visit_file_missing(visit=visit)]
    assert gettext("vehicle type") in missing and gettext("services the customer wishes for") in missing
    assert not visit.file_completed_at


def test_a_consultation_without_a_vehicle_can_have_a_complete_file(store, clerk):
    c = f.customer(store, owner=clerk, wishes="想了解延保政策")
    visit = visit_create(customer=c, visited_on=dt.date(2026, 3, 10), work_done="")
    assert visit_file_missing(visit=visit) == []
    assert visit.file_completed_at
    assert visits_flag_late_files(now=local(2026, 3, 20)) == 0


def test_the_visit_form_takes_the_time_of_the_visit(client_for, store, clerk, manager2):
    c = f.customer(store, owner=clerk)
    data = {
        "visited_on": "2026-03-10",
        "visited_time": "15:30",
        "work_done": "咨询",
        "items-TOTAL_FORMS": "0",
        "items-INITIAL_FORMS": "0",
    }
    assert client_for(manager2).post(f"/customers/{c.pk}/visits/new/", data).status_code == 404
    response = client_for(clerk).post(f"/customers/{c.pk}/visits/new/", data)
    assert response.status_code == 302
    visit = c.visits.get()
    assert visit.visited_at == local(2026, 3, 10, 15, 30) and visit.file_due_at == local(2026, 3, 12, 15, 30)


def test_an_asset_gets_a_warranty_period_counted_from_delivery(client_for, store, clerk):
    c = f.customer(store, owner=clerk)
    product = f.product(c, delivery_date=dt.date(2024, 3, 1), warranty_months=12)
    assert product.warranty_ends_on == dt.date(2025, 2, 28)
    assert product.in_warranty(dt.date(2025, 2, 28)) and not product.in_warranty(dt.date(2025, 3, 1))
    page = client_for(clerk).get(product.get_absolute_url()).content.decode()
    assert 'data-testid="warranty"' in page and "2025" in page
