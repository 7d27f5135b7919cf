"""DutyDesk can be added to a phone's home screen: a web app manifest, linked from every page, with
icons that exist in the sizes it names."""

import json

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from PIL import Image

from apps.org.web_manifest import THEME_COLOUR

pytestmark = pytest.mark.django_db


def _manifest(client, **headers):
    response = client.get("/manifest.webmanifest", **headers)
    assert response.status_code == 200
    return response, json.loads(response.content)


def _static_path(url: str) -> str:
    path = finders.find(url.removeprefix("/static/"))
    assert path, f"{url} is not a static file"
    return path


def test_the_manifest_is_served_to_anyone_as_a_web_app_manifest():
    """Browsers fetch the manifest without the session cookie: it answers signed out."""
    response, data = _manifest(Client())
    assert response["Content-Type"] == "application/manifest+json"
    assert data["display"] == "standalone"
    assert data["start_url"] == "/" and data["scope"] == "/"
    assert data["theme_color"] == THEME_COLOUR


def test_the_manifest_names_the_app_in_the_language_asked_for():
    _response, zh = _manifest(Client(), HTTP_ACCEPT_LANGUAGE="zh-hans")
    _response, en = _manifest(Client(), HTTP_ACCEPT_LANGUAGE="en")
    assert zh["name"] == "岗位服务台" and zh["lang"] == "zh-hans"
    assert en["name"] == "DutyDesk" and en["short_name"] == "DutyDesk"


def test_every_icon_the_manifest_names_exists_as_a_png_of_its_size():
    _response, data = _manifest(Client())
    sizes = set()
    for icon in data["icons"]:
        assert icon["type"] == "image/png"
        with Image.open(_static_path(icon["src"])) as image:
            assert image.format == "PNG"
            assert f"{image.width}x{image.height}" == icon["sizes"]
        sizes.add(icon["sizes"])
    assert {"192x192", "512x512"} <= sizes
    assert any(icon.get("purpose") == "maskable" for icon in data["icons"])


def test_every_page_links_the_manifest_and_the_home_screen_icons(client_for, clerk):
    """The sign-in page and a signed-in page (both from base.html) link the manifest, the theme
    colour and an apple-touch-icon of 180 px; the manifest refuses a post."""

    for client, url in ((Client(), "/accounts/login/"), (client_for(clerk), "/")):
        html = client.get(url).content.decode()
        assert '<link rel="manifest" href="/manifest.webmanifest">' in html
        assert f'<meta name="theme-color" content="{THEME_COLOUR}">' in html
        assert 'rel="apple-touch-icon" href="/static/icons/apple-touch-icon.png"' in html
    with Image.open(_static_path("/static/icons/apple-touch-icon.png")) as image:
        assert image.size == (180, 180) and image.mode == "RGB"  # iOS shows transparency as black
    assert Client().post("/manifest.webmanifest").status_code == 405
