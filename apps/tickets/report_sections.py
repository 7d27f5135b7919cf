"""The tickets' sections of the weekly report: the week's complaints with their answers, and at
stations on-time delivery by service advisor (准时交车率 = 准时交车台数 / 结算总台数)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.reports.sections import Figure, Section

from . import selectors


def _when(value) -> str:
    return timezone.localtime(value).strftime("%m-%d %H:%M") if value else ""


def complaints_section(store, start, end) -> Section:
    complaints = list(selectors.complaints_between(store=store, start=start, end=end))
    now = timezone.now()
    in_time = late = open_ = 0
    rows = []
    for t in complaints:
        if t.answered_at is None:
            state = (
                _("Not answered yet")
                if not t.answer_due_at or t.answer_due_at > now
                else _("Overdue, not answered")
            )
            open_ += 1
            late += int(bool(t.answer_due_at and t.answer_due_at <= now))
        elif t.answer_due_at and t.answered_at > t.answer_due_at:
            state = _("Answered late")
            late += 1
        else:
            state = _("Answered in time")
            in_time += 1
        rows.append([t.number, t.title, str(t.customer), _when(t.created_at), _when(t.answered_at), state])
    return Section(
        key="complaints",
        title=_("Complaints of the week"),
        figures=[
            Figure(_("Complaints raised"), len(complaints)),
            Figure(
                _("Answered within the deadline"), in_time, note=f"/ {len(complaints)}" if complaints else ""
            ),
            Figure(_("Late or overdue"), late, warn=late > 0),
            Figure(_("Still open"), open_, warn=open_ > 0),
        ],
        headers=[_("Number"), _("Title"), _("Customer"), _("Raised"), _("Answered"), _("Answer")],
        rows=rows,
        empty=_("No complaints this week."),
    )


def on_time_by_advisor(store, start, end) -> Section:
    settled = selectors.repair_orders_settled_between(store=store, start=start, end=end)
    by_person = list(
        settled.values("assignee__display_name", "assignee__username")
        .annotate(total=Count("pk"), on_time=Count("pk", filter=Q(on_time=True)))
        .order_by("assignee__display_name", "assignee__username")
    )
    total = sum(r["total"] for r in by_person)
    on_time = sum(r["on_time"] for r in by_person)
    rows = [
        [
            r["assignee__display_name"] or r["assignee__username"] or _("Unassigned"),
            str(r["total"]),
            str(r["on_time"]),
            f"{r['on_time'] / r['total']:.1%}",
        ]
        for r in by_person
    ]
    rate = on_time / total if total else None
    return Section(
        key="on_time",
        title=_("On-time delivery by service advisor"),
        figures=[
            Figure(_("Repair orders settled"), total),
            Figure(_("Delivered on time"), on_time),
            Figure(_("On-time delivery rate"), f"{rate:.1%}" if rate is not None else None),
        ],
        headers=[_("Service advisor"), _("Settled"), _("On time"), _("Rate")],
        rows=rows,
        empty=_("No repair orders settled this week."),
    )
