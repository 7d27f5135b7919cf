"""Sign-in lockout (django-axes): user names and addresses lock independently after 5 failures."""

import logging

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories.org import OrganisationFactory, StoreFactory, member

pytestmark = pytest.mark.django_db

LIMIT = 5


def sign_in(client, username, password, address="10.1.1.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in(response) -> bool:
    return response.wsgi_request.user.is_authenticated


def test_the_settings_lock_after_five_failures_for_fifteen_minutes():
    assert settings.AXES_FAILURE_LIMIT == LIMIT
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"


def test_five_failures_on_one_user_name_from_many_addresses_lock_that_user_name(client, clerk, manager):
    for n in range(LIMIT - 1):
        sign_in(client, "clerk", "wrong", address=f"10.2.0.{n + 1}")
    response = sign_in(Client(), "clerk", settings.DEMO_PASSWORD, address="10.2.0.98")
    assert response.status_code == 302, "four failures do not lock yet"
    sign_in(client, "clerk", "wrong", address="10.2.0.5")
    response = sign_in(client, "clerk", settings.DEMO_PASSWORD, address="10.2.0.99")
    assert response.status_code == 429
    assert not signed_in(response)
    # The addresses are not locked: someone else signs in from them.
    response = sign_in(client, "manager", settings.DEMO_PASSWORD, address="10.2.0.1")
    assert response.status_code == 302 and signed_in(response)


def test_five_failures_from_one_address_across_user_names_lock_that_address(
    client, clerk, manager, aftersales
):
    for name in ["clerk", "manager", "nobody", "ghost", "admin"]:
        sign_in(client, name, "wrong", address="10.3.0.7")
    response = sign_in(client, "aftersales", settings.DEMO_PASSWORD, address="10.3.0.7")
    assert response.status_code == 429 and not signed_in(response)
    # The user names are not locked: from another address they sign in.
    response = sign_in(client, "clerk", settings.DEMO_PASSWORD, address="10.3.0.8")
    assert response.status_code == 302 and signed_in(response)


def test_the_locked_out_answer_is_a_page_of_the_layout_not_an_error(client, clerk):
    for _ in range(LIMIT):
        sign_in(client, "clerk", "wrong")
    response = sign_in(client, "clerk", settings.DEMO_PASSWORD)
    body = response.content.decode()
    assert response.status_code == 429
    assert 'data-testid="locked-out"' in body
    assert "navbar" in body and '<html lang="zh-hans">' in body
    assert "15" in body  # the minutes to wait
    assert "registration/locked_out.html" in [t.name for t in response.templates]


def test_every_lockout_is_logged_with_user_name_and_address_and_kept_by_axes(client, clerk):
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    handler = Keep(level=logging.WARNING)
    logger = logging.getLogger("apps.org.lockout")
    logger.addHandler(handler)
    try:
        for _ in range(LIMIT):
            sign_in(client, "clerk", "wrong", address="10.4.0.4")
    finally:
        logger.removeHandler(handler)
    lines = [r.getMessage() for r in records if r.levelno == logging.WARNING]
    assert len(lines) == 1, lines
    assert "clerk" in lines[0] and "10.4.0.4" in lines[0]
    assert (
        AccessAttempt.objects.filter(username="clerk", ip_address="10.4.0.4").get().failures_since_start == 5
    )


def test_an_admin_unlocks_a_locked_person_on_the_staff_page(client, client_for, admin, clerk):
    for _ in range(LIMIT):
        sign_in(client, "clerk", "wrong")
    client.logout()
    staff = client_for(admin)
    page = staff.get(reverse("org:staff")).content.decode()
    assert page.count('data-testid="locked"') == 1
    assert reverse("org:staff_unlock", args=[clerk.pk]) in page
    response = staff.post(reverse("org:staff_unlock", args=[clerk.pk]), follow=True)
    assert response.status_code == 200
    assert 'data-testid="locked"' not in response.content.decode()
    staff.logout()
    response = sign_in(client, "clerk", settings.DEMO_PASSWORD)
    assert response.status_code == 302 and signed_in(response)


@pytest.mark.parametrize("persona", ["manager", "clerk", "aftersales"])
def test_only_admins_unlock(request, client, client_for, clerk, persona):
    for _ in range(LIMIT):
        sign_in(client, "clerk", "wrong")
    response = client_for(request.getfixturevalue(persona)).post(reverse("org:staff_unlock", args=[clerk.pk]))
    assert response.status_code == 403
    assert AccessAttempt.objects.filter(username="clerk").exists()


def test_an_admin_of_another_organisation_cannot_unlock(client, client_for, clerk):
    other = StoreFactory(organisation=OrganisationFactory(code="other-org"))
    stranger = member(other, "admin", "other-admin")
    for _ in range(LIMIT):
        sign_in(client, "clerk", "wrong")
    response = client_for(stranger).post(reverse("org:staff_unlock", args=[clerk.pk]))
    assert response.status_code == 404
    assert AccessAttempt.objects.filter(username="clerk").exists()


def test_a_superuser_reaches_axes_records_in_the_admin(client, client_for, clerk, admin):
    for _ in range(LIMIT):
        sign_in(client, "clerk", "wrong")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    response = client_for(admin).get(reverse("admin:axes_accessattempt_changelist"))
    assert response.status_code == 200
    assert "clerk" in response.content.decode()


def test_behind_a_proxy_the_lockout_counts_the_clients_address_not_the_proxys(
    client, clerk, manager, settings
):
    """With TRUSTED_PROXY_COUNT=1 the address is the one the proxy appended; a spoofed entry to its
    left changes nothing, and the proxy's own address is never locked."""
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(5):
        client.post(
            reverse("login"),
            {"username": f"nobody{n}", "password": "wrong"},
            REMOTE_ADDR="172.16.0.1",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.9",
        )
    locked = client.post(
        reverse("login"),
        {"username": "clerk", "password": settings.DEMO_PASSWORD},
        REMOTE_ADDR="172.16.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    assert locked.status_code == 429
    other = Client().post(
        reverse("login"),
        {"username": "manager", "password": settings.DEMO_PASSWORD},
        REMOTE_ADDR="172.16.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.10",
    )
    assert other.status_code == 302
