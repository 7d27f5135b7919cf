"""The weekly report each store owes its superior: drafted from the week's records, summarised and
submitted by the manager (figures frozen), accepted or returned by the superior, never by the
person who submitted it; kinds see only their own sections."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.notifications.models import Notification
from apps.org.models import RoleTier
from apps.reports import services
from apps.reports.models import ReportState, WeeklyReport
from apps.reports.sections import sections_for
from apps.reports.selectors import week_start
from apps.roster.models import CheckIn
from tests.factories.org import member

pytestmark = pytest.mark.django_db

LAST_MONDAY = week_start(timezone.localdate()) - dt.timedelta(days=7)


def url(store, monday=LAST_MONDAY):
    return reverse("reports:week", args=[store.pk, monday.isoformat()])


def late(store, user, day, minutes):
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
    return CheckIn.objects.create(store=store, user=user, date=day, at=at, late_minutes=minutes)


def test_the_manager_drafts_and_submits_and_the_figures_are_frozen(client_for, manager, admin, clerk, store):
    late(store, clerk, LAST_MONDAY + dt.timedelta(days=1), 12)
    client = client_for(manager)
    page = client.get(url(store))
    assert page.status_code == 200
    keys = [s.key for s in page.context["sections"]]
    assert "complaints" in keys and "arrivals" in keys
    response = client.post(url(store), {"summary": "本周平稳", "plans": "", "action": "submit"})
    assert response.status_code == 302
    report = WeeklyReport.objects.get()
    assert report.state == ReportState.SUBMITTED and report.submitted_by == manager
    arrivals = next(s for s in report.figures if s["key"] == "arrivals")
    assert arrivals["figures"][0]["value"] == 1
    late(store, clerk, LAST_MONDAY + dt.timedelta(days=2), 30)  # after submission: not in the report
    page = client.get(url(store))
    frozen = next(s for s in page.context["sections"] if s.key == "arrivals")
    assert frozen.figures[0].value == 1
    assert Notification.objects.filter(recipient=admin, source="reports").exists()
    assert client.post(url(store), {"summary": "改一下", "action": "save"}).status_code == 403


def test_submitting_without_a_summary_keeps_the_draft_and_says_why(client_for, manager, store):
    response = client_for(manager).post(url(store), {"summary": "", "plans": "下周培训", "action": "submit"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "下周培训" in response.content.decode()
    assert WeeklyReport.objects.get().state == ReportState.DRAFT


def test_the_superior_returns_with_a_comment_and_the_manager_resubmits(client_for, manager, admin, store):
    report = services.report_save(by=manager, store=store, monday=LAST_MONDAY, summary="本周平稳")
    services.report_submit(by=manager, report=report)
    client = client_for(admin)
    bad = client.post(reverse("reports:review", args=[report.pk, "return"]), {"comment": ""})
    assert bad.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    client.post(reverse("reports:review", args=[report.pk, "return"]), {"comment": "请补充投诉处理细节"})
    report.refresh_from_db()
    assert report.state == ReportState.RETURNED and report.reviewed_by == admin
    assert Notification.objects.filter(recipient=manager, source="reports").exists()
    client_for(manager).post(url(store), {"summary": "补充：两起投诉均已当日答复", "action": "submit"})
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    client_for(admin).post(reverse("reports:review", args=[report.pk, "accept"]), {"comment": ""})
    report.refresh_from_db()
    assert report.state == ReportState.ACCEPTED


def test_nobody_reviews_a_report_they_submitted(admin, store):
    report = services.report_save(by=admin, store=store, monday=LAST_MONDAY, summary="总部代写")
    services.report_submit(by=admin, report=report)
    with pytest.raises(ValidationError):
        services.report_accept(by=admin, report=report)


def test_clerks_and_other_stores_neither_see_nor_write_reports(client_for, clerk, manager2, store):
    assert client_for(clerk).get(reverse("reports:home")).status_code == 403
    assert client_for(clerk).get(url(store)).status_code == 403
    assert client_for(manager2).get(url(store)).status_code == 404
    assert client_for(manager2).post(url(store), {"summary": "x", "action": "save"}).status_code == 404
    assert not WeeklyReport.objects.exists()


def test_a_manager_cannot_review(client_for, manager, store):
    other = member(store, RoleTier.MANAGER, "deputy")
    report = services.report_save(by=other, store=store, monday=LAST_MONDAY, summary="本周平稳")
    services.report_submit(by=other, report=report)
    client_for(manager).post(reverse("reports:review", args=[report.pk, "accept"]), {"comment": ""})
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED


def test_each_kind_sees_only_its_own_sections(store, store2):
    hall = [s.key for s in sections_for(store, LAST_MONDAY, LAST_MONDAY + dt.timedelta(days=6))]
    station = [s.key for s in sections_for(store2, LAST_MONDAY, LAST_MONDAY + dt.timedelta(days=6))]
    assert "on_time" in station and "on_time" not in hall


def test_a_future_week_cannot_be_written_and_a_bad_date_is_not_found(client_for, manager, store):
    future = week_start(timezone.localdate()) + dt.timedelta(days=7)
    assert client_for(manager).post(url(store, future), {"summary": "x", "action": "save"}).status_code == 200
    assert not WeeklyReport.objects.exists()
    assert client_for(manager).get(reverse("reports:week", args=[store.pk, "2026-02-31"])).status_code == 404


def test_the_report_prints(client_for, manager, store, monkeypatch):
    services.report_save(by=manager, store=store, monday=LAST_MONDAY, summary="本周平稳")
    captured = {}
    monkeypatch.setattr(
        "apps.reports.views.render_pdf", lambda t, ctx, request=None: captured.update(ctx) or b"%PDF-1.7"
    )
    response = client_for(manager).get(reverse("reports:week_pdf", args=[store.pk, LAST_MONDAY.isoformat()]))
    assert response.status_code == 200 and captured["report"].summary == "本周平稳"


def _queries(client, path) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_the_archive_costs_the_same_queries_for_more_reports(client_for, manager, store):
    client = client_for(manager)
    services.report_save(by=manager, store=store, monday=LAST_MONDAY, summary="a")
    few = _queries(client, reverse("reports:home"))
    for weeks in range(2, 12):
        services.report_save(
            by=manager, store=store, monday=LAST_MONDAY - dt.timedelta(days=7 * weeks), summary="b"
        )
    assert _queries(client, reverse("reports:home")) == few


def test_the_home_page_shows_the_manager_this_weeks_report_and_the_superior_what_waits(
    client_for, manager, admin, clerk, store
):
    assert b'data-testid="reports-panel"' in client_for(manager).get("/").content
    assert b'data-testid="reports-panel"' not in client_for(clerk).get("/").content
    report = services.report_save(by=manager, store=store, monday=LAST_MONDAY, summary="本周平稳")
    services.report_submit(by=manager, report=report)
    assert b'data-testid="reports-waiting-count">1<' in client_for(admin).get("/").content
