"""Forms of the organisation app: two-factor sign-in, and the password change through the lockout."""

from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .passwords import PasswordRefused, password_confirm
from .two_factor import CodeCheck, code_check, device_code_check, password_confirms

CODE_MAX_LENGTH = 64


def _code_field(label, *, required=True, help_text="", numeric=False):
    attrs = {"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "off"}
    if numeric:
        attrs["inputmode"] = "numeric"
    return forms.CharField(
        label=label,
        required=required,
        max_length=CODE_MAX_LENGTH,
        help_text=help_text,
        widget=forms.TextInput(attrs=attrs),
    )


def _password_field(label, *, required=True):
    return forms.CharField(
        label=label,
        required=required,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


def _refusal(check: CodeCheck, *, recovery: bool = True) -> forms.ValidationError:
    if check.wait_seconds:
        return forms.ValidationError(
            ngettext(
                "Too many wrong codes. Wait %(seconds)d second, then try again.",
                "Too many wrong codes. Wait %(seconds)d seconds, then try again.",
                check.wait_seconds,
            ),
            code="throttled",
            params={"seconds": check.wait_seconds},
        )
    if recovery:
        message = _(
            "That code is not valid. Check that the time on your phone is right, or use a recovery code."
        )
    else:
        message = _("That code is not valid. Check that the time on your phone is right.")
    return forms.ValidationError(message, code="invalid_code")


class TwoFactorVerifyForm(forms.Form):
    """The second step of signing in: a code from the authenticator app, or a recovery code."""

    code = _code_field(
        _("Code"), help_text=_("The 6-digit code from your authenticator app, or one of your recovery codes.")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.check: CodeCheck | None = None
        self.fields["code"].widget.attrs["autofocus"] = True

    def clean_code(self):
        self.check = code_check(user=self.user, code=self.cleaned_data["code"])
        if not self.check.ok:
            raise _refusal(self.check)
        return self.cleaned_data["code"]


class TwoFactorSetupForm(forms.Form):
    """Confirms a new authenticator with its first code; the password keeps a borrowed session
    from tying the account to someone else's phone."""

    code = _code_field(_("Code shown by the app"), numeric=True)
    password = _password_field(_("Current password"))

    def __init__(self, *args, request, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.device = device

    def clean(self):
        cleaned = super().clean()
        password, code = cleaned.get("password"), cleaned.get("code")
        if password is None or code is None:
            return cleaned
        if not password_confirms(self.request, self.request.user, password):
            self.add_error("password", _("That password is not correct."))
            return cleaned
        check = device_code_check(user=self.request.user, device=self.device, code=code)
        if not check.ok:
            self.add_error("code", _refusal(check, recovery=False))
        return cleaned


class ConfirmIdentityForm(forms.Form):
    """A write to one's own two-factor settings: the current password, or a current code."""

    password = _password_field(_("Current password"), required=False)
    code = _code_field(_("or a code from your authenticator app"), required=False, numeric=True)

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean(self):
        cleaned = super().clean()
        password, code = cleaned.get("password"), cleaned.get("code")
        user = self.request.user
        if code:
            check = code_check(user=user, code=code, recovery=False)
            if not check.ok:
                raise _refusal(check, recovery=False)
        elif password:
            if not password_confirms(self.request, user, password):
                raise forms.ValidationError(_("That password is not correct."), code="wrong_password")
        else:
            raise forms.ValidationError(
                _("Enter your current password or a code from your authenticator app."), code="required"
            )
        return cleaned


class LockoutPasswordChangeForm(PasswordChangeForm):
    """Django's password change, with the old password checked through the sign-in lockout."""

    def __init__(self, user, *args, request, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        try:
            password_confirm(request=self.request, user=self.user, password=old_password)
        except PasswordRefused as exc:
            raise ValidationError(str(exc), code="password_incorrect") from None
        return old_password
