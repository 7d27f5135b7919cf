"""The capability an endpoint needs, checked with `apps.org.access.can` as the pages check it.

A view names it per action (`perms = {"list": "tickets.view", "comments.post": "tickets.work", ...}`); holding it in at least one
store opens the endpoint (as `perm_required` opens a page); the view then checks the object's
own store with `access.require`, and the selectors keep other stores' rows out (404).
"""

from __future__ import annotations

from rest_framework.permissions import BasePermission

from apps.org.access import can


class HoldsPerm(BasePermission):
    def has_permission(self, request, view):
        perms = getattr(view, "perms", {})
        action = getattr(view, "action", None) or ""
        method = request.method.lower()
        perm = perms.get(f"{action}.{method}", perms.get(action, perms.get("*")))
        return perm is None or can(request.user, perm)
