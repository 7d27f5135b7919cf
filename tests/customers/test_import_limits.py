"""The customer import has limits: zip bombs refused unopened, a row cap, and large sheets checked and
imported as a background job with progress, still all or nothing."""

import pytest
from django.test import override_settings
from django.urls import reverse

from apps.customers.models import Customer
from apps.customers.spreadsheets import COLUMNS, TooManyRows, customers_import
from apps.printing.models import PrintJob
from tests.factories import customers as f
from tests.office_files import workbook, xlsx_bomb

pytestmark = pytest.mark.django_db

HEADER = [h for h, _k, _r in COLUMNS]


def row(n: int, **extra) -> list:
    values = {
        "name": f"导入客户{n}",
        "kind": "个人",
        "phones": f"1380013{n:04d}",
        "tier": "普通",
        "asset_kind": "车辆",
        "model_name": "朗逸",
        "plate": f"浙B{n:05d}",
    } | extra
    return [values.get(key, "") for _h, key, _r in COLUMNS]


def sheet(n: int, **bad_rows):
    """n good rows; bad_rows maps a 1-based row index to the fields that make it bad."""
    return workbook(HEADER, [row(i, **bad_rows.get(str(i), {})) for i in range(1, n + 1)])


@pytest.fixture
def no_opening(monkeypatch):
    """openpyxl must not open the file at all."""

    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl.load_workbook was called")

    monkeypatch.setattr("openpyxl.load_workbook", refuse)
    monkeypatch.setattr("openpyxl.reader.excel.load_workbook", refuse)


def test_a_zip_bomb_workbook_is_refused_with_a_message_without_being_opened(
    client_for, clerk, store, no_opening
):
    response = client_for(clerk).post(
        "/customers/import/", {"store": store.pk, "file": xlsx_bomb(), "commit": "on"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "压缩炸弹" in body or "zip bomb" in body
    assert not Customer.objects.exists() and not PrintJob.objects.exists()


def test_the_import_service_refuses_a_zip_bomb_itself_without_opening_it(store, clerk, no_opening):
    result = customers_import(store=store, upload=xlsx_bomb(), by=clerk, commit=True)
    assert not result.committed and result.errors[0][0] == 1
    assert "压缩炸弹" in " ".join(result.errors[0][1]) or "zip bomb" in " ".join(result.errors[0][1])


@override_settings(CUSTOMERS_IMPORT_MAX_ROWS=5, CUSTOMERS_IMPORT_BACKGROUND_ROWS=3)
def test_a_sheet_over_the_row_cap_is_refused_with_the_cap_in_the_message(
    client_for, clerk, store, django_capture_on_commit_callbacks
):
    client = client_for(clerk)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/customers/import/", {"store": store.pk, "file": sheet(6), "commit": "on"})
    job = PrintJob.objects.get()
    assert job.report["errors"] == [[1, [str(TooManyRows(5).messages[0])]]]
    assert "5" in job.report["errors"][0][1][0]
    body = client.get(job.get_absolute_url()).content.decode()
    assert job.report["errors"][0][1][0] in body
    assert not Customer.objects.exists()


@override_settings(CUSTOMERS_IMPORT_MAX_ROWS=5, CUSTOMERS_IMPORT_BACKGROUND_ROWS=100)
def test_the_row_cap_holds_when_no_background_job_is_needed(client_for, clerk, store):
    assert customers_import(store=store, upload=sheet(6), by=clerk, commit=True).errors
    html = client_for(clerk).post("/customers/import/", {"store": store.pk, "file": sheet(6), "commit": "on"})
    assert str(TooManyRows(5).messages[0]) in html.content.decode()
    assert not Customer.objects.exists() and not PrintJob.objects.exists()


def test_a_small_sheet_is_still_imported_at_once(client_for, clerk, store):
    response = client_for(clerk).post(
        "/customers/import/", {"store": store.pk, "file": sheet(3), "commit": "on"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("customers:list")
    assert Customer.objects.count() == 3 and not PrintJob.objects.exists()


@override_settings(CUSTOMERS_IMPORT_BACKGROUND_ROWS=3)
def test_a_large_sheet_is_imported_as_a_job_with_progress_then_a_report(
    client_for, clerk, store, django_capture_on_commit_callbacks, monkeypatch
):
    from apps.customers import spreadsheets

    monkeypatch.setattr(spreadsheets, "PROGRESS_EVERY", 2)
    seen = []
    real_import = spreadsheets.customers_import

    def listening(**kwargs):
        job_progress = kwargs.pop("progress")

        def progress(done, total):
            seen.append((done, total))
            job_progress(done, total)

        return real_import(progress=progress, **kwargs)

    monkeypatch.setattr(spreadsheets, "customers_import", listening)
    client = client_for(clerk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/customers/import/", {"store": store.pk, "file": sheet(8), "commit": "on"})
    job = PrintJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    job.refresh_from_db()
    assert job.state == PrintJob.State.DONE, job.error
    assert Customer.objects.filter(store=store).count() == 8
    assert job.report["committed"] and job.report["customers"] == 8
    assert job.upload is None  # the customers' sheet does not stay in the database
    # Progress went up through reading, checking and saving, on a scale of 3 steps a row, and was
    # recorded on the job for its page.
    assert [total for _d, total in seen] == [24] * len(seen)
    assert [done for done, _t in seen] == sorted(done for done, _t in seen)
    assert {4, 8, 12, 16, 20} <= {done for done, _t in seen}
    assert (job.done_steps, job.total_steps) == seen[-1]
    body = client.get(job.get_absolute_url()).content.decode()
    assert 'data-testid="import-saved"' in body


@override_settings(CUSTOMERS_IMPORT_BACKGROUND_ROWS=3)
def test_a_large_dry_run_is_a_job_that_saves_nothing(
    client_for, clerk, store, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(clerk).post("/customers/import/", {"store": store.pk, "file": sheet(6)})
    job = PrintJob.objects.get()
    assert job.state == PrintJob.State.DONE and job.report["ok"] and not job.report["committed"]
    assert not Customer.objects.exists()


@override_settings(CUSTOMERS_IMPORT_BACKGROUND_ROWS=3)
def test_bad_rows_in_a_job_are_reported_row_by_row_and_nothing_is_saved(
    client_for, clerk, store, django_capture_on_commit_callbacks
):
    existing = f.customer(store, phone="13800139999")
    bad = {"2": {"name": ""}, "5": {"phones": "12345"}, "7": {"phones": "13800139999"}}
    client = client_for(clerk)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/customers/import/", {"store": store.pk, "file": sheet(8, **bad), "commit": "on"})
    job = PrintJob.objects.get()
    assert job.state == PrintJob.State.DONE
    # Sheet rows are numbered from the header (row 1): data row n is sheet row n + 1.
    assert [number for number, _messages in job.report["errors"]] == [3, 6, 8]
    assert not job.report["committed"]
    assert list(Customer.objects.all()) == [existing]
    body = client.get(job.get_absolute_url()).content.decode()
    assert 'data-testid="import-errors"' in body and existing.name in body


@override_settings(CUSTOMERS_IMPORT_BACKGROUND_ROWS=3)
def test_an_import_job_fails_when_its_owner_may_no_longer_edit_the_store(
    clerk, store, django_capture_on_commit_callbacks
):
    from apps.customers.spreadsheets import customers_import_submit
    from apps.org.models import Membership

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = customers_import_submit(store=store, upload=sheet(6), by=clerk, commit=True)
    Membership.objects.filter(user=clerk).update(is_active=False)
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert job.state == PrintJob.State.FAILED and not Customer.objects.exists()


@override_settings(CUSTOMERS_IMPORT_BACKGROUND_ROWS=3)
def test_another_user_cannot_see_an_import_job(
    client_for, clerk, manager, store, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(clerk).post("/customers/import/", {"store": store.pk, "file": sheet(6)})
    job = PrintJob.objects.get()
    assert client_for(manager).get(job.get_absolute_url()).status_code == 404


def test_a_sheet_that_breaks_while_it_is_read_is_a_message_not_a_crash(client_for, clerk, store):
    import io
    import zipfile

    from django.core.files.uploadedfile import SimpleUploadedFile

    good = sheet(2).read()
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) * 2 // 3]  # the sheet's XML stops half-way
            dst.writestr(item, data)
    upload = SimpleUploadedFile("broken.xlsx", broken.getvalue())
    response = client_for(clerk).post(
        "/customers/import/", {"store": store.pk, "file": upload, "commit": "on"}
    )
    assert response.status_code == 200 and 'data-testid="import-errors"' in response.content.decode()
    assert not Customer.objects.exists()
