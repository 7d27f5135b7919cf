"""Forms of the organisation app."""

from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError

from .passwords import PasswordRefused, password_confirm


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
