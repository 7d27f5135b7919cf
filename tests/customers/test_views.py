import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.customers.models import Customer, PiiAccessLog
from tests.factories import customers as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def own(store, clerk):
    c = f.customer(store, name="本店客户", phone="13800138000", owner=clerk)
    f.vehicle(c, plate="浙A11111")
    return c


@pytest.fixture
def other(store2, manager2):
    c = f.customer(store2, name="外店客户", phone="13900139000", owner=manager2)
    f.vehicle(c, plate="浙B22222")
    return c


def urls(c):
    a = c.assets.get()
    return [
        f"/customers/{c.pk}/",
        f"/customers/{c.pk}/edit/",
        f"/customers/{c.pk}/assets/new/",
        f"/customers/{c.pk}/assets/{a.pk}/",
        f"/customers/{c.pk}/assets/{a.pk}/edit/",
        f"/customers/{c.pk}/visits/new/",
        f"/customers/{c.pk}/personal-data/",
        f"/customers/{c.pk}/anonymise/",
    ]


def test_another_stores_customer_answers_404_in_both_directions(client_for, clerk, manager2, own, other):
    for user, foreign in [(clerk, other), (manager2, own)]:
        client = client_for(user)
        for url in urls(foreign):
            assert client.get(url).status_code == 404, url
        assert client.post(f"/customers/{foreign.pk}/reveal/phone/", {"phone": 1}).status_code == 404
        assert client.post(f"/customers/{foreign.pk}/notes/", {"text": "x"}).status_code == 404


def test_the_own_stores_pages_answer(client_for, manager, own):
    client = client_for(manager)
    for url in urls(own):
        assert client.get(url).status_code == 200, url


def test_signed_out_visitors_go_to_the_login(client, own):
    assert client.get("/customers/").status_code == 302
    assert client.get(f"/customers/{own.pk}/").status_code == 302


def test_the_list_shows_only_the_users_stores_with_masked_phones(client_for, clerk, own, other):
    html = client_for(clerk).get("/customers/").content.decode()
    assert "本店客户" in html and "外店客户" not in html
    assert "138****8000" in html and "13800138000" not in html


def test_clerks_see_masked_numbers_and_no_show_in_full(client_for, clerk, own):
    client = client_for(clerk)
    html = client.get(f"/customers/{own.pk}/").content.decode()
    assert "138****8000" in html and "8613800138000" not in html
    assert 'data-testid="reveal-phone"' not in html
    phone = own.phones.get()
    assert client.post(f"/customers/{own.pk}/reveal/phone/", {"phone": phone.pk}).status_code == 403
    assert client.get(f"/customers/{own.pk}/personal-data/").status_code == 403
    assert not PiiAccessLog.objects.exists()


def test_show_in_full_is_a_logged_post(client_for, aftersales, own):
    client = client_for(aftersales)
    html = client.get(f"/customers/{own.pk}/").content.decode()
    assert 'data-testid="reveal-phone"' in html and "8613800138000" not in html
    phone = own.phones.get()
    response = client.post(f"/customers/{own.pk}/reveal/phone/", {"phone": phone.pk})
    assert "+8613800138000" in response.content.decode()
    assert PiiAccessLog.objects.filter(user=aftersales, customer=own, field="phone").count() == 1
    assert client.get(f"/customers/{own.pk}/reveal/phone/").status_code == 405


def test_an_invalid_phone_is_a_form_error_and_keeps_what_was_typed(client_for, clerk, store):
    response = client_for(clerk).post(
        "/customers/new/",
        {
            "store": store.pk,
            "kind": "individual",
            "name": "新客户",
            "tier": "normal",
            "preferred_channel": "phone",
            "phones-TOTAL_FORMS": 2,
            "phones-INITIAL_FORMS": 0,
            "phones-0-number": "12345",
            "phones-1-number": "",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "新客户" in html and "12345" in html
    assert not Customer.objects.filter(name="新客户").exists()


def test_a_customer_is_created_with_normalised_phones(client_for, clerk, store):
    response = client_for(clerk).post(
        "/customers/new/",
        {
            "store": store.pk,
            "kind": "individual",
            "name": "新客户",
            "tier": "vip",
            "preferred_channel": "phone",
            "contact_consent": "on",
            "phones-TOTAL_FORMS": 2,
            "phones-INITIAL_FORMS": 0,
            "phones-0-number": "138 0013 8000",
            "phones-1-number": "0571-88001234",
        },
    )
    assert response.status_code == 302
    c = Customer.objects.get(name="新客户")
    assert [p.number for p in c.phones.all()] == ["+8613800138000", "+8657188001234"]


def test_a_clerk_cannot_create_a_customer_in_another_store(client_for, clerk, store2):
    response = client_for(clerk).post("/customers/new/", {"store": store2.pk, "name": "x"})
    assert response.status_code == 200
    assert not Customer.objects.filter(name="x").exists()


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_list_query_count_does_not_grow_with_rows(client_for, clerk, store):
    client = client_for(clerk)
    for _ in range(3):
        f.vehicle(f.customer(store, owner=clerk))
    small = count_queries(client, "/customers/?q=1390&o=-name")
    for _ in range(12):
        f.vehicle(f.customer(store, owner=clerk))
    assert count_queries(client, "/customers/?q=1390&o=-name") == small
    assert count_queries(client, "/customers/?tier=normal&page=1") == count_queries(client, "/customers/")


def test_the_excel_export_holds_only_the_users_stores_and_quotes_formulas(
    client_for, clerk, store, own, other
):
    from openpyxl import load_workbook

    f.customer(store, name='=HYPERLINK("http://x")', owner=clerk)
    response = client_for(clerk).get("/customers/export.xlsx?o=name")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    names = [r[0] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert "本店客户" in names and "外店客户" not in names
    assert '\'=HYPERLINK("http://x")' in names
    assert all("13800138000" not in str(r) for r in ws.iter_rows(values_only=True))
    # The filter in the URL is what is exported.
    response = client_for(clerk).get("/customers/export.xlsx?q=本店")
    ws = load_workbook(io.BytesIO(response.content)).active
    assert [r[0] for r in ws.iter_rows(min_row=2, values_only=True)] == ["本店客户"]


def test_the_import_page_reports_rows_and_the_template_has_chinese_headers(client_for, clerk, store):
    from openpyxl import load_workbook

    client = client_for(clerk)
    template = client.get("/customers/import/template.xlsx")
    ws = load_workbook(io.BytesIO(template.content)).active
    assert next(ws.iter_rows(values_only=True))[0] == "客户名称"
    response = client.post(
        "/customers/import/",
        {"store": store.pk, "file": SimpleUploadedFile("a.xlsx", template.content), "commit": "on"},
    )
    # The template's example row is valid, so it is imported.
    assert response.status_code == 302
    assert Customer.objects.filter(name="王建国").exists()
    response = client.post(
        "/customers/import/", {"store": store.pk, "file": SimpleUploadedFile("a.xlsx", template.content)}
    )
    assert response.status_code == 200
    assert 'data-testid="import-result"' in response.content.decode()
    assert Customer.objects.filter(name="王建国").count() == 1


def test_anonymisation_needs_the_name_typed_to_confirm(client_for, aftersales, own):
    client = client_for(aftersales)
    assert client.post(f"/customers/{own.pk}/anonymise/", {"confirm_name": "别人"}).status_code == 200
    own.refresh_from_db()
    assert own.anonymised_at is None
    assert client.post(f"/customers/{own.pk}/anonymise/", {"confirm_name": "本店客户"}).status_code == 302
    own.refresh_from_db()
    assert own.anonymised_at is not None


def test_the_personal_data_download_is_json_and_logged(client_for, aftersales, own):
    response = client_for(aftersales).post(f"/customers/{own.pk}/personal-data/")
    assert response["Content-Type"] == "application/json"
    assert response.json()["customer"]["name"] == "本店客户"
    assert PiiAccessLog.objects.filter(field="export").count() == 1


def test_the_late_file_panel_shows_on_the_managers_home(client_for, manager, store, clerk):
    from apps.customers.services import visits_flag_late_files

    c = f.customer(store, owner=clerk, name="缺档客户", address="")
    f.visit(c, asset=f.vehicle(c), days_ago=4)
    visits_flag_late_files()
    html = client_for(manager).get("/").content.decode()
    assert 'data-testid="late-files-panel"' in html and "缺档客户" in html


def test_the_late_file_panel_shows_recent_files_and_counts_the_old_ones_with_a_link_to_all(
    client_for, clerk, manager, aftersales, store
):
    """A file ten months late does not crowd the home page: the recent late files are listed, the
    old ones counted, and the link opens the customer list filtered to late files."""
    from apps.customers.services import visits_flag_late_files

    old = [f.customer(store, owner=clerk, name=f"旧缺档{i}", address="") for i in range(12)]
    for c in old:
        f.visit(c, asset=f.vehicle(c), days_ago=300)
    recent = f.customer(store, owner=clerk, name="新缺档客户", address="")
    f.visit(recent, asset=f.vehicle(recent), days_ago=4)
    complete = f.customer(store, owner=clerk, name="资料齐全客户")
    visits_flag_late_files()

    html = client_for(clerk).get("/").content.decode()
    assert "新缺档客户" in html
    assert "旧缺档" not in html
    assert re.search(r'data-testid="late-files-older"[^>]*>[^<]*12', html)
    assert 'href="/customers/?late=on"' in html

    listed = client_for(clerk).get("/customers/?late=on").content.decode()
    assert "新缺档客户" in listed and "旧缺档0" in listed
    assert complete.name not in listed
    assert "late-files-panel" not in client_for(aftersales).get("/").content.decode()  # not theirs
