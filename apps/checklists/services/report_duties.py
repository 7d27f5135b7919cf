"""The weekly duty that is the store's weekly report (每周六做好投诉报告与工作总结上传直管领导): its
item is not ticked by hand, it is done when the report of the run's week is submitted.

Two ways in, both idempotent: the report's submission (registered with
`apps.reports.submissions`, inside its transaction) ticks the open runs of that store and week;
the minute beat ticks a run created after the report was already submitted.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from apps.months import week_start
from apps.reports.selectors import submitted_weeks

from ..models import ChecklistRun, ItemKind, ItemResult, RunState, TemplateItem


def _open_runs_with_report_items(**filters):
    """The open runs (locked, without DISTINCT, which FOR UPDATE refuses) of templates that have a
    weekly-report item."""
    templates = TemplateItem.objects.filter(kind=ItemKind.WEEKLY_REPORT, is_active=True).values("template_id")
    return ChecklistRun.objects.open().filter(template_id__in=templates, **filters)


def _tick(run: ChecklistRun, *, by_id: int, at: dt.datetime) -> bool:
    items = list(
        TemplateItem.objects.filter(
            template_id=run.template_id, kind=ItemKind.WEEKLY_REPORT, is_active=True
        ).exclude(results__run=run)
    )
    if not items:
        return False
    ItemResult.objects.bulk_create(
        [
            ItemResult(run=run, item=i, item_text=i.text, ok=True, answered_by_id=by_id, answered_at=at)
            for i in items
        ]
    )
    counts = ItemResult.objects.filter(run=run, item__is_active=True).aggregate(
        answered=Count("pk"), failed=Count("pk", filter=Q(ok=False))
    )
    run.answered_count, run.failed_count = counts["answered"] or 0, counts["failed"] or 0
    run.started_at = run.started_at or at
    required = set(
        TemplateItem.objects.filter(template_id=run.template_id, is_active=True, required=True).values_list(
            "pk", flat=True
        )
    )
    answered = set(ItemResult.objects.filter(run=run).values_list("item_id", flat=True))
    if required <= answered:
        # Nothing else to answer: submitting the report was the whole duty.
        run.completed_at = at
        run.state = RunState.DONE if at <= run.due_at and run.state != RunState.LATE else RunState.LATE
    elif run.state == RunState.NOT_STARTED:
        run.state = RunState.IN_PROGRESS
    run.save(update_fields=["answered_count", "failed_count", "started_at", "completed_at", "state"])
    return True


def report_duty_tick(*, store_id: int, week_start: dt.date, by_id: int, at: dt.datetime) -> int:
    """Tick the weekly-report items of the store's open runs in that week (the report's listener)."""
    runs = _open_runs_with_report_items(
        store_id=store_id, date__range=(week_start, week_start + dt.timedelta(days=6))
    ).select_for_update()
    return sum(_tick(run, by_id=by_id, at=at) for run in runs)


@transaction.atomic
def report_duties_sync(*, now: dt.datetime | None = None) -> int:
    """Tick today's open runs whose week's report was submitted before the run existed."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    ticked_already = ItemResult.objects.filter(item__kind=ItemKind.WEEKLY_REPORT, run__date=today).values(
        "run_id"
    )
    runs = list(
        _open_runs_with_report_items(date=today)
        .exclude(pk__in=ticked_already)
        .select_for_update(skip_locked=True)
    )
    if not runs:
        return 0
    monday = week_start(today)
    submitted = submitted_weeks(store_ids={r.store_id for r in runs}, mondays=[monday])
    ticked = 0
    for run in runs:
        by_id, at = submitted.get((run.store_id, monday), (None, None))
        if at is not None:
            ticked += _tick(run, by_id=by_id or run.assignee_id, at=at)
    return ticked
