"""Who calls the API: a personal token (`Authorization: Bearer dd_…`), or the browser's session.

The session keeps Django's CSRF check (DRF's `SessionAuthentication` enforces it on every unsafe
method); a token needs none, since a browser never sends it by itself.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from . import selectors, services


class TokenAuthentication(authentication.BaseAuthentication):
    keywords = (b"bearer", b"token")

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() not in self.keywords:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Send the token as “Authorization: Bearer <token>”."))
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("The token is not valid or was revoked.")) from None
        token = selectors.api_token_for_secret(secret)
        if token is None:
            raise exceptions.AuthenticationFailed(_("The token is not valid or was revoked."))
        services.api_token_used(token=token)
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class SessionAuthentication(authentication.SessionAuthentication):
    """The signed-in browser, with CSRF; a session that still owes its two-factor code is not one."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None and not services.two_factor_satisfied(result[0]):
            return None
        return result


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "apps.api.authentication.TokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": str(_("A personal API token, made on the “API tokens” page of your profile.")),
        }


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "apps.api.authentication.SessionAuthentication"
    name = "session"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}
