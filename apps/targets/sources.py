"""Other apps' figures on the manager's dashboard: one aggregate query each, whatever the store count."""

from __future__ import annotations

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .selectors import dashboard_sources


def checklists_today(stores, today) -> dict:
    from apps.checklists.models import ChecklistRun, RunState

    agg = ChecklistRun.objects.filter(store__in=stores, date=today).aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(completed_at__isnull=False)),
        late=Count("pk", filter=Q(state=RunState.LATE)),
        missed=Count("pk", filter=Q(state=RunState.MISSED)),
        failed=Count("pk", filter=Q(failed_count__gt=0)),
    )
    return {
        "label": _("Today's checklists"),
        "text": _(
            "%(done)s of %(total)s done, %(late)s late, %(missed)s missed, %(failed)s with failed items"
        )
        % agg,
        "url": reverse("checklists:board"),
        "alert": bool(agg["late"] or agg["missed"]),
    }


def handover_differences(stores, today) -> dict:
    from apps.checklists.models import HandoverLine, HandoverState

    lines = HandoverLine.objects.filter(
        handover__store__in=stores,
        handover__business_date__year=today.year,
        handover__business_date__month=today.month,
        handover__state__in=[HandoverState.SIGNED, HandoverState.ACCEPTED],
        counted__isnull=False,
    ).exclude(counted=F("expected"))
    agg = lines.aggregate(
        handovers=Count("handover_id", distinct=True),
        unexplained=Count("pk", filter=Q(explanation="")),
    )
    return {
        "label": _("Handover differences this month"),
        "text": _("%(handovers)s, %(unexplained)s")
        % {
            "handovers": ngettext(
                "%(n)s handover with a difference",
                "%(n)s handovers with a difference",
                agg["handovers"],
            )
            % {"n": agg["handovers"]},
            "unexplained": ngettext(
                "%(n)s line without an explanation",
                "%(n)s lines without an explanation",
                agg["unexplained"],
            )
            % {"n": agg["unexplained"]},
        },
        "url": reverse("handovers:list"),
        "alert": bool(agg["unexplained"]),
    }


def followups_overdue(stores, today) -> dict:
    from apps.followups.selectors import overdue_counts

    agg = overdue_counts(stores=stores, today=today)
    return {
        "label": _("Overdue follow-ups"),
        "text": _("%(overdue)s past their window, %(unassigned)s without an assignee") % agg,
        "url": reverse("followups:list") + "?section=overdue&scope=all",
        "alert": bool(agg["overdue"]),
    }


dashboard_sources["checklists_today"] = checklists_today
dashboard_sources["handover_differences"] = handover_differences
dashboard_sources["followups_overdue"] = followups_overdue
