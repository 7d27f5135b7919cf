"""Vehicle fields only at service stations (issue 11, section 1).

A business hall's or a bank branch's customer file has products, never vehicles: its forms show no
plate, VIN (车架号), vehicle type or mileage (里程), a posted one is not read, a posted vehicle kind
is a form error, and the services refuse a vehicle there whoever calls them (the import too).
A service station's forms keep every vehicle field.
"""

import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from apps.customers.models import Asset, Visit
from apps.customers.services import asset_create
from apps.customers.spreadsheets import COLUMNS, customers_import
from apps.org.models import RoleTier, StoreKind
from tests.factories import customers as cf
from tests.factories.org import StoreFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def store(organisation):
    """The personas' business hall (this folder's conftest makes `store` a station)."""
    return StoreFactory(
        organisation=organisation, name="中心营业厅", code="hall", kind=StoreKind.BUSINESS_HALL
    )


VEHICLE_INPUTS = ('name="plate"', 'name="vin"', 'name="vehicle_type"', 'name="mileage_km"')


@pytest.fixture
def bank(organisation):
    return StoreFactory(organisation=organisation, name="滨江支行", code="bank", kind=StoreKind.BANK_BRANCH)


@pytest.fixture
def supervisor(bank):
    return member(bank, RoleTier.MANAGER, "supervisor", display_name="郑华")


def test_a_halls_and_a_banks_asset_and_visit_forms_show_no_vehicle_field(
    client_for, manager, store, supervisor, bank
):
    for user, shop in [(manager, store), (supervisor, bank)]:
        customer = cf.customer(shop, owner=user)
        client = client_for(user)
        asset_form = client.get(f"/customers/{customer.pk}/assets/new/").content.decode()
        visit_form = client.get(f"/customers/{customer.pk}/visits/new/").content.decode()
        for field in VEHICLE_INPUTS:
            assert field not in asset_form, (shop.kind, field)
        assert 'value="vehicle"' not in asset_form
        assert 'name="mileage_km"' not in visit_form
        page = client.get(f"/customers/{customer.pk}/").content.decode()
        assert "/assets/new/" in page


def test_a_stations_asset_and_visit_forms_keep_the_vehicle_fields(client_for, manager2, store2):
    customer = cf.customer(store2, owner=manager2)
    client = client_for(manager2)
    asset_form = client.get(f"/customers/{customer.pk}/assets/new/").content.decode()
    for field in VEHICLE_INPUTS:
        assert field in asset_form
    assert 'name="mileage_km"' in client.get(f"/customers/{customer.pk}/visits/new/").content.decode()


def test_a_vehicle_posted_at_a_hall_is_a_form_error(client_for, manager, store):
    customer = cf.customer(store, owner=manager)
    response = client_for(manager).post(
        f"/customers/{customer.pk}/assets/new/",
        {"kind": "vehicle", "model_name": "帕萨特", "plate": "浙A12345", "vin": "LSVAB23C4DE567890"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["kind"]
    assert not Asset.objects.filter(customer=customer).exists()


def test_vehicle_fields_posted_with_a_product_at_a_hall_are_not_read(client_for, manager, store):
    customer = cf.customer(store, owner=manager)
    response = client_for(manager).post(
        f"/customers/{customer.pk}/assets/new/",
        {
            "kind": "product",
            "model_name": "智能终端",
            "serial_number": "SN1",
            "plate": "浙A12345",
            "vin": "LSVAB23C4DE567890",
            "mileage_km": "30000",
        },  # fmt: skip
    )
    assert response.status_code == 302
    asset = Asset.objects.get(customer=customer)
    assert (asset.kind, asset.plate, asset.vin, asset.mileage_km) == ("product", "", "", None)


def test_a_mileage_posted_with_a_halls_visit_is_not_read(client_for, manager, store):
    customer = cf.customer(store, owner=manager)
    response = client_for(manager).post(
        f"/customers/{customer.pk}/visits/new/",
        {
            "visited_on": "2026-11-20",
            "work_done": "办理套餐",
            "mileage_km": "30000",
            "items-TOTAL_FORMS": "0",
            "items-INITIAL_FORMS": "0",
        },  # fmt: skip
    )
    assert response.status_code == 302
    assert Visit.objects.get(customer=customer).mileage_km is None


def test_the_service_refuses_a_vehicle_at_a_bank_and_files_a_product_without_vehicle_fields(bank, supervisor):
    customer = cf.customer(bank, owner=supervisor)
    with pytest.raises(ValidationError):
        asset_create(customer=customer, kind="vehicle", model_name="帕萨特", plate="浙A12345")
    asset = asset_create(customer=customer, model_name="保管箱", serial_number="B-01", plate="浙A12345")
    assert (asset.kind, asset.plate) == ("product", "")


def test_a_halls_customer_pages_speak_of_products_and_a_stations_of_vehicles(
    client_for, manager, store, manager2, store2
):
    hall_customer = cf.customer(store, owner=manager)
    html = client_for(manager).get(f"/customers/{hall_customer.pk}/").content.decode()
    assert "vehicle" not in html.lower() and "车辆" not in html
    listing = client_for(manager).get("/customers/").content.decode()
    assert "VIN" not in listing and "plate" not in listing.lower()
    station_customer = cf.customer(store2, owner=manager2)
    html = client_for(manager2).get(f"/customers/{station_customer.pk}/").content.decode()
    assert "车辆" in html or "vehicle" in html.lower()


def _sheet(rows) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append([h for h, _k, _r in COLUMNS])
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "customers.xlsx"
    return buf


def test_a_halls_import_refuses_a_vehicle_row_and_reads_no_vehicle_column(store, manager):
    car = ["王建国", "个人", "", "13800138000", "滨江市东环路 18 号", "", "车辆", "帕萨特", "浙A12345"]
    result = customers_import(store=store, upload=_sheet([car]), by=manager, commit=False)
    assert result.errors and result.errors[0][0] == 2
    phone = ["李四", "个人", "", "13800138001", "滨江市东环路 19 号", "", "", "智能终端", "浙A54321",
             "", "", 30000, "SN99"]  # fmt: skip
    result = customers_import(store=store, upload=_sheet([phone]), by=manager, commit=True)
    assert result.committed, result.errors
    asset = Asset.objects.get(customer__store=store)
    assert (asset.kind, asset.plate, asset.mileage_km) == ("product", "", None)
