"""A customer's ID number is a resident ID number or nothing: checked by the form, the service and
the Excel import, and shown in full (显示完整) only as text."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.customers.id_numbers import validate_id_number
from apps.customers.models import Customer, PiiAccessLog
from apps.customers.services import customer_create, customer_update
from apps.customers.spreadsheets import COLUMNS, EXAMPLE, FIRST_TEMPLATE_COLUMNS
from tests.factories import customers as f

pytestmark = pytest.mark.django_db

VALID = ["", "110101199001011237", "11010119900100001X", "110101900101123"]
INVALID = [
    "110101199001011234",  # wrong check digit
    "11010119900100001x",  # a lower-case x is normalised by the form and the service, not stored
    "11010119900101123",  # 17 digits
    "1101011990010112",  # 16 digits
    "1101011990010112377",  # 19 digits
    "11010119900101123A",  # a letter other than X
    "１１０１０１９００１０１１２３",  # full-width digits
    '"><img src=x onerror=alert(1)>',
]
HOSTILE = "<img src=x onerror=alert(1)>"


def customer_post(store, **fields):
    return {
        "store": store.pk,
        "kind": "individual",
        "name": "新客户",
        "tier": "normal",
        "preferred_channel": "phone",
        "phones-TOTAL_FORMS": 1,
        "phones-INITIAL_FORMS": 0,
        "phones-0-number": "13800138000",
        **fields,
    }


@pytest.mark.parametrize("value", VALID)
def test_a_resident_id_number_with_the_right_check_digit_or_fifteen_digits_is_accepted(value):
    validate_id_number(value)


@pytest.mark.parametrize("value", INVALID)
def test_anything_else_is_not_an_id_number(value):
    with pytest.raises(ValidationError) as exc:
        validate_id_number(value)
    assert value in exc.value.messages[0]


def test_the_form_refuses_an_invalid_id_number_and_keeps_what_was_typed(client_for, clerk, store):
    response = client_for(clerk).post("/customers/new/", customer_post(store, id_number="110101199001011234"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="110101199001011234"' in html
    assert "check digit" in html or "校验码" in html
    assert not Customer.objects.filter(name="新客户").exists()


def test_the_form_stores_a_valid_id_number_with_spaces_dropped_and_a_capital_x(client_for, clerk, store):
    response = client_for(clerk).post(
        "/customers/new/", customer_post(store, id_number=" 110101 19900100001x ")
    )
    assert response.status_code == 302
    assert Customer.objects.get(name="新客户").id_number == "11010119900100001X"


def test_the_service_refuses_an_invalid_id_number_on_create_and_on_update(store, clerk):
    with pytest.raises(ValidationError) as exc:
        customer_create(store=store, name="甲", phones=[("13800138000", "")], id_number=HOSTILE)
    assert "id_number" in exc.value.message_dict
    customer = f.customer(store, id_number="110101199001011237")
    with pytest.raises(ValidationError):
        customer_update(customer=customer, id_number="110101199001011238")
    customer.refresh_from_db()
    assert customer.id_number == "110101199001011237"


def sheet(rows, *, columns: int | None = None) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    columns = columns or len(COLUMNS)
    ws.append([h for h, _k, _r in COLUMNS][:columns])
    for row in rows:
        ws.append(row[:columns])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def row(name, phone, id_number):
    values = [""] * len(COLUMNS)
    values[0], values[3] = name, phone
    values[[k for _h, k, _r in COLUMNS].index("id_number")] = id_number
    return values


def test_the_import_reports_an_invalid_id_number_on_its_row_and_imports_nothing(client_for, clerk, store):
    upload = sheet(
        [
            row("甲", "13800138001", "110101199001011237"),
            row("乙", "13800138002", "110101199001011234"),
            row("丙", "13800138003", "<script>alert(1)</script>"),
        ]
    )
    response = client_for(clerk).post(
        "/customers/import/",
        {"store": store.pk, "file": SimpleUploadedFile("a.xlsx", upload), "commit": "on"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    # Each message names the row and keeps what was typed, as text.
    assert re.search(r"<td>3</td><td>[^<]*110101199001011234", html)
    assert re.search(r"<td>4</td><td>[^<]*&lt;script&gt;alert\(1\)&lt;/script&gt;", html)
    assert "<td>2</td>" not in html and "<script>alert" not in html
    assert not Customer.objects.filter(name__in=["甲", "乙", "丙"]).exists()


def test_the_import_stores_a_valid_id_number_and_still_takes_the_first_templates_columns(
    client_for, clerk, store
):
    client = client_for(clerk)
    template = client.get("/customers/import/template.xlsx").content
    assert EXAMPLE[-1] == "110101199001011237"
    client.post(
        "/customers/import/",
        {"store": store.pk, "file": SimpleUploadedFile("a.xlsx", template), "commit": "on"},
    )
    assert Customer.objects.get(name="王建国").id_number == "110101199001011237"
    old = sheet([row("丁", "13800138004", "")], columns=FIRST_TEMPLATE_COLUMNS)
    response = client.post(
        "/customers/import/", {"store": store.pk, "file": SimpleUploadedFile("a.xlsx", old), "commit": "on"}
    )
    assert response.status_code == 302
    assert Customer.objects.get(name="丁").id_number == ""


def test_show_in_full_answers_a_stored_script_as_text(client_for, manager, clerk, store):
    """An ID number saved before the format was checked (or straight into the database) reaches the
    manager who clicks 显示完整 as text, never as markup."""
    customer = f.customer(store, owner=clerk)
    stored = (HOSTILE + "<script>")[:40]  # the column holds 40 characters (PostgreSQL enforces it)
    Customer.objects.filter(pk=customer.pk).update(id_number=stored)
    response = client_for(manager).post(f"/customers/{customer.pk}/reveal/id_number/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<img" not in html and "<script" not in html
    assert PiiAccessLog.objects.filter(user=manager, customer=customer, field="id_number").count() == 1
    # The clerk who saved it may not reveal it at all.
    assert client_for(clerk).post(f"/customers/{customer.pk}/reveal/id_number/").status_code == 403


def test_an_invalid_id_number_saved_before_the_check_is_refused_masked_and_never_shown_whole(
    client_for, clerk, store
):
    """Sent back masked and unchanged, a stored number that is not a resident ID is a form error
    that does not print the number (the clerk may only see it masked)."""
    from tests.customers.test_pii_masking import form_data

    customer = f.customer(store, owner=clerk)
    Customer.objects.filter(pk=customer.pk).update(id_number="110101199001011234")
    client = client_for(clerk)
    response = client.post(f"/customers/{customer.pk}/edit/", form_data(client, customer))
    html = response.content.decode()
    assert response.status_code == 200
    assert "110***********1234" in html and "110101199001011234" not in html
    customer.refresh_from_db()
    assert customer.id_number == "110101199001011234"
