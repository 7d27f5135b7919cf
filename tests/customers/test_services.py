import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.customers.models import Customer, CustomerPhone, PiiAccessLog, Visit
from apps.customers.phones import mask_digits, phone_normalise
from apps.customers.selectors import customer_list_for, customer_search, late_files_for
from apps.customers.services import (
    attachment_add,
    customer_anonymise,
    customer_export_data,
    customer_reveal_pii,
    visits_flag_late_files,
)
from apps.customers.spreadsheets import COLUMNS, customers_import
from apps.spreadsheets import safe_cell
from tests.factories import customers as f

pytestmark = pytest.mark.django_db


def test_phones_are_normalised_to_e164_with_national_digits():
    assert phone_normalise("138 0013 8000") == ("+8613800138000", "13800138000")
    assert phone_normalise("0571-88001234") == ("+8657188001234", "057188001234")
    assert phone_normalise("+86 138-0013-8000")[0] == "+8613800138000"


@pytest.mark.parametrize("raw", ["12345", "abc", "1380013800", "+86 999"])
def test_invalid_phone_numbers_are_rejected(raw):
    with pytest.raises(ValidationError):
        phone_normalise(raw)


def test_masking_keeps_the_first_three_and_last_four_digits():
    assert mask_digits("13800138000") == "138****8000"


def test_a_customer_keeps_several_phones_with_the_first_primary(store, clerk):
    c = f.customer(store, owner=clerk)
    from apps.customers.services import customer_set_phones

    customer_set_phones(customer=c, phones=[("13800138000", "手机"), ("0571-88001234", "办公")])
    assert [(p.number, p.is_primary) for p in c.phones.all()] == [
        ("+8613800138000", True),
        ("+8657188001234", False),
    ]


def test_show_in_full_is_logged_with_who_which_customer_and_field(store, aftersales):
    c = f.customer(store, phone="13800138000")
    assert customer_reveal_pii(user=aftersales, customer=c, field="phone") == "+8613800138000"
    log = PiiAccessLog.objects.get()
    assert (log.user, log.customer, log.field) == (aftersales, c, "phone")
    assert log.at is not None


def test_clerks_cannot_show_numbers_in_full(store, clerk):
    from django.core.exceptions import PermissionDenied

    c = f.customer(store)
    with pytest.raises(PermissionDenied):
        customer_reveal_pii(user=clerk, customer=c, field="phone")
    assert not PiiAccessLog.objects.exists()


def test_search_finds_by_name_any_part_of_a_phone_plate_vin_and_serial(store, clerk):
    a = f.customer(store, name="王建国", phone="13812345678")
    f.vehicle(a, plate="浙A88K66", vin="LSVAB23C4DE567890")
    b = f.customer(store, name="李娜", phone="13998765432")
    f.product(b, serial="KY30-2024-0017")
    base = customer_list_for(user=clerk)
    assert list(customer_search(base, "建国")) == [a]
    assert list(customer_search(base, "2345")) == [a]
    assert list(customer_search(base, "88k66")) == [a]
    assert list(customer_search(base, "DE5678")) == [a]
    assert list(customer_search(base, "2024-0017")) == [b]
    assert list(customer_search(base, "9876")) == [b]


def test_maintenance_next_due_follows_months_or_mileage_whichever_comes_first(store):
    c = f.customer(store)
    v = f.vehicle(c, maintenance_months=6, maintenance_km=5000, mileage_km=10000)
    f.visit(c, asset=v, days_ago=0, mileage_km=10000)
    v.refresh_from_db()
    today = dt.date.today()
    # 5000 km at 1500 km a month comes before six months.
    assert v.last_service_date == today
    assert v.next_due_date == today + dt.timedelta(days=round(5000 / 1500 * 30.4))
    v2 = f.vehicle(c, maintenance_months=3, maintenance_km=20000)
    f.visit(c, asset=v2, days_ago=0)
    v2.refresh_from_db()
    assert (v2.next_due_date - today).days in range(89, 93)


def test_two_day_rule_flags_incomplete_files_once_to_owner_and_manager(store, clerk, manager, aftersales):
    c = f.customer(store, owner=clerk, address="")
    v = f.vehicle(c)
    late = f.visit(c, asset=v, days_ago=3)
    recent = f.visit(c, asset=v, days_ago=1)
    complete_customer = f.customer(store, owner=clerk)
    complete = f.visit(complete_customer, asset=f.vehicle(complete_customer), days_ago=5)
    assert complete.file_completed_at is not None

    assert visits_flag_late_files() == 1
    late.refresh_from_db()
    first_flag = late.late_file_flagged_at
    assert first_flag is not None
    assert Visit.objects.get(pk=recent.pk).late_file_flagged_at is None
    assert visits_flag_late_files() == 0  # idempotent
    late.refresh_from_db()
    assert late.late_file_flagged_at == first_flag
    assert list(late_files_for(user=clerk)) == [late]
    assert list(late_files_for(user=manager)) == [late]
    assert list(late_files_for(user=aftersales)) == []  # neither owner nor manager
    # Owner and manager are told once in their inbox, nobody else.
    from apps.notifications.models import Notification

    told = Notification.objects.filter(key=f"customers:late-file:{late.pk}")
    assert sorted(told.values_list("recipient__username", flat=True)) == ["clerk", "manager"]


def test_a_late_file_completed_before_the_beat_is_not_flagged(store, clerk):
    c = f.customer(store, owner=clerk, address="")
    visit = f.visit(c, asset=f.vehicle(c), days_ago=3)
    Customer.objects.filter(pk=c.pk).update(address="滨江市人民路 1 号")
    assert visits_flag_late_files() == 0
    visit.refresh_from_db()
    assert visit.file_completed_at and not visit.late_file_flagged_at


def test_attachments_check_size_and_type(store, clerk, settings):
    c = f.customer(store)
    attachment = attachment_add(
        customer=c, upload=SimpleUploadedFile("验收单.pdf", b"%PDF-1.4 test", "application/pdf"), by=clerk
    )
    assert attachment.size == 13 and attachment.name == "验收单.pdf"
    with pytest.raises(ValidationError):
        attachment_add(
            customer=c, upload=SimpleUploadedFile("run.exe", b"MZ", "application/octet-stream"), by=clerk
        )
    settings.CUSTOMERS_ATTACHMENT_MAX_BYTES = 10
    with pytest.raises(ValidationError):
        attachment_add(customer=c, upload=SimpleUploadedFile("big.pdf", b"x" * 11), by=clerk)


def test_personal_data_export_holds_the_file_and_is_logged(store, aftersales, clerk):
    c = f.customer(store, name="王建国", phone="13800138000")
    f.visit(c, asset=f.vehicle(c, plate="浙A12345"), days_ago=1)
    data = customer_export_data(user=aftersales, customer=c)
    assert data["customer"]["name"] == "王建国"
    assert data["phones"][0]["number"] == "+8613800138000"
    assert data["assets"][0]["plate"] == "浙A12345"
    assert len(data["visits"]) == 1 and "tickets" in data
    assert PiiAccessLog.objects.filter(customer=c, field="export").count() == 1


def test_anonymisation_removes_personal_data_and_its_history_but_keeps_visits(store, aftersales):
    c = f.customer(store, name="王建国", phone="13800138000", id_number="110101199001011237")
    f.visit(c, asset=f.vehicle(c, plate="浙A12345"), days_ago=1)
    customer_anonymise(customer=c, by=aftersales)
    c.refresh_from_db()
    assert c.anonymised_at and "王建国" not in c.name and not c.id_number and not c.address
    assert not CustomerPhone.objects.filter(customer=c).exists()
    assert c.assets.get().plate == ""
    assert c.visits.count() == 1
    assert not Customer.history.filter(id=c.pk, name="王建国").exists()


def _sheet(rows):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append([h for h, _k, _r in COLUMNS])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return SimpleUploadedFile("import.xlsx", buffer.getvalue())


def row(name="张三", phones="13800138001", plate="浙B10001", **extra):
    values = {
        "name": name,
        "kind": "个人",
        "phones": phones,
        "address": "滨江市",
        "tier": "普通",
        "asset_kind": "车辆",
        "model_name": "朗逸",
        "plate": plate,
        "maintenance_months": 6,
    } | extra
    return [values.get(key, "") for _h, key, _r in COLUMNS]


def test_import_with_bad_rows_reports_each_row_and_commits_nothing(store, clerk):
    existing = f.customer(store, phone="13800138009")
    f.vehicle(existing, plate="浙B99999")
    upload = _sheet(
        [
            row(),
            row(name="", phones="13800138002", plate="浙B10002"),  # row 3: no name
            row(name="李四", phones="12345", plate="浙B10003"),  # row 4: bad phone
            row(name="王五", phones="13800138009", plate="浙B10004"),  # row 5: phone taken
            row(name="赵六", phones="13800138005", plate="浙B99999"),  # row 6: plate taken
            row(name="钱七", phones="13800138001", plate="浙B10007"),  # row 7: phone also on row 2
            row(name="孙八", phones="13800138008", plate="浙B10008", tier="金卡"),  # row 8: tier
        ]
    )
    before = Customer.objects.count()
    result = customers_import(store=store, upload=upload, by=clerk, commit=True)
    assert [number for number, _e in result.errors] == [3, 4, 5, 6, 7, 8]
    assert not result.committed
    assert Customer.objects.count() == before


def test_a_clean_import_dry_runs_then_commits_everything(store, clerk):
    rows = [
        row(),
        row(name="单位客户", kind="单位", contact_person="刘经理", phones="0571-88001234", plate="浙B10002"),
    ]
    dry = customers_import(store=store, upload=_sheet(rows), by=clerk, commit=False)
    assert dry.ok and not dry.committed and dry.rows == 2
    assert not Customer.objects.exists()
    done = customers_import(store=store, upload=_sheet(rows), by=clerk, commit=True)
    assert done.committed and (done.customers, done.assets) == (2, 2)
    company = Customer.objects.get(name="单位客户")
    assert company.kind == "company" and company.phones.get().digits == "057188001234"


def test_an_unreadable_file_is_a_row_error_not_a_crash(store, clerk):
    result = customers_import(
        store=store, upload=SimpleUploadedFile("x.xlsx", b"not excel"), by=clerk, commit=True
    )
    assert result.errors and not result.committed


@pytest.mark.parametrize("value", ["=1+1", "+86", "-2", "@SUM(A1)"])
def test_cells_that_look_like_formulas_are_quoted(value):
    assert safe_cell(value) == "'" + value
    assert safe_cell("王建国") == "王建国" and safe_cell(5) == 5


def test_the_timeline_merges_visits_notes_and_tickets_newest_first(store, clerk):
    from apps.customers.services import note_add
    from apps.customers.timeline import timeline_for
    from tests.factories.tickets import complaint

    c = f.customer(store)
    f.visit(c, asset=f.vehicle(c), days_ago=3)
    note_add(customer=c, text="客户希望周末取车", by=clerk)
    complaint(store, c, clerk)
    kinds = [e.kind for e in timeline_for(customer=c)]
    assert set(kinds) >= {"visit", "note", "ticket"}
    assert kinds[-1] == "visit"
    assert timezone.now() >= timeline_for(customer=c)[0].at
