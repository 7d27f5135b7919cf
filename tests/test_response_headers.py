"""Response headers that keep a slipped-in script harmless and signed-in pages out of caches:
Content-Security-Policy (no inline script, no eval), Permissions-Policy, and no-store on every
signed-in page (never on static files). Every template is walked for inline script."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.test_settings import settings_in_subprocess

ROOT = Path(__file__).resolve().parent.parent

EXPECTED_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
NO_FEATURES = ("camera", "microphone", "geolocation", "payment", "usb", "display-capture")


def directives(header: str) -> dict[str, list[str]]:
    out = {}
    for part in filter(None, (p.strip() for p in header.split(";"))):
        name, *values = part.split()
        out[name] = values
    return out


def assert_trust_headers(headers) -> None:
    csp = directives(headers["Content-Security-Policy"])
    assert csp == EXPECTED_CSP
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    policy = headers["Permissions-Policy"]
    for feature in NO_FEATURES:
        assert f"{feature}=()" in policy


@pytest.mark.django_db
def test_the_sign_in_page_and_a_signed_in_page_carry_the_csp_and_permissions_policy(client_for, manager):
    anonymous = Client().get(reverse("login"))
    assert anonymous.status_code == 200
    assert_trust_headers(anonymous.headers)
    page = client_for(manager).get(reverse("home"))
    assert page.status_code == 200
    assert_trust_headers(page.headers)


@pytest.mark.django_db
def test_signed_in_pages_are_never_stored(client_for, manager):
    for url in (reverse("home"), reverse("customers:list"), reverse("customers:export")):
        response = client_for(manager).get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"], url


@pytest.mark.django_db
def test_static_files_keep_their_cache_lifetime_for_a_signed_in_user(settings, manager):
    settings.WHITENOISE_USE_FINDERS = True  # read when a client builds its middleware
    client = Client()
    client.force_login(manager)
    login_page = Client().get(reverse("login")).content.decode()
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', login_page)
    assert any(a.endswith(".css") for a in assets) and any(a.endswith(".js") for a in assets)
    for asset in assets:
        response = client.get(asset)
        assert response.status_code == 200, asset
        assert "no-store" not in response.get("Cache-Control", ""), asset
        assert "max-age" in response.get("Cache-Control", ""), asset


def test_production_responses_carry_the_csp_and_permissions_policy(tmp_path):
    """Under production settings (HTTPS, secure cookies, WhiteNoise's manifest storage swapped for
    the plain one so that the test needs no collectstatic): the sign-in page and its static files."""
    code = """
import json, django
django.setup()
from django.test import Client, override_settings
plain = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
with override_settings(STORAGES=plain, WHITENOISE_USE_FINDERS=True):
    c = Client(HTTP_HOST="dutydesk.example.com")
    page = c.get("/accounts/login/", secure=True)
    css = c.get("/static/css/dutydesk.css", secure=True)
print(json.dumps([page.status_code, dict(page.headers), css.status_code, dict(css.headers)]))
"""
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "k9$Vq2!mZ7#pL4@wX8^tR1&yB6*uN3(eH5)sD0_fG-jC+oA=iQ" * 2,
        "ALLOWED_HOSTS": "dutydesk.example.com",
        "DUTYDESK_VAR_DIR": str(tmp_path),
    }
    base = {k: v for k, v in __import__("os").environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**base, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    status, headers, css_status, css_headers = json.loads(result.stdout.strip().splitlines()[-1])
    assert status == 200 and css_status == 200
    assert_trust_headers(headers)
    assert "Strict-Transport-Security" in headers
    assert "no-store" not in css_headers.get("Cache-Control", "")


def test_production_settings_keep_the_csp_of_every_environment(tmp_path):
    out = settings_in_subprocess(
        "config.settings.production",
        {"SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "dutydesk.example.com", "DUTYDESK_VAR_DIR": str(tmp_path)},
        "s.CONTENT_SECURITY_POLICY['DIRECTIVES']['script-src'], 'csp.middleware.CSPMiddleware' in s.MIDDLEWARE",
    )
    assert out == "([\"'self'\"], True)"


# --- Templates: no inline script, no inline event handler, no javascript: URL -----------------

SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.I | re.S)
TAG = re.compile(r"<[a-zA-Z][^<>]*>", re.S)
EVENT_ATTRIBUTE = re.compile(r"""[\s"'](on[a-z]+|hx-on[:\w-]*)\s*=""", re.I)
JS_URL = re.compile(
    r"""(?:href|src|action|formaction|hx-(?:get|post|put|patch|delete))\s*=\s*["']?\s*javascript:""", re.I
)


def template_files() -> list[Path]:
    dirs = [ROOT / "templates", *sorted((ROOT / "apps").glob("*/templates"))]
    return sorted(p for d in dirs for p in d.rglob("*") if p.is_file())


def inline_script_problems(text: str) -> list[str]:
    problems = []
    for attrs, body in SCRIPT.findall(text):
        if body.strip() and "application/json" not in attrs:
            problems.append(f"inline <script>: {body.strip()[:60]!r}")
    for tag in TAG.findall(text):
        for attribute in EVENT_ATTRIBUTE.findall(tag):
            problems.append(f"{attribute}= in {tag[:80]!r}")
    problems += [f"javascript: URL {m[:60]!r}" for m in JS_URL.findall(text)]
    return problems


def test_no_template_has_an_inline_script_or_event_handler():
    found = [
        f"{path.relative_to(ROOT)}: {problem}"
        for path in template_files()
        for problem in inline_script_problems(path.read_text(encoding="utf-8"))
    ]
    assert template_files() and not found, "\n".join(found)


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        '<script type="module">\n import x from "y";\n</script>',
        '<button onclick="window.print()">',
        '<body onload="go()">',
        '<div hx-on:click="alert(1)">',
        '<a href="javascript:alert(1)">',
    ],
)
def test_the_template_check_finds_each_kind_of_inline_script(html):
    assert inline_script_problems(html)


def test_the_template_check_lets_script_files_and_data_attributes_pass():
    ok = '<script src="/static/js/x.js"></script><button data-print data-confirm="Sure?">Print</button>'
    assert not inline_script_problems(ok + "<p>Turn the phone on=off</p>")
