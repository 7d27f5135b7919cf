"""Sessions end after a while without activity and at the latest some hours after sign-in.

The sign-in time and the time of the last activity live in the session. Background polling (htmx
`hx-trigger="every ..."`, which sends the `BACKGROUND_HEADER`) is not activity: a page left open
with its bell polling still times out. After either limit the person is signed out and sent to
the sign-in page with a message; an htmx request is redirected there with `HX-Redirect`.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

SIGNED_IN_AT = "dutydesk_signed_in_at"
LAST_SEEN_AT = "dutydesk_last_seen_at"
# Sent by polling elements (hx-headers); such requests never count as activity.
BACKGROUND_HEADER = "X-Background"
# The last-activity mark is written at most this often, so that not every request saves the session.
RESOLUTION = 30


def mark_signed_in(sender, request, user, **kwargs) -> None:
    """`user_logged_in` receiver: the session remembers when the person signed in."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SIGNED_IN_AT] = now
        request.session[LAST_SEEN_AT] = now


def is_background(request) -> bool:
    return request.headers.get(BACKGROUND_HEADER) == "1"


def expiry_reason(session, now: float) -> str | None:
    """Why this session is over ("idle" / "absolute"), or None while it is still good."""
    signed_in = session.get(SIGNED_IN_AT)
    if signed_in is None:
        return "absolute"
    if now - signed_in > settings.SESSION_ABSOLUTE_TIMEOUT:
        return "absolute"
    if now - session.get(LAST_SEEN_AT, signed_in) > settings.SESSION_IDLE_TIMEOUT:
        return "idle"
    return None


class SessionLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            reason = expiry_reason(request.session, now)
            if reason is not None:
                return self._expired(request, reason)
            if not is_background(request) and now - request.session.get(LAST_SEEN_AT, 0) >= RESOLUTION:
                request.session[LAST_SEEN_AT] = int(now)
        return self.get_response(request)

    def _expired(self, request, reason: str) -> HttpResponse:
        logout(request)
        if reason == "idle":
            minutes = settings.SESSION_IDLE_TIMEOUT // 60
            text = ngettext(
                "You were signed out after %(minutes)d minute without activity. Please sign in again.",
                "You were signed out after %(minutes)d minutes without activity. Please sign in again.",
                minutes,
            ) % {"minutes": minutes}
        else:
            text = _("Your session has reached its time limit. Please sign in again.")
        messages.info(request, text)
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = resolve_url(settings.LOGIN_URL)
            return response
        if request.method == "GET":
            return redirect_to_login(request.get_full_path())
        return redirect_to_login(resolve_url(settings.LOGIN_REDIRECT_URL))
