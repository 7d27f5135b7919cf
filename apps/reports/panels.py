"""The home-page panel: this week's report for the manager (due Saturday), reports waiting for the
superior's review."""

from __future__ import annotations

from django.utils import timezone

from apps.org.access import can

from . import selectors


def reports_panel(request):
    user = request.user
    if not can(user, "reports.view"):
        return None
    monday = selectors.week_start(timezone.localdate())
    stores = list(selectors.report_stores_for(user=user, perm="reports.write")[:3])
    reports = {
        r.store_id: r for r in selectors.reports_for(user=user).filter(week_start=monday, store__in=stores)
    }
    return {
        "template": "reports/_home_panel.html",
        "order": 16,
        "css": "col-lg-4",
        "monday": monday,
        "due_on": selectors.due_on(monday),
        "entries": [{"store": s, "report": reports.get(s.pk)} for s in stores],
        "waiting": selectors.waiting_for_review(user=user).count(),
    }
