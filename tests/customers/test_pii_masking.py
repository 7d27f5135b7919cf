"""Phones and ID numbers stay masked on every page, form and export; only the logged "Show in full"
(customer_reveal, which writes the personal-data access log) shows a full value.

One rule for everyone, also for those who hold `customers.view_pii`: they see the same masked form and
use "Show in full" (logged) when they need a whole number, so nothing is ever shown without a trace.
"""

import io

import pytest
from openpyxl import load_workbook

from apps.customers.models import PiiAccessLog
from tests.factories import customers as f

pytestmark = pytest.mark.django_db

ID_NUMBER = "33010619900101123X"


@pytest.fixture
def customer(store, clerk):
    c = f.customer(store, name="掩码客户", phone="13800138000", owner=clerk, id_number=ID_NUMBER)
    c.phones.create(number="+8613900139000", digits="13900139000", label="家")
    return c


def form_data(html_client, customer, **changes):
    """What a browser sends when the edit form is submitted as shown, with `changes` typed in."""
    from tests.walks.crawl import parse

    url = f"/customers/{customer.pk}/edit/"
    response = html_client.get(url)
    page = parse(url, response.status_code, response["Content-Type"], response.content.decode())
    (form,) = [fm for fm in page.forms if fm.method == "post" and fm.action.endswith(url)]
    data = {k: v[0] if len(v) == 1 else v for k, v in form.data().items()}
    data.update(changes)
    return data


def test_a_clerks_edit_form_never_holds_the_full_phones_or_id_number(client_for, clerk, customer):
    html = client_for(clerk).get(f"/customers/{customer.pk}/edit/").content.decode()
    assert "138****8000" in html and "139****9000" in html and "330***********123X" in html
    for full in ("13800138000", "13900139000", ID_NUMBER):
        assert full not in html
    assert not PiiAccessLog.objects.exists()


def test_a_user_with_view_pii_sees_the_same_masked_form_and_nothing_is_logged(
    client_for, aftersales, customer
):
    html = client_for(aftersales).get(f"/customers/{customer.pk}/edit/").content.decode()
    assert "138****8000" in html and "330***********123X" in html
    for full in ("13800138000", "13900139000", ID_NUMBER):
        assert full not in html
    assert not PiiAccessLog.objects.exists()


def test_saving_the_masked_values_unchanged_keeps_the_stored_ones(client_for, clerk, customer):
    client = client_for(clerk)
    data = form_data(client, customer, address="滨江市新地址 1 号")
    response = client.post(f"/customers/{customer.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    customer.refresh_from_db()
    assert customer.address == "滨江市新地址 1 号"
    assert customer.id_number == ID_NUMBER
    assert [(p.number, p.label) for p in customer.phones.order_by("-is_primary", "pk")] == [
        ("+8613800138000", ""),
        ("+8613900139000", "家"),
    ]


def test_changing_one_phone_replaces_just_that_one(client_for, clerk, customer):
    client = client_for(clerk)
    data = form_data(client, customer, **{"phones-1-number": "13700137000"})
    assert client.post(f"/customers/{customer.pk}/edit/", data).status_code == 302
    customer.refresh_from_db()
    assert [p.number for p in customer.phones.order_by("-is_primary", "pk")] == [
        "+8613800138000",
        "+8613700137000",
    ]
    assert customer.id_number == ID_NUMBER


def test_a_changed_phone_is_validated_as_before(client_for, clerk, customer):
    client = client_for(clerk)
    data = form_data(client, customer, **{"phones-0-number": "12345"})
    response = client.post(f"/customers/{customer.pk}/edit/", data)
    assert response.status_code == 200 and "12345" in response.content.decode()
    assert customer.phones.filter(number="+8613800138000").exists()


def test_a_changed_id_number_replaces_the_stored_one_and_a_half_masked_one_is_refused(
    client_for, clerk, customer
):
    client = client_for(clerk)
    data = form_data(client, customer, id_number="330***********9999")
    assert client.post(f"/customers/{customer.pk}/edit/", data).status_code == 200
    customer.refresh_from_db()
    assert customer.id_number == ID_NUMBER
    data = form_data(client, customer, id_number="330106199001019995")
    assert client.post(f"/customers/{customer.pk}/edit/", data).status_code == 302
    customer.refresh_from_db()
    assert customer.id_number == "330106199001019995"


def test_the_excel_export_masks_phones_for_every_role(client_for, clerk, aftersales, manager, customer):
    for user in (clerk, aftersales, manager):
        response = client_for(user).get("/customers/export.xlsx")
        assert response.status_code == 200
        cells = " ".join(str(v) for r in load_workbook(io.BytesIO(response.content)).active.iter_rows(
            values_only=True) for v in r)  # fmt: skip
        assert "138****8000" in cells
        for full in ("13800138000", "13900139000", ID_NUMBER):
            assert full not in cells, user
    assert not PiiAccessLog.objects.exists()


def test_only_the_logged_reveal_shows_a_full_value(client_for, aftersales, customer):
    client = client_for(aftersales)
    response = client.post(f"/customers/{customer.pk}/reveal/id_number/")
    assert ID_NUMBER in response.content.decode()
    assert PiiAccessLog.objects.filter(user=aftersales, customer=customer, field="id_number").count() == 1
