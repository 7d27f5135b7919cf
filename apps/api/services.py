"""Writes on API tokens: make one (the secret is returned once), revoke one, note its use.

Making a token asks what signing in asks: a person who has two-factor sign-in on, or whose role
tier requires it (`MFA_REQUIRED_TIERS`), must have given their code in this session. A token is
made only from the profile page (a signed-in session), never with another token.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.org.models import User
from apps.org.two_factor import two_factor_required

from .models import ApiToken
from .selectors import TOKEN_PREFIX, token_digest

MAX_ACTIVE_TOKENS = 20
NAME_MAX_LENGTH = 60
# `last_used_at` is written at most this often per token, not on every request.
USE_RECORDED_EVERY = dt.timedelta(minutes=1)


def two_factor_satisfied(user: User) -> bool:
    """The sign-in rule: two-factor on or required means a code was given in this session."""
    if not (user.two_factor_enabled or two_factor_required(user)):
        return True
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified is not None and is_verified())


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`: (the token, its secret). The secret is not kept anywhere."""
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied
    if not two_factor_satisfied(user):
        raise ValidationError(_("Confirm your two-factor sign-in code before making an API token."))
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Give the token a name, e.g. the system that will use it."))
    if len(name) > NAME_MAX_LENGTH or "\x00" in name:
        raise ValidationError(_("The name is at most %(n)s characters.") % {"n": NAME_MAX_LENGTH})
    User.objects.select_for_update().filter(pk=user.pk).first()  # one count at a time per person
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            _(
                "You already have the most active tokens a person may have (%(n)s); revoke one you no longer use first."
            )
            % {"n": MAX_ACTIVE_TOKENS}
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=secret[:10], digest=token_digest(secret))
    return token, secret


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User) -> ApiToken:
    """Revoke a token of one's own; it stops working at once and stays listed as revoked."""
    if token.user_id != by.pk:
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_used(*, token: ApiToken, now: dt.datetime | None = None) -> None:
    """Note that the token was used (at most once a minute: a write per request would queue)."""
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= USE_RECORDED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
