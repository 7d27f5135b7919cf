"""Home-page panels: the person's shift today with the check-in button, and late arrivals for the
manager."""

from __future__ import annotations

from django.utils import timezone

from apps.org.access import can

from . import selectors


def arrival_panel(request):
    user = request.user
    if not can(user, "roster.view"):
        return None
    today = timezone.localdate()
    stores = [m.store for m in user.active_memberships]
    if not stores:
        return None
    shifts = {s.store_id: s for s in selectors.shifts_of_user(user=user, start=today, end=today)}
    checks = {c.store_id: c for c in selectors.check_ins_of(user=user, day=today)}
    seen = set()
    entries = []
    for store in stores:
        if store.pk in seen:
            continue
        seen.add(store.pk)
        entries.append({"store": store, "shift": shifts.get(store.pk), "check_in": checks.get(store.pk)})
    if not any(e["shift"] or e["check_in"] for e in entries):
        entries = entries[:1]
    return {
        "template": "roster/_arrival_panel.html",
        "order": 5,
        "css": "col-lg-4",
        "entries": entries,
        "early": selectors.arrive_early_minutes(),
    }


def late_arrivals_panel(request):
    user = request.user
    if not can(user, "roster.plan"):
        return None
    today = timezone.localdate()
    monday = selectors.week_start(today)
    stores = selectors.roster_stores_for(user=user, perm="roster.plan")
    late = list(selectors.late_arrivals(stores=stores, start=monday, end=today)[:5])
    return {
        "template": "roster/_late_panel.html",
        "order": 14,
        "css": "col-lg-4",
        "late": late,
        "late_count": selectors.late_arrivals(stores=stores, start=monday, end=today).count(),
        "pending": selectors.requests_for(user=user, state="pending").exclude(requester=user).count(),
        "since": monday,
        "until": today,
    }
