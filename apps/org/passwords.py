"""Passwords typed into pages, and the sign-in lockout they share (django-axes).

Every password a page asks for — sign-in, the old password on the password page, a signature, a
witness or a second person at the counter — is checked by `password_confirm`, which goes through
`django.contrib.auth.authenticate` with the request. Axes therefore counts each failure against
the user name and against the address, and refuses a locked user name or address, exactly as at
sign-in; the answer never says which of the two went wrong, nor whether a person exists.

A failure is recorded in the database by axes' signal handler: call `password_confirm` outside
any transaction that the caller may roll back, or the failure is rolled back with it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib.auth import authenticate
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import User

log = logging.getLogger("apps.org.lockout")

PASSWORD_REFUSED = _("The password is not correct, or this account is locked for now.")


class PasswordRefused(Exception):
    """The one answer to a wrong password, an unknown or ineligible person, or a lockout."""

    def __init__(self, message=PASSWORD_REFUSED):
        super().__init__(str(message))


def client_address(request: HttpRequest) -> str | None:
    """The client's address for the lockout (axes' AXES_CLIENT_IP_CALLABLE).

    Behind `TRUSTED_PROXY_COUNT` proxies, each appending its peer to X-Forwarded-For, the client is
    the entry the nearest of them appended (that many from the right); entries further left are
    whatever the client sent and are never trusted. With no proxy, REMOTE_ADDR.
    """
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count > 0:
        hops = [h.strip() for h in request.headers.get("x-forwarded-for", "").split(",") if h.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR")


def password_confirm(*, request: HttpRequest, user: User | None, password: str) -> User:
    """Confirm that `password` is `user`'s, through the sign-in lockout; return the user.

    Raises `PasswordRefused` (one message whatever the cause) when the password is wrong, the
    person is missing or inactive, or their user name or the client's address is locked out.
    """
    confirmed = None
    if user is not None and user.is_active and password:
        confirmed = authenticate(request=request, username=user.get_username(), password=password)
        # Axes flags the request so that its middleware turns the response into the lockout page;
        # a password checked inside a page answers in that page instead, with the one message.
        if getattr(request, "axes_locked_out", False):
            request.axes_locked_out = False
    if confirmed is None or confirmed.pk != user.pk:
        raise PasswordRefused
    return confirmed


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """The page a locked-out sign-in gets (axes' AXES_LOCKOUT_CALLABLE): 429, in the layout."""
    cool_off = get_cool_off(request)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "cooloff_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    return render(request, "registration/locked_out.html", context, status=429)


def locked_usernames(usernames: Iterable[str]) -> set[str]:
    """Those of `usernames` that are locked out now (failures within the cool-off at the limit)."""
    names = [n for n in usernames if n]
    if not names:
        return set()
    since = timezone.now() - get_cool_off()
    limit = get_failure_limit(None, None)
    rows = (
        AccessAttempt.objects.filter(username__in=names, attempt_time__gte=since)
        .values("username")
        .annotate(failures=Sum("failures_since_start"))
        .filter(failures__gte=limit)
    )
    return {row["username"] for row in rows}


def lockout_clear(*, user: User, by: User) -> int:
    """Lift the lockout of `user`'s user name (an admin's action); returns the records removed."""
    count = reset(username=user.get_username())
    log.warning(
        "Sign-in lockout lifted: user name %r by %r (%d records).", user.get_username(), str(by), count
    )
    return count


def log_lockout(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    """axes' `user_locked_out` receiver: one WARNING line per lockout, naming user name and address."""
    log.warning(
        "Sign-in locked out: user name %r, address %s, after %s failures (path %s).",
        username,
        ip_address,
        getattr(settings, "AXES_FAILURE_LIMIT", "?"),
        getattr(request, "path", "?"),
    )
