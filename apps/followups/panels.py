"""The after-sales home panel: today's queue and this month's KPIs (the bell is in the header)."""

from django.utils import timezone

from apps.org.access import can, stores_where

from .panel_targets import panel_targets
from .selectors import followup_kpis, queue_counts


def home_panel(request):
    user = request.user
    if not can(user, "followups.view"):
        return None
    stores = list(stores_where(user, "followups.view").values_list("pk", flat=True))
    mine = not can(user, "followups.assign")
    kpis = followup_kpis(stores=stores, user=user if mine else None, month=timezone.localdate())
    return {
        "template": "followups/_home_panel.html",
        "order": 20,
        "css": "col-lg-4",
        "counts": queue_counts(user=user, mine=mine),
        "kpis": kpis,
        "targets": panel_targets(stores),
        "mine": mine,
    }
