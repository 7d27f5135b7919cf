"""The clerk's home-page panel: today's checklist runs, the handover waiting, reminders.

It lives here, above checklists, because it shows both: the runs and reminders are read through
checklists' selectors, the handovers through this app's."""

from __future__ import annotations

from apps.checklists.selectors import notifications_for, runs_today_for
from apps.org.access import can

from .selectors import open_handovers_of


def shift_panel(request):
    """The clerk's shift: today's runs, the handover waiting to be accepted, reminders."""
    user = request.user
    if not can(user, "checklists.run"):
        return None
    runs = runs_today_for(user=user)
    handovers = open_handovers_of(user=user)
    return {
        "template": "handovers/_shift_panel.html",
        "order": 10,
        "css": "col-lg-5",
        "runs": runs,
        "handovers": handovers,
        "notifications": notifications_for(user=user),
    }
