"""The handovers' section of the weekly report: the handovers of the week and every counted
difference, with its explanation (two queries a store)."""

from __future__ import annotations

from django.db.models import Count, F, Q
from django.utils.translation import gettext as _

from apps.reports.sections import Figure, Section

from .models import Handover, HandoverLine

DIFFERENCE_ROWS = 30


def _number(value) -> str:
    return f"{value.normalize():f}" if value is not None else ""


def handover_differences_section(store, start, end) -> Section:
    handovers = Handover.objects.filter(store=store, business_date__range=(start, end)).aggregate(
        n=Count("pk"), accepted=Count("pk", filter=Q(state="accepted"))
    )
    lines = list(
        HandoverLine.objects.filter(
            handover__store=store, handover__business_date__range=(start, end), counted__isnull=False
        )
        .exclude(counted=F("expected"))
        .select_related("handover__counter", "item")
        .order_by("handover__business_date", "handover__pk", "order", "pk")
    )
    unexplained = sum(1 for line in lines if not line.explanation.strip())
    return Section(
        key="handover_differences",
        title=_("Handover differences"),
        figures=[
            Figure(_("Handovers"), handovers["n"]),
            Figure(_("Accepted"), handovers["accepted"]),
            Figure(_("Counts with a difference"), len(lines), warn=bool(lines)),
            Figure(_("Differences not explained"), unexplained, warn=bool(unexplained)),
        ],
        headers=[
            _("Date"),
            _("Counter"),
            _("Item"),
            _("Expected"),
            _("Counted"),
            _("Difference"),
            _("Explanation"),
        ],
        rows=[
            [
                f"{line.handover.business_date:%m-%d}",
                line.handover.counter.name,
                line.item.name,
                _number(line.expected),
                _number(line.counted),
                _number(line.difference),
                line.explanation or "—",
            ]
            for line in lines[:DIFFERENCE_ROWS]
        ],
        empty=_("No differences at handover this week."),
    )
