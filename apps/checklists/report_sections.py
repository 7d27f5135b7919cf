"""The checklists' section of the weekly report: how many runs were done, late or missed, and the
items that failed in the week (two queries a store)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.months import days_bounds
from apps.reports.sections import Figure, Section

from .models import ChecklistRun, FailureState, ItemFailure, RunState

FAILURE_ROWS = 20


def checklists_section(store, start, end) -> Section:
    counts = ChecklistRun.objects.filter(store=store, date__range=(start, end)).aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(completed_at__isnull=False)),
        late=Count("pk", filter=Q(completed_at__isnull=False, state=RunState.LATE)),
        missed=Count("pk", filter=Q(state=RunState.MISSED)),
    )
    since, until = days_bounds(start, end)
    failures = list(
        ItemFailure.objects.filter(store=store, raised_at__gte=since, raised_at__lt=until)
        .select_related("item", "raised_by")
        .order_by("raised_at", "pk")
    )
    total, done = counts["total"], counts["done"]
    still_open = sum(1 for f in failures if f.state == FailureState.OPEN)
    return Section(
        key="checklists",
        title=_("Checklists"),
        figures=[
            Figure(_("Runs due"), total),
            Figure(_("Completed"), done),
            Figure(
                _("Completion rate"),
                f"{done / total:.1%}" if total else None,
                warn=bool(total and done < total),
            ),
            Figure(_("Completed late"), counts["late"], warn=bool(counts["late"])),
            Figure(_("Missed"), counts["missed"], warn=bool(counts["missed"])),
            Figure(_("Items failed"), len(failures), warn=bool(failures)),
            Figure(_("Failed items still open"), still_open, warn=bool(still_open)),
        ],
        headers=[_("Date"), _("Item"), _("Person"), _("Note"), _("State")],
        rows=[
            [
                f"{timezone.localtime(f.raised_at):%m-%d}",
                f.item.text,
                str(f.raised_by),
                f.note,
                str(f.get_state_display()) + (" · " + _("failed 3 runs in a row") if f.repeated else ""),
            ]
            for f in failures[:FAILURE_ROWS]
        ],
        empty=_("No item failed this week."),
    )
