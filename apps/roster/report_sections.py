"""The roster's section of the weekly report: late arrivals and leave taken."""

from __future__ import annotations

from django.utils.translation import gettext as _

from apps.reports.sections import Figure, Section

from .selectors import late_arrivals, leave_days_between


def arrivals_section(store, start, end) -> Section:
    late = list(late_arrivals(stores=[store.pk], start=start, end=end))
    return Section(
        key="arrivals",
        title=_("Arrivals and leave"),
        figures=[
            Figure(_("Late arrivals"), len(late), warn=bool(late)),
            Figure(_("Minutes late in all"), sum(c.late_minutes for c in late)),
            Figure(_("Days of approved leave"), leave_days_between(store=store, start=start, end=end)),
        ],
        headers=[_("Date"), _("Person"), _("Minutes late")],
        rows=[
            [f"{c.date:%m-%d}", str(c.user), str(c.late_minutes)]
            for c in sorted(late, key=lambda c: (c.date, c.at))
        ],
        empty=_("Nobody was late this week."),
    )
