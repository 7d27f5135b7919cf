import pytest
from django.urls import reverse

from apps.printing.builders import register_builder
from apps.printing.documents import render_pdf, render_pdf_book
from apps.printing.models import PrintJob
from apps.printing.services import print_job_start
from tests.pdf_checks import assert_cjk_font_embedded, page_count, pdf_text

pytestmark = pytest.mark.django_db


@register_builder("tests.two_pages")
def two_pages(*, job, params, progress):
    pdf = render_pdf_book([("pdf/empty.html", {}), ("pdf/empty.html", {})], progress=progress)
    return "两页.pdf", pdf


@register_builder("tests.broken")
def broken(*, job, params, progress):
    raise ValueError("坏数据")


def test_render_pdf_embeds_a_cjk_font_and_numbers_pages():
    pdf = render_pdf("pdf/empty.html")
    assert_cjk_font_embedded(pdf)
    text = pdf_text(pdf)
    assert "无内容" in text
    assert "第1页/共1页" in text.replace(" ", "")


def test_a_print_job_builds_in_the_worker_and_its_owner_downloads_it(
    client_for, clerk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = print_job_start(owner=clerk, builder="tests.two_pages", title="测试打印")
    # Tests run tasks eagerly: the job is done once the transaction has committed.
    job.refresh_from_db()
    assert job.state == PrintJob.State.DONE and job.percent == 100
    response = client_for(clerk).get(reverse("printing:download", args=[job.pk]))
    assert response.status_code == 200
    assert page_count(response.content) == 2


def test_another_user_cannot_see_or_download_a_print_job(client_for, clerk, manager):
    job = print_job_start(owner=clerk, builder="tests.two_pages", title="测试打印")
    client = client_for(manager)
    assert client.get(reverse("printing:job", args=[job.pk])).status_code == 404
    assert client.get(reverse("printing:download", args=[job.pk])).status_code == 404


def test_a_failed_print_job_says_so(client_for, clerk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = print_job_start(owner=clerk, builder="tests.broken", title="坏打印")
    job.refresh_from_db()
    assert job.state == PrintJob.State.FAILED
    body = client_for(clerk).get(reverse("printing:job", args=[job.pk])).content.decode()
    assert "坏数据" in body


def test_job_status_partial_polls_while_running(client_for, clerk):
    job = PrintJob.objects.create(
        owner=clerk, builder="tests.two_pages", title="进行中", total_steps=4, done_steps=1
    )
    body = (
        client_for(clerk).get(reverse("printing:job", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    )
    assert 'hx-trigger="every 1s"' in body and "25%" in body


@register_builder("tests.count_lines", report_template="customers/_import_report.html")
def count_lines(*, job, params, progress):
    lines = bytes(job.upload).decode().splitlines()
    progress(len(lines), len(lines))
    return {"rows": len(lines), "errors": [], "ok": True, "committed": False}


def test_a_job_may_read_an_upload_and_end_in_a_report_shown_on_its_page(
    client_for, clerk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = print_job_start(owner=clerk, builder="tests.count_lines", title="数行", upload=b"a\nb\nc")
    job.refresh_from_db()
    assert job.state == PrintJob.State.DONE and job.report["rows"] == 3
    assert job.upload is None and not job.pdf  # the uploaded file is dropped once read
    client = client_for(clerk)
    body = client.get(reverse("printing:job", args=[job.pk])).content.decode()
    assert 'data-testid="job-report"' in body and "print-download" not in body
    assert client.get(reverse("printing:download", args=[job.pk])).status_code == 404


def test_an_anonymous_user_cannot_see_or_download_a_print_job(client, clerk):
    job = print_job_start(owner=clerk, builder="tests.two_pages", title="测试打印")
    for name in ("printing:job", "printing:download"):
        response = client.get(reverse(name, args=[job.pk]))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
