"""Personal API tokens: made on the profile page (two-factor rule of sign-in), shown once, stored
hashed, revoked at once, throttled per token; the session keeps its CSRF check."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.api.models import ApiToken
from tests.factories.customers import customer
from tests.factories.tickets import complaint


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def make_token(client, name="DMS") -> str:
    response = client.post(reverse("api_tokens"), {"name": name})
    assert response.status_code == 200, response.content
    match = re.search(r'data-testid="token-secret">([^<]+)<', response.content.decode())
    assert match, "the new token's secret is on the answer to the post"
    return match[1].strip()


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_a_new_token_is_shown_once_and_stored_only_as_its_digest(client_for, clerk):
    client = client_for(clerk)
    secret = make_token(client)
    token = ApiToken.objects.get(user=clerk)
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {token.name, token.prefix, token.digest}
    assert secret.startswith(token.prefix)
    page = client.get(reverse("api_tokens")).content.decode()
    assert secret not in page, "the list shows the token's start, never the secret again"
    assert token.prefix in page


def test_a_token_calls_the_api_as_its_owner_without_a_session(clerk, client_for, store):
    secret = make_token(client_for(clerk))
    c = customer(store)
    complaint(store, c, clerk)
    anonymous = Client()
    response = anonymous.get("/api/tickets/", **bearer(secret))
    assert response.status_code == 200
    assert [t["customer"]["id"] for t in response.json()["results"]] == [c.pk]
    assert ApiToken.objects.get(user=clerk).last_used_at is not None


def test_a_token_makes_no_other_token(clerk, client_for):
    """A token is made on the page, in a signed-in session: the token alone does not reach it."""
    secret = make_token(client_for(clerk))
    response = Client().post(reverse("api_tokens"), {"name": "second"}, **bearer(secret))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert ApiToken.objects.filter(user=clerk).count() == 1


def test_a_revoked_token_stops_working_at_once_and_stays_listed(clerk, client_for):
    client = client_for(clerk)
    secret = make_token(client)
    token = ApiToken.objects.get(user=clerk)
    response = client.post(reverse("api_token_revoke", args=[token.pk]))
    assert response.status_code == 302
    refused = Client().get("/api/tickets/", **bearer(secret))
    assert refused.status_code == 401
    assert refused.json()["detail"]
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_nobody_revokes_another_persons_token(clerk, manager, client_for):
    secret = make_token(client_for(clerk))
    token = ApiToken.objects.get(user=clerk)
    response = client_for(manager).post(reverse("api_token_revoke", args=[token.pk]))
    assert response.status_code == 404
    assert Client().get("/api/tickets/", **bearer(secret)).status_code == 200


def test_a_wrong_or_malformed_token_is_a_401_in_json(db):
    for header in ("Bearer dd_nothing", "Bearer", "Bearer a b", "Token " + "x" * 500, "Bearer \u00e9"):
        response = Client().get("/api/tickets/", HTTP_AUTHORIZATION=header)
        assert response.status_code == 401, header
        assert response["Content-Type"] == "application/json"
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_person_who_owes_the_two_factor_code_makes_no_token(manager, client, settings):
    """The sign-in rule: a manager (two-factor required) who has not given a code in this session
    does not reach the page, and the service refuses even if called."""
    from django.core.exceptions import ValidationError

    from apps.api.services import api_token_create

    settings.MFA_REQUIRED_TIERS = ["admin", "manager"]
    client.force_login(manager)
    response = client.post(reverse("api_tokens"), {"name": "DMS"})
    assert response.status_code == 302 and "two-factor" in response["Location"]
    with pytest.raises(ValidationError):
        api_token_create(user=manager, name="DMS")
    assert not ApiToken.objects.exists()


def test_a_person_with_two_factor_makes_a_token_once_verified(clerk, client):
    TOTPDevice.objects.create(user=clerk, name="authenticator", confirmed=True)
    clerk.two_factor_enabled = True
    clerk.save()
    client.force_login(clerk)
    response = client.post(reverse("api_tokens"), {"name": "DMS"})
    assert response.status_code == 302 and "two-factor" in response["Location"]
    assert not ApiToken.objects.exists()
    # Verified in this session (what the verify page does): the page makes the token.
    session = client.session
    session["otp_device_id"] = TOTPDevice.objects.get(user=clerk).persistent_id
    session.save()
    assert make_token(client)


def test_requests_are_throttled_per_token(clerk, client_for, settings):
    client = client_for(clerk)
    first, second = make_token(client, "one"), make_token(client, "two")
    settings.API_THROTTLE_RATE = "3/min"
    anonymous = Client()
    assert [anonymous.get("/api/positions/", **bearer(first)).status_code for _ in range(3)] == [200] * 3
    throttled = anonymous.get("/api/positions/", **bearer(first))
    assert throttled.status_code == 429
    assert throttled["Content-Type"] == "application/json" and throttled.json()["detail"]
    assert anonymous.get("/api/positions/", **bearer(second)).status_code == 200, (
        "another token has its own count"
    )


def test_the_session_needs_the_csrf_token_for_a_write(clerk, store):
    c = customer(store)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(clerk)
    response = browser.post(
        "/api/tickets/",
        {"customer": c.pk, "kind": "inquiry", "title": "咨询"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_a_token_needs_no_csrf_token(clerk, client_for, store):
    secret = make_token(client_for(clerk))
    c = customer(store)
    response = Client(enforce_csrf_checks=True).post(
        "/api/tickets/",
        {"customer": c.pk, "kind": "inquiry", "title": "咨询保养价格"},
        content_type="application/json",
        **bearer(secret),
    )
    assert response.status_code == 201, response.content
    assert response.json()["number"]


def test_a_token_name_is_required_and_bounded(clerk, client_for):
    client = client_for(clerk)
    assert client.post(reverse("api_tokens"), {"name": " "}).status_code == 400
    assert client.post(reverse("api_tokens"), {"name": "x" * 61}).status_code == 400
    assert client.post(reverse("api_tokens"), {"name": "a\x00b"}).status_code == 400
    assert not ApiToken.objects.exists()
