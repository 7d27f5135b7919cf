"""The web app manifest (`/manifest.webmanifest`): DutyDesk added to a phone's home screen opens
like an app (its own window, the header's colour, the icons in static/icons/, drawn by
scripts/make_icons.py).

Public: browsers fetch the manifest without the session cookie. It names the app in the language
the request asks for (岗位服务台 in Chinese).
"""

from django.http import JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

THEME_COLOUR = "#0d6efd"  # Bootstrap's primary: the header (navbar bg-primary)
BACKGROUND_COLOUR = "#f6f7f9"  # the page (static/css/dutydesk.css)
CONTENT_TYPE = "application/manifest+json"


def manifest_data() -> dict:
    name = _("DutyDesk")
    return {
        "name": name,
        "short_name": name,
        "lang": get_language(),
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "orientation": "any",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {
                "src": static("icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }


@require_GET
def manifest(request):
    response = JsonResponse(
        manifest_data(), content_type=CONTENT_TYPE, json_dumps_params={"ensure_ascii": False}
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response
