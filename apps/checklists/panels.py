"""The manager's home-page panel and the open-matters provider of the checklists app (the clerk's
shift panel, with the handover waiting, is the handovers app's)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.org.access import can, stores_where

from .models import ChecklistRun, FailureState, ItemFailure, RunState
from .open_matters import OpenMatter


def manager_panel(request):
    user = request.user
    if not can(user, "checklists.board"):
        return None
    today = timezone.localdate()
    stores = stores_where(user, "checklists.board")
    runs = ChecklistRun.objects.filter(store__in=stores, date=today)
    counts = dict.fromkeys(RunState.values, 0)
    for state in runs.values_list("state", flat=True):
        counts[state] += 1
    failures = ItemFailure.objects.filter(store__in=stores, state=FailureState.OPEN)
    return {
        "template": "checklists/_manager_panel.html",
        "order": 12,
        "css": "col-lg-3",
        "counts": [(RunState(s).label, s, n) for s, n in counts.items()],
        "open_failures": failures.count(),
        "repeated": failures.filter(repeated=True).count(),
        "board_url": reverse("checklists:board"),
    }


def failed_items_of(*, user, store) -> list[OpenMatter]:
    failures = (
        ItemFailure.objects.filter(raised_by=user, store=store, state=FailureState.OPEN)
        .select_related("item", "run")
        .order_by("raised_at")
    )
    return [
        OpenMatter(
            kind="checklist_item",
            label=_("Failed check: %(item)s — %(note)s") % {"item": f.item.text, "note": f.note},
            url=f.run.get_absolute_url(),
            since=f.raised_at,
            ref=f"checklist_failure:{f.pk}",
        )
        for f in failures
    ]
