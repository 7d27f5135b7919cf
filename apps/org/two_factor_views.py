"""The two-factor pages under /accounts/two-factor/: status, setup, verify, and the two writes."""

import django_otp
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .forms import ConfirmIdentityForm, TwoFactorSetupForm, TwoFactorVerifyForm
from .two_factor import (
    NEW_CODES_SESSION_KEY,
    provisioning_qr,
    recovery_codes_left,
    recovery_codes_regenerate,
    safe_next,
    secret_for_display,
    totp_device_for,
    totp_device_pending,
    totp_device_pending_for,
    two_factor_disable,
    two_factor_enable,
    two_factor_forget_removed_device,
    two_factor_required,
)


def _status_page(request, *, codes_form=None, off_form=None, status=200):
    user = request.user
    device = totp_device_for(user) if user.two_factor_enabled else None
    context = {
        "device": device,
        "required": two_factor_required(user),
        "codes_left": recovery_codes_left(user) if device else 0,
        "new_codes": request.session.pop(NEW_CODES_SESSION_KEY, None),
        "next": safe_next(request, default=False),
        "codes_form": codes_form or ConfirmIdentityForm(request=request, prefix="codes"),
        "off_form": off_form or ConfirmIdentityForm(request=request, prefix="off"),
    }
    return render(request, "org/two_factor.html", context, status=status)


def _to_status(next_url=""):
    url = reverse("two_factor")
    return redirect(f"{url}?{urlencode({'next': next_url})}" if next_url else url)


@login_required
@never_cache
def two_factor(request):
    return _status_page(request)


@login_required
@never_cache
def two_factor_setup(request):
    user = request.user
    if user.two_factor_enabled and not user.is_verified():
        # Replacing the authenticator takes the current one first (the gate sends there too).
        return redirect("two_factor_verify")
    if request.method == "POST":
        device = totp_device_pending(user)
        if device is None:
            # A code posted for a key this page never showed (or one already used): show a key first.
            messages.error(request, _("Scan the code on this page, then enter the code your app shows."))
            return redirect(request.get_full_path())
    else:
        device = totp_device_pending_for(user=user)
    form = TwoFactorSetupForm(
        request.POST if request.method == "POST" else None, request=request, device=device
    )
    if form.is_valid():
        codes = two_factor_enable(user=user, device=device)
        django_otp.login(request, device)
        request.session.cycle_key()
        if codes:
            request.session[NEW_CODES_SESSION_KEY] = codes
        messages.success(request, _("Two-factor sign-in is on."))
        return _to_status(safe_next(request, default=False))
    return render(
        request,
        "org/two_factor_setup.html",
        {
            "form": form,
            "secret": secret_for_display(device),
            "qr": provisioning_qr(device.config_url),
            "account": user.get_username(),
            "required": two_factor_required(user),
            "next": safe_next(request, default=False),
        },
    )


@login_required
@never_cache
def two_factor_verify(request):
    user = request.user
    if user.is_verified():
        return redirect(safe_next(request))
    if totp_device_for(user) is None:
        if user.two_factor_enabled:
            two_factor_forget_removed_device(user=user)
        return redirect(safe_next(request))
    form = TwoFactorVerifyForm(request.POST if request.method == "POST" else None, user=user)
    if form.is_valid():
        django_otp.login(request, form.check.device)
        request.session.cycle_key()
        if form.check.used_recovery_code:
            left = recovery_codes_left(user)
            messages.warning(
                request,
                ngettext(
                    "You signed in with a recovery code; %(left)d is left. Make new ones on the two-factor page.",
                    "You signed in with a recovery code; %(left)d are left. Make new ones on the two-factor page.",
                    left,
                )
                % {"left": left},
            )
        return redirect(safe_next(request))
    return render(
        request, "org/two_factor_verify.html", {"form": form, "next": safe_next(request, default=False)}
    )


@login_required
@require_POST
def two_factor_recovery_codes(request):
    if not request.user.two_factor_enabled:
        return redirect("two_factor")
    form = ConfirmIdentityForm(request.POST, request=request, prefix="codes")
    if not form.is_valid():
        return _status_page(request, codes_form=form)
    request.session[NEW_CODES_SESSION_KEY] = recovery_codes_regenerate(user=request.user)
    messages.success(request, _("New recovery codes made; the old ones no longer work."))
    return redirect("two_factor")


@login_required
@require_POST
def two_factor_turn_off(request):
    user = request.user
    if not user.two_factor_enabled:
        return redirect("two_factor")
    if two_factor_required(user):
        messages.error(
            request,
            _(
                "Your role needs two-factor sign-in, so it cannot be turned off. "
                "To move it to a new phone, set it up again."
            ),
        )
        return redirect("two_factor")
    form = ConfirmIdentityForm(request.POST, request=request, prefix="off")
    if not form.is_valid():
        return _status_page(request, off_form=form)
    two_factor_disable(user=user)
    request.session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)
    messages.success(request, _("Two-factor sign-in is off."))
    return redirect("two_factor")
