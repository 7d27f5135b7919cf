"""The home-page panel of the two-day rule: late customer files for their owner and the manager."""

from apps.org.access import can

from .selectors import late_files_summary


def late_files_panel(request):
    user = request.user
    if not can(user, "customers.view"):
        return None
    late = late_files_summary(user=user)
    if not late["total"]:
        return None
    return {"template": "customers/_home_panel.html", "order": 40, "css": "col-lg-4", "late": late}
