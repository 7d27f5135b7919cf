"""The OpenAPI document validates, Swagger UI comes from DutyDesk's own static files, the document
and every error speak the caller's language, and every error is JSON."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client

from tests.factories.customers import customer


def test_the_schema_validates_without_a_warning(db):
    """`manage.py spectacular --validate --fail-on-warn`: a warning (an untyped field, a path id of
    unknown type, two names for one choice set) fails it."""
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", stdout=out)
    assert '"openapi": "3' in out.getvalue()


def test_the_schema_and_the_docs_are_for_signed_in_people_only(db):
    assert Client().get("/api/schema/").status_code in (401, 403)
    assert Client().get("/api/docs/").status_code in (401, 403)


def test_swagger_ui_is_served_from_our_static_files_with_no_inline_script(client_for, clerk):
    client = client_for(clerk)
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    sources = re.findall(r'<script src="([^"]+)"', html)
    assert sources and all(src.startswith("/") and not src.startswith("//") for src in sources), sources
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in sources
    assert not re.search(r"<script>(?!\s*</script>)", html), "no inline script: the CSP allows none"
    assert not re.search(r"https?://(?!testserver)", html), "nothing from a CDN"
    script = client.get(sources[-1])
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


@pytest.mark.parametrize(("language", "label"), [("zh-hans", "投诉"), ("en", "Complaint")])
def test_the_schema_speaks_the_callers_language(client_for, clerk, language, label):
    """Descriptions and choice labels go through gettext: the document comes in the caller's language."""
    response = client_for(clerk).get("/api/schema/", {"format": "json", "lang": language})
    assert response.status_code == 200
    assert label in response.content.decode()


@pytest.mark.parametrize(
    ("language", "message"),
    [("zh-hans", "身份认证信息未提供。"), ("en", "Authentication credentials were not provided.")],
)
def test_errors_are_json_in_the_callers_language(db, language, message):
    response = Client().get("/api/tickets/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 401
    assert response.json() == {"detail": message}


def test_an_unknown_address_under_the_api_is_a_json_404(client_for, clerk):
    for url in ("/api/nothing/", "/api/tickets/abc/", "/api/tickets/1/nothing/", "/api/"):
        response = client_for(clerk).get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/json", url


def test_a_service_refusal_is_a_400_with_the_message(client_for, store2):
    """A repair order needs its promised time: the page's rule, the same words (at a service
    station: the only kind of store that takes repair orders)."""
    from apps.org.models import RoleTier
    from tests.factories.org import member

    clerk = member(store2, RoleTier.CLERK, "advisor")
    c = customer(store2)
    response = client_for(clerk).post(
        "/api/tickets/",
        {"customer": c.pk, "kind": "repair_order", "title": "更换刹车片"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["errors"]["promised_at"] == ["A repair order needs the promised delivery time."]
    assert body["detail"] == "A repair order needs the promised delivery time."
