"""Reads of the weekly reports: the archive, one week's report, its sections (live or frozen)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from apps.months import week_start as week_start  # one Monday for every app
from apps.org.access import can, stores_where
from apps.org.models import Store

from .models import ReportState, WeeklyReport
from .sections import Section, from_data, sections_for


def due_on(monday: dt.date) -> dt.date:
    """Reports are due on the week's Saturday (每周六)."""
    return monday + dt.timedelta(days=5)


def report_stores_for(*, user, perm: str = "reports.view") -> QuerySet[Store]:
    return stores_where(user, perm).filter(is_active=True).order_by("name")


def store_for(*, user, pk: int) -> Store:
    return get_object_or_404(report_stores_for(user=user), pk=pk)


def report_of(*, store: Store, monday: dt.date) -> WeeklyReport | None:
    return WeeklyReport.objects.filter(store=store, week_start=monday).first()


def reports_for(*, user, store_id: int | None = None, state: str | None = None) -> QuerySet[WeeklyReport]:
    qs = WeeklyReport.objects.filter(store__in=report_stores_for(user=user)).select_related(
        "store", "submitted_by", "reviewed_by"
    )
    if store_id:
        qs = qs.filter(store_id=store_id)
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-week_start", "store__name", "pk")


def waiting_for_review(*, user) -> QuerySet[WeeklyReport]:
    return (
        reports_for(user=user, state=ReportState.SUBMITTED)
        .filter(store__in=stores_where(user, "reports.review"))
        .exclude(submitted_by=user)
    )


def sections_of(*, store: Store, monday: dt.date, report: WeeklyReport | None) -> list[Section]:
    """The frozen figures of a submitted report, else the week's figures as they are now."""
    if report is not None and report.is_frozen and report.figures:
        return from_data(report.figures)
    return sections_for(store, monday, monday + dt.timedelta(days=6))


def may_write(user, store: Store) -> bool:
    return can(user, "reports.write", store)


def may_review(user, report: WeeklyReport | None) -> bool:
    return (
        report is not None
        and report.state == ReportState.SUBMITTED
        and report.submitted_by_id != user.pk
        and can(user, "reports.review", report.store)
    )


def submitted_weeks(*, store_ids, mondays) -> dict[tuple[int, dt.date], tuple[int | None, dt.datetime]]:
    """(store id, Monday) → (who submitted, when) for the reports of these weeks that were submitted
    (and perhaps since accepted or returned), in one query."""
    rows = WeeklyReport.objects.filter(
        store_id__in=store_ids, week_start__in=mondays, submitted_at__isnull=False
    ).values_list("store_id", "week_start", "submitted_by_id", "submitted_at")
    return {(s, w): (by, at) for s, w, by, at in rows}
