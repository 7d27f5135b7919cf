"""Sessions end after 30 minutes idle and 12 hours after sign-in; polling is not activity."""

import re
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.urls import reverse

from apps.org.session_limits import BACKGROUND_HEADER, LAST_SEEN_AT, SIGNED_IN_AT

pytestmark = pytest.mark.django_db

POLL = {"HTTP_X_BACKGROUND": "1"}


def shift(client, **ago):
    """Move the session's marks `ago` seconds into the past (no sleeping)."""
    session = client.session
    now = time.time()
    for key, seconds in ago.items():
        session[{"signed_in": SIGNED_IN_AT, "last_seen": LAST_SEEN_AT}[key]] = int(now - seconds)
    session.save()


def test_the_limits_default_to_thirty_minutes_idle_and_twelve_hours():
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60
    assert settings.SESSION_ABSOLUTE_TIMEOUT == 12 * 60 * 60


def test_a_session_idle_for_longer_than_the_limit_ends_on_the_sign_in_page_with_a_message(client_for, clerk):
    client = client_for(clerk)
    shift(client, last_seen=settings.SESSION_IDLE_TIMEOUT + 5)
    response = client.get(reverse("checklists:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    response = client.get(response["Location"])
    assert not response.wsgi_request.user.is_authenticated
    assert "30" in "".join(str(m) for m in response.context["messages"])


def test_an_active_session_goes_on(client_for, clerk):
    client = client_for(clerk)
    shift(client, last_seen=settings.SESSION_IDLE_TIMEOUT - 60)
    assert client.get("/").status_code == 200
    assert time.time() - client.session[LAST_SEEN_AT] < 5  # the visit counts as activity
    shift(client, last_seen=settings.SESSION_IDLE_TIMEOUT - 60)
    assert client.get("/").status_code == 200


def test_background_polling_does_not_keep_an_idle_session_alive(client_for, clerk):
    client = client_for(clerk)
    shift(client, last_seen=settings.SESSION_IDLE_TIMEOUT - 60)
    before = client.session[LAST_SEEN_AT]
    response = client.get(reverse("notifications:bell"), HTTP_HX_REQUEST="true", **POLL)
    assert response.status_code == 200
    assert client.session[LAST_SEEN_AT] == before
    shift(client, last_seen=settings.SESSION_IDLE_TIMEOUT + 1)
    response = client.get(reverse("notifications:bell"), HTTP_HX_REQUEST="true", **POLL)
    assert response["HX-Redirect"] == reverse("login")
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_a_session_ends_twelve_hours_after_sign_in_however_active(client_for, clerk):
    client = client_for(clerk)
    shift(client, signed_in=settings.SESSION_ABSOLUTE_TIMEOUT + 5, last_seen=1)
    response = client.get("/", follow=True)
    assert not response.wsgi_request.user.is_authenticated
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert len(list(response.context["messages"])) == 1


def test_a_session_just_inside_both_limits_goes_on(client_for, clerk):
    client = client_for(clerk)
    shift(client, signed_in=settings.SESSION_ABSOLUTE_TIMEOUT - 60, last_seen=60)
    assert client.get("/").wsgi_request.user.is_authenticated


def test_every_polling_element_marks_its_requests_as_background():
    """Every template with `hx-trigger="every ..."` sends the background header on that element."""
    dirs = [Path(d) for d in engines["django"].template_dirs]
    polling = []
    for path in {p for d in dirs if d.exists() for p in d.rglob("*.html")}:
        for tag in re.findall(r"<[a-zA-Z][^>]*hx-trigger=\"[^\"]*\bevery\b[^>]*>", path.read_text()):
            polling.append(path.name)
            assert f'"{BACKGROUND_HEADER}": "1"' in tag and "hx-headers" in tag, f"{path}: {tag}"
    assert {"_bell.html", "_job_status.html"} <= set(polling)
