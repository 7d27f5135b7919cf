"""The tickets' sections of the station's monthly quality meeting pack (质量目标沟通会):
准时交车率 (on-time / settled repair orders) by service advisor and by mechanic, and why the late
orders were late. One or two queries a section."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.reports.sections import Figure, Section

from . import selectors

LATE_ROWS = 30


def _rate(on_time: int, total: int) -> str | None:
    return f"{on_time / total:.1%}" if total else None


def _by_person(store, start, end, *, person: str, key: str, title, header) -> Section:
    settled = selectors.repair_orders_settled_between(store=store, start=start, end=end)
    rows = list(
        settled.values(f"{person}__display_name", f"{person}__username")
        .annotate(total=Count("pk"), on_time=Count("pk", filter=Q(on_time=True)))
        .order_by(f"{person}__display_name", f"{person}__username")
    )
    total = sum(r["total"] for r in rows)
    on_time = sum(r["on_time"] for r in rows)
    return Section(
        key=key,
        title=title,
        figures=[
            Figure(_("Repair orders settled"), total),
            Figure(_("Delivered on time"), on_time),
            Figure(_("On-time delivery rate"), _rate(on_time, total), note=_("target ≥ 96%")),
        ],
        headers=[header, _("Settled"), _("On time"), _("Rate")],
        rows=[
            [
                r[f"{person}__display_name"] or r[f"{person}__username"] or _("Not recorded"),
                str(r["total"]),
                str(r["on_time"]),
                _rate(r["on_time"], r["total"]) or "—",
            ]
            for r in rows
        ],
        empty=_("No repair orders settled this month."),
    )


def on_time_by_advisor_month(store, start, end) -> Section:
    return _by_person(
        store,
        start,
        end,
        person="assignee",
        key="quality_advisor",
        title=_("On-time delivery by service advisor"),
        header=_("Service advisor"),
    )


def on_time_by_mechanic_month(store, start, end) -> Section:
    return _by_person(
        store,
        start,
        end,
        person="mechanic",
        key="quality_mechanic",
        title=_("On-time delivery by mechanic"),
        header=_("Mechanic"),
    )


def late_reasons_month(store, start, end) -> Section:
    late = list(
        selectors.repair_orders_settled_between(store=store, start=start, end=end)
        .exclude(on_time=True)
        .select_related("assignee", "mechanic")
        .order_by("settled_at", "pk")
    )
    reasons: dict[str, int] = {}
    for t in late:
        reason = t.late_reason.strip() or str(_("Not recorded"))
        reasons[reason] = reasons.get(reason, 0) + 1
    ranked = sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))
    return Section(
        key="quality_late_reasons",
        title=_("Why orders were late"),
        figures=[Figure(_("Late orders"), len(late), warn=bool(late))]
        + [Figure(reason, n, note=f"{n / len(late):.0%}") for reason, n in ranked],
        headers=[_("Number"), _("Service advisor"), _("Mechanic"), _("Promised"), _("Settled"), _("Reason")],
        rows=[
            [
                t.number,
                str(t.assignee or "—"),
                str(t.mechanic or "—"),
                timezone.localtime(t.promised_at).strftime("%m-%d %H:%M") if t.promised_at else "—",
                timezone.localtime(t.settled_at).strftime("%m-%d %H:%M"),
                t.late_reason or "—",
            ]
            for t in late[:LATE_ROWS]
        ],
        empty=_("No order was late this month."),
    )
