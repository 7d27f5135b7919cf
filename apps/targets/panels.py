"""Home-page panels: the manager's dashboard, and each person's action steps and pay sheet."""

from apps.org.access import can

from .models import PaySheet


def dashboard_panel(request):
    if not can(request.user, "targets.view"):
        return None
    from .selectors import dashboard_for

    return {
        "template": "targets/_dashboard_panel.html",
        "order": 5,
        "css": "col-12",
        **dashboard_for(user=request.user),
    }


def my_targets_panel(request):
    from .selectors import steps_for_owner

    user = request.user
    steps = list(steps_for_owner(user=user)[:8])
    sheet = PaySheet.objects.filter(user=user).select_related("store").order_by("-month").first()
    letter = user.target_letters.filter(holder_signed_at__isnull=True).select_related("store").first()
    if not steps and sheet is None and letter is None:
        return None
    return {
        "template": "targets/_my_panel.html",
        "order": 30,
        "css": "col-lg-4",
        "steps": steps,
        "sheet": sheet,
        "letter": letter,
    }
