"""Headers every DutyDesk page carries besides the CSP (django-csp sets that one).

- `Permissions-Policy`: no page may use the camera, microphone, location, payment and similar
  browser features (settings.PERMISSIONS_POLICY), so a script that slipped in could not either.
- Signed-in pages are never stored by the browser or a proxy (`Cache-Control: no-store` with
  Django's never-cache headers): after signing out, the back button or a shared computer's cache
  does not show customer files again. Static files never reach this middleware (WhiteNoise answers
  them first) and keep their long cache lifetimes.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.cache import add_never_cache_headers


def permissions_policy_header(policy: dict[str, list[str]]) -> str:
    """{"camera": [], "fullscreen": ["self"]} -> 'camera=(), fullscreen=(self)'."""
    return ", ".join(f"{feature}=({' '.join(allow)})" for feature, allow in policy.items())


class ResponseHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = permissions_policy_header(settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        if self.permissions_policy:
            response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
