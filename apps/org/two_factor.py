"""Two-factor sign-in: who must use it, the gate that asks for it, and the writes that set it up.

django-otp does the cryptography and the throttling: one TOTP device (an authenticator app) per
user, and one static device holding their recovery codes. This module decides the rest.

- `two_factor_required(user)`: the user holds a tier of `MFA_REQUIRED_TIERS` (superusers and staff
  count as admin). Everyone else may turn two-factor on for themselves.
- `TwoFactorMiddleware`: after the password step (Django's LoginView, untouched, so the sign-in
  lockout still sees every password), a user with two-factor on who has not yet given a code in
  this session is sent to verify; a required user without it is sent to set it up. Until then
  only that page, sign-out, the language switch, /healthz and static files answer; the Django
  admin is no exception.
- `User.two_factor_enabled` mirrors "has a confirmed authenticator", so that the gate costs no
  query per request; the services below keep it in step, and the verify page repairs it when an
  administrator removed a lost device.
"""

from __future__ import annotations

import math
import re
from base64 import b32encode
from dataclasses import dataclass

import django_otp
import qrcode
from django.conf import settings
from django.core import checks
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django_htmx.http import HttpResponseClientRedirect
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import RoleTier
from .passwords import PasswordRefused, password_confirm
from .redirects import is_safe_next

RECOVERY_CODE_COUNT = 10
# Shown once on the two-factor page after they were made, then gone from the session.
NEW_CODES_SESSION_KEY = "two_factor_new_codes"
AUTHENTICATOR_NAME = "authenticator"
PENDING_NAME = "authenticator (not confirmed)"
RECOVERY_NAME = "recovery codes"


# --- who ----------------------------------------------------------------------------------------


def two_factor_required(user) -> bool:
    required = set(settings.MFA_REQUIRED_TIERS)
    if not required or not user.is_authenticated:
        return False
    tiers = set(user.tiers) | ({RoleTier.ADMIN.value} if user.is_staff else set())
    return bool(tiers & required)


@checks.register(checks.Tags.security)
def check_required_tiers(app_configs=None, **kwargs):
    """A misspelt tier in MFA_REQUIRED_TIERS would silently require two-factor of no one."""
    unknown = sorted(set(settings.MFA_REQUIRED_TIERS) - set(RoleTier.values))
    if not unknown:
        return []
    return [
        checks.Error(
            f"MFA_REQUIRED_TIERS names unknown role tiers: {', '.join(unknown)}",
            hint=f"Use some of: {', '.join(RoleTier.values)}.",
            id="org.E001",
        )
    ]


# --- reads --------------------------------------------------------------------------------------


def totp_device_for(user) -> TOTPDevice | None:
    """The user's confirmed authenticator, if any."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("-pk").first()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def secret_for_display(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, as authenticator apps take it when typed in."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@dataclass(frozen=True)
class QrPicture:
    """A QR code as the template draws it: `size` modules square (quiet zone included) and the
    dark modules as horizontal runs (x, y, width)."""

    size: int
    runs: list[tuple[int, int, int]]


def provisioning_qr(uri: str) -> QrPicture:
    qr = qrcode.QRCode(border=4, error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(uri)
    qr.make(fit=True)
    matrix = qr.get_matrix()
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                runs.append((start, y, x - start))
            else:
                x += 1
    return QrPicture(size=len(matrix), runs=runs)


# --- checks -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CodeCheck:
    device: Device | None = None  # the device that accepted the code
    wait_seconds: int = 0  # > 0: too many wrong codes, the device refuses to check for this long

    @property
    def ok(self) -> bool:
        return self.device is not None

    @property
    def used_recovery_code(self) -> bool:
        return isinstance(self.device, StaticDevice)


def normalise_code(code: str) -> str:
    return re.sub(r"[\s-]+", "", code or "").lower()


def code_check(*, user, code: str, recovery: bool = True) -> CodeCheck:
    """Checks a code against the user's authenticator (six digits) or, with `recovery`, against
    their recovery codes (used up when accepted). django-otp throttles each device: after n wrong
    codes it refuses to check for factor × 2^(n-1) seconds, right codes included."""
    code = normalise_code(code)
    totp = totp_device_for(user)
    if totp is None or not code:
        return CodeCheck()
    if re.fullmatch(rf"[0-9]{{{totp.digits}}}", code):
        return device_code_check(user=user, device=totp, code=code)
    if not recovery:
        return CodeCheck()
    static = StaticDevice.objects.devices_for_user(user, confirmed=True).first()
    return device_code_check(user=user, device=static, code=code) if static else CodeCheck()


def device_code_check(*, user, device: Device, code: str) -> CodeCheck:
    allowed, info = device.verify_is_allowed()
    if not allowed:
        locked_until = (info or {}).get("locked_until")
        wait = (locked_until - timezone.now()).total_seconds() if locked_until else 1
        return CodeCheck(wait_seconds=max(1, math.ceil(wait)))
    return CodeCheck(device=django_otp.verify_token(user, device.persistent_id, normalise_code(code)))


def password_confirms(request, user, password: str) -> bool:
    """Re-entering the password: the one password check (`passwords.password_confirm`), so the
    sign-in lockout counts it."""
    try:
        password_confirm(request=request, user=user, password=password)
    except PasswordRefused:
        return False
    return True


# --- writes -------------------------------------------------------------------------------------


def totp_device_pending(user) -> TOTPDevice | None:
    """The authenticator being set up, if the setup page was shown."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()


def totp_device_pending_for(*, user) -> TOTPDevice:
    """The authenticator being set up: unconfirmed until its first code is checked, and kept
    across reloads of the setup page so that the QR code does not change under the person."""
    pending = totp_device_pending(user)
    return pending or TOTPDevice.objects.create(user=user, name=PENDING_NAME, confirmed=False)


@transaction.atomic
def two_factor_enable(*, user, device: TOTPDevice) -> list[str]:
    """Makes `device` (its first code already checked) the user's one authenticator, replacing
    any earlier one. Returns new recovery codes, for showing once, when the user had none left."""
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.name = AUTHENTICATOR_NAME
    device.save(update_fields=["confirmed", "name"])
    codes = [] if recovery_codes_left(user) else recovery_codes_regenerate(user=user)
    _set_enabled(user, True)
    return codes


@transaction.atomic
def recovery_codes_regenerate(*, user) -> list[str]:
    """Replaces the user's recovery codes with RECOVERY_CODE_COUNT new ones, each good once."""
    device = StaticDevice.objects.filter(user=user).order_by("pk").first()
    if device is None:
        device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.token_set.all().delete()
    codes: set[str] = set()
    while len(codes) < RECOVERY_CODE_COUNT:
        codes.add(StaticToken.random_token())
    ordered = sorted(codes)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in ordered)
    return ordered


@transaction.atomic
def two_factor_disable(*, user) -> None:
    """Removes the authenticator and the recovery codes; the caller checks the user may."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    _set_enabled(user, False)


def two_factor_forget_removed_device(*, user) -> None:
    """The flag said "on" but no authenticator is left (an administrator removed a lost one)."""
    StaticDevice.objects.filter(user=user).delete()
    _set_enabled(user, False)


def _set_enabled(user, value: bool) -> None:
    if user.two_factor_enabled != value:
        user.two_factor_enabled = value
        user.save(update_fields=["two_factor_enabled"])


# --- the gate -----------------------------------------------------------------------------------


def safe_next(request, *, default: bool = True) -> str:
    """`next` from the request when it stays on this site; else LOGIN_REDIRECT_URL (or "")."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if is_safe_next(request, target):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL) if default else ""


def pending_step(request) -> str | None:
    """The URL name of the two-factor step this request's user still owes, if any."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return None
    if user.two_factor_enabled:
        return "two_factor_verify"
    if two_factor_required(user):
        return "two_factor_setup"
    return None


class TwoFactorMiddleware:
    """Sends a signed-in user who owes a two-factor step to it; goes after AuthenticationMiddleware
    and django_otp's OTPMiddleware. htmx requests get HX-Redirect, so the whole page changes
    instead of a fragment being swapped for the verify page."""

    OPEN_URL_NAMES = ("logout", "set_language", "healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._always_open(request.path):
            return self.get_response(request)
        step = pending_step(request)
        if step is None:
            return self.get_response(request)
        url = reverse(step)
        if request.path == url:
            return self.get_response(request)
        if request.method == "GET":
            url = f"{url}?{urlencode({'next': request.get_full_path()})}"
        if request.headers.get("HX-Request") == "true":
            return HttpResponseClientRedirect(url)
        return HttpResponseRedirect(url)

    def _always_open(self, path: str) -> bool:
        if settings.STATIC_URL and path.startswith(settings.STATIC_URL):
            return True
        return path in {reverse(name) for name in self.OPEN_URL_NAMES}
