"""The home-page panels: this week's report for the manager (due Saturday), reports waiting for the
superior's review; the station manager's monthly quality meeting pack."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from apps.org.access import can
from apps.org.models import StoreKind

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


def quality_panel(request):
    """The station manager's link to the monthly quality meeting pack (stations only)."""
    user = request.user
    # Through the memberships already loaded for the menu: no query for anyone else.
    if not any(
        m.store.kind == StoreKind.SERVICE_STATION and can(user, "reports.view", m.store)
        for m in user.active_memberships
    ):
        return None
    stores = list(selectors.quality_stores_for(user=user)[:3])
    if not stores:
        return None
    today = timezone.localdate()
    this_month = today.replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    overdue = selectors.actions_overdue_count(stores=stores, today=today)
    return {
        "template": "reports/_quality_panel.html",
        "order": 17,
        "css": "col-lg-4",
        "stores": stores,
        "this_month": this_month,
        "last_month": last_month,
        "overdue": overdue,
    }
