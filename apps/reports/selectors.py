"""Reads of the weekly reports: the archive, one week's report, its sections (live or frozen)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from apps.months import month_days
from apps.months import week_start as week_start  # one Monday for every app
from apps.org.access import can, people_who_can, stores_where
from apps.org.models import Store, StoreKind

from .models import ActionStatus, CorrectiveAction, ReportState, WeeklyReport
from .sections import QUALITY, Section, from_data, sections_for


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


def submitted_weeks(
    *, store_ids, mondays
) -> dict[tuple[int, dt.date], tuple[int | None, dt.datetime | None]]:
    """(store id, Monday) → (who submitted, when) for the reports of these weeks that were submitted
    (and perhaps since accepted or returned), in one query."""
    rows = WeeklyReport.objects.filter(
        store_id__in=store_ids, week_start__in=mondays, submitted_at__isnull=False
    ).values_list("store_id", "week_start", "submitted_by_id", "submitted_at")
    return {(s, w): (by, at) for s, w, by, at in rows}


# --- the service station's monthly quality meeting pack ------------------------------------------


def quality_stores_for(*, user) -> QuerySet[Store]:
    """The service stations whose quality pack the user may read (no other kind has one)."""
    return report_stores_for(user=user).filter(kind=StoreKind.SERVICE_STATION)


def quality_store_for(*, user, pk: int) -> Store:
    return get_object_or_404(quality_stores_for(user=user), pk=pk)


def quality_sections(*, store: Store, month: dt.date) -> list[Section]:
    first, nxt = month_days(month)
    return sections_for(store, first, nxt - dt.timedelta(days=1), report=QUALITY)


def actions_of(*, store: Store, month: dt.date) -> QuerySet[CorrectiveAction]:
    return CorrectiveAction.objects.filter(store=store, month=month.replace(day=1)).select_related("owner")


def action_get_for(*, user, pk: int) -> CorrectiveAction:
    return get_object_or_404(
        CorrectiveAction.objects.filter(store__in=quality_stores_for(user=user)).select_related("store"),
        pk=pk,
    )


def action_owner_choices(*, store: Store) -> QuerySet:
    """Who may own a corrective action: the people of the station."""
    return people_who_can("store.view", store).order_by("display_name", "username")


def quality_months(*, store: Store, today: dt.date, count: int = 12) -> list[dict]:
    """The archive: this month and the months before it, with their actions' counts (one query)."""
    months = [today.replace(day=1)]
    while len(months) < count:
        months.append((months[-1] - dt.timedelta(days=1)).replace(day=1))
    counts: dict[dt.date, tuple[int, int]] = {
        month: (total, open_)
        for month, total, open_ in CorrectiveAction.objects.filter(store=store, month__in=months)
        .values("month")
        .annotate(
            total=Count("pk"),
            open=Count("pk", filter=Q(status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS])),
        )
        .values_list("month", "total", "open")
    }
    return [{"month": m, "total": counts.get(m, (0, 0))[0], "open": counts.get(m, (0, 0))[1]} for m in months]


def actions_overdue_count(*, stores, today: dt.date) -> int:
    return CorrectiveAction.objects.filter(
        store__in=stores, status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS], due_on__lt=today
    ).count()
