"""The follow-ups' section of the weekly report."""

from __future__ import annotations

from django.utils.translation import gettext as _

from apps.reports.sections import Figure, Section

from .selectors import week_figures


def followups_section(store, start, end) -> Section | None:
    f = week_figures(store=store, start=start, end=end)
    if not any(f.values()):
        return None
    return Section(
        key="followups",
        title=_("Follow-up calls"),
        figures=[
            Figure(_("Calls due this week"), f["due"]),
            Figure(
                _("Done within their window"), f["done_in_window"], note=f"/ {f['due']}" if f["due"] else ""
            ),
            Figure(_("Calls made this week"), f["done"]),
            Figure(_("Satisfied customers"), f["satisfied"], note=f"/ {f['rated']}" if f["rated"] else ""),
            Figure(_("Missed (window closed)"), f["missed"], warn=f["missed"] > 0),
        ],
    )
