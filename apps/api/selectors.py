"""Reads of API tokens: a person's own, and the one a request presents."""

from __future__ import annotations

import hashlib

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import ApiToken

TOKEN_PREFIX = "dd_"


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def api_tokens_of(*, user) -> QuerySet[ApiToken]:
    """The user's tokens, newest first (revoked ones too, marked)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def api_token_get_for(*, user, pk: int) -> ApiToken:
    """One of the user's own tokens (anyone else's: 404)."""
    return get_object_or_404(ApiToken, user=user, pk=pk)


def api_token_for_secret(secret: str) -> ApiToken | None:
    """The active token whose secret this is, with its user; None for anything else."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    return ApiToken.objects.active().select_related("user").filter(digest=token_digest(secret)).first()
