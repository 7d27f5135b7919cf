"""Two-factor sign-in: required for admins and managers, open to everyone, asked for after the password."""

import re
import time

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.org.models import User
from apps.org.two_factor import totp_device_pending_for, two_factor_enable
from tests.factories.org import UserFactory
from tests.walks.crawl import all_routes

pytestmark = pytest.mark.django_db

# Pages a user who still owes a two-factor step may reach; everything else sends them on.
OPEN_URL_NAMES = {"logout", "set_language", "healthz"}


@pytest.fixture
def mfa_on(settings):
    settings.MFA_REQUIRED_TIERS = ["admin", "manager"]


def totp_code(device, *, steps_ahead=0) -> str:
    """The code the person's authenticator app shows now (or `steps_ahead` time steps away)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def next_code(device) -> str:
    """The app's code for the time step after the last accepted one: a code once accepted cannot
    be used again, so a second code within 30 s is the next one (as the app shows it soon)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = device.t0 + (device.last_t + 1) * device.step
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device) -> str:
    valid = {totp_code(device, steps_ahead=s) for s in (-1, 0, 1)}
    return next(c for c in ("123456", "654321", "111111", "222222") if c not in valid)


def enrol(user):
    device = totp_device_pending_for(user=user)
    codes = two_factor_enable(user=user, device=device)
    user.refresh_from_db()
    return device, codes


def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def sign_in(client, user, **extra):
    response = client.post(
        reverse("login"), {"username": user.username, "password": settings.DEMO_PASSWORD, **extra}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def argument_free_routes():
    """Every non-admin URL pattern without arguments, as a path, with its name."""
    out = []
    for route, name, _pattern in all_routes():
        if route.startswith("admin/") or "<" in route or re.search(r"[\^$()\[\]?*+\\]", route):
            continue
        out.append(("/" + route, name))
    return out


def test_a_manager_without_two_factor_is_sent_to_set_it_up_from_every_page(mfa_on, manager):
    client = Client(raise_request_exception=False)
    client.force_login(manager)
    setup = reverse("two_factor_setup")
    routes = [(path, name) for path, name in argument_free_routes() if name not in OPEN_URL_NAMES]
    assert len(routes) > 10
    for path, name in [*routes, ("/admin/", "admin:index"), ("/admin/org/user/", "admin")]:
        if name == "two_factor_setup":
            assert client.get(path).status_code == 200
            continue
        response = client.get(path)
        assert response.status_code == 302, (path, response.status_code)
        assert response["Location"] == f"{setup}?next={path.replace('/', '%2F')}", path
        assert client.post(path, {}).status_code == 302, path


def test_a_clerk_is_not_sent_to_two_factor_setup_from_any_page(mfa_on, clerk):
    client = Client(raise_request_exception=False)
    client.force_login(clerk)
    setup = reverse("two_factor_setup")
    for path, _name in argument_free_routes():
        response = client.get(path)
        assert not response.get("Location", "").startswith(setup), path
    assert client.get("/").status_code == 200


def test_a_superuser_without_membership_is_sent_to_setup_from_the_django_admin(mfa_on, client):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    response = client.get("/admin/")
    assert response["Location"].startswith(reverse("two_factor_setup"))


def test_no_one_is_sent_to_setup_when_no_tier_requires_two_factor(settings, client_for, manager):
    settings.MFA_REQUIRED_TIERS = []
    assert client_for(manager).get("/").status_code == 200
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    assert client_for(root).get("/admin/").status_code == 200


def test_setup_shows_a_qr_code_and_the_key_and_confirms_the_device_with_its_first_code(
    mfa_on, settings, client_for, manager
):
    # Wrong then right within the same second: throttling is the subject of another test.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    client = english(client_for(manager))
    url = reverse("two_factor_setup")
    page = client.get(url + "?next=/customers/")
    body = page.content.decode()
    device = TOTPDevice.objects.get(user=manager)
    assert not device.confirmed
    assert page.status_code == 200 and "<svg" in body and 'data-testid="totp-qr"' in body
    shown = re.search(r'data-testid="totp-secret">([^<]+)<', body).group(1)
    assert shown.replace(" ", "") in device.config_url
    assert "<script" not in body.split("</main>")[0]
    assert client.get(url).content.decode().count(shown) == 1  # the same key on reload

    refused = [
        {"code": wrong_code(device), "password": settings.DEMO_PASSWORD},
        {"code": totp_code(device), "password": "not-my-password"},
        {"code": totp_code(device)},
        {"code": "x" * 500, "password": settings.DEMO_PASSWORD},
    ]
    for data in refused:
        response = client.post(url, data)
        assert response.status_code == 200, data
        assert response.context["form"].errors, data
        device.refresh_from_db()
        assert not device.confirmed, data
        assert client.get("/").status_code == 302, data

    response = client.post(
        url, {"code": totp_code(device), "password": settings.DEMO_PASSWORD, "next": "/customers/"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("two_factor") + "?next=%2Fcustomers%2F"
    device.refresh_from_db()
    manager.refresh_from_db()
    assert device.confirmed and manager.two_factor_enabled
    assert StaticToken.objects.filter(device__user=manager).count() == 10

    status = client.get(response["Location"]).content.decode()
    codes = re.findall(r'data-testid="recovery-code">([a-z2-7]{8})<', status)
    assert sorted(codes) == sorted(
        StaticToken.objects.filter(device__user=manager).values_list("token", flat=True)
    )
    assert 'href="/customers/" data-testid="two-factor-continue"' in status
    assert not re.findall(r'data-testid="recovery-code"', client.get(reverse("two_factor")).content.decode())
    assert client.get("/").status_code == 200


def test_sign_in_with_two_factor_on_needs_a_valid_code_before_any_page(mfa_on, client, manager):
    device, _codes = enrol(manager)
    response = sign_in(client, manager, next="/customers/")
    assert response["Location"] == "/customers/"
    verify = reverse("two_factor_verify")
    for path in [
        "/customers/",
        "/",
        "/admin/",
        reverse("two_factor"),
        reverse("two_factor_setup"),
        "/no-such-page/",
    ]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(verify + "?next="), path
    assert client.get(reverse("two_factor_verify") + "?next=/customers/").status_code == 200

    response = client.post(verify, {"code": totp_code(device), "next": "/customers/"})
    assert response.status_code == 302 and response["Location"] == "/customers/"
    assert client.get("/").status_code == 200
    assert client.get(reverse("two_factor")).status_code == 200


def test_the_password_alone_cannot_turn_two_factor_off_or_replace_it_before_the_code(mfa_on, client, clerk):
    device, codes = enrol(clerk)
    sign_in(client, clerk)
    for name, data in [
        ("two_factor_turn_off", {"off-password": settings.DEMO_PASSWORD}),
        ("two_factor_recovery_codes", {"codes-password": settings.DEMO_PASSWORD}),
        ("two_factor_setup", {"code": "123456", "password": settings.DEMO_PASSWORD}),
    ]:
        response = client.post(reverse(name), data)
        assert response["Location"].startswith(reverse("two_factor_verify")), name
    assert TOTPDevice.objects.filter(user=clerk, confirmed=True).get() == device
    assert sorted(StaticToken.objects.filter(device__user=clerk).values_list("token", flat=True)) == sorted(
        codes
    )


def test_a_recovery_code_signs_in_once(mfa_on, client, manager):
    _device, codes = enrol(manager)
    english(client)
    sign_in(client, manager)
    typed = f"{codes[0][:4].upper()}-{codes[0][4:].upper()}"  # as read aloud from paper
    response = client.post(reverse("two_factor_verify"), {"code": typed}, follow=True)
    assert response.redirect_chain[0] == ("/", 302)
    assert "You signed in with a recovery code; 9 are left." in response.content.decode()
    client.post(reverse("logout"))

    sign_in(client, manager)
    response = client.post(reverse("two_factor_verify"), {"code": codes[0]})
    assert response.status_code == 200
    assert "That code is not valid" in response.content.decode()
    assert client.get("/")["Location"].startswith(reverse("two_factor_verify"))


@pytest.mark.parametrize(
    "hostile",
    ["", "   ", "x" * 1000, "١٢٣٤٥٦", "12345\x00", "<script>alert(1)</script>", "' or 1=1 --", "1234567"],
)
def test_a_hostile_code_is_refused_with_a_form_error_not_a_500(mfa_on, client, manager, hostile):
    enrol(manager)
    sign_in(client, manager)
    response = client.post(reverse("two_factor_verify"), {"code": hostile})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "<script>alert" not in response.content.decode()


def test_a_wrong_code_is_refused_with_a_message_and_throttled(mfa_on, settings, client, manager):
    device, _codes = enrol(manager)
    english(client)
    sign_in(client, manager)
    verify = reverse("two_factor_verify")
    response = client.post(verify, {"code": wrong_code(device)})
    assert response.status_code == 200
    assert "That code is not valid" in response.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1

    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    response = client.post(verify, {"code": totp_code(device)})
    assert response.status_code == 200
    assert re.search(r"Too many wrong codes\. Wait \d+ seconds, then try again\.", response.content.decode())
    assert client.get("/")["Location"].startswith(verify)

    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    assert client.post(verify, {"code": totp_code(device)})["Location"] == "/"


@pytest.mark.parametrize(
    "evil", ["https://evil.example/", "//evil.example/", "https:/\\evil.example", "javascript:alert(1)"]
)
def test_next_to_another_site_is_ignored_after_the_code(mfa_on, client, manager, evil):
    device, _codes = enrol(manager)
    sign_in(client, manager)
    response = client.post(
        reverse("two_factor_verify") + "?next=" + evil, {"code": totp_code(device), "next": evil}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_next_on_this_site_is_kept_after_the_code(mfa_on, client, manager):
    device, _codes = enrol(manager)
    sign_in(client, manager)
    response = client.post(
        reverse("two_factor_verify"), {"code": totp_code(device), "next": "/tickets/?page=2"}
    )
    assert response["Location"] == "/tickets/?page=2"


def test_an_htmx_request_gets_hx_redirect_instead_of_a_swapped_302(mfa_on, client_for, manager, clerk):
    client = client_for(manager)
    response = client.get("/inbox/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith(reverse("two_factor_setup") + "?next=")
    assert b"<form" not in response.content

    enrol(clerk)
    client.force_login(clerk)
    response = client.get("/inbox/", headers={"HX-Request": "true"})
    assert response["HX-Redirect"].startswith(reverse("two_factor_verify"))


def test_a_clerk_is_not_forced_but_may_turn_two_factor_on_and_then_needs_a_code(mfa_on, client, clerk):
    sign_in(client, clerk)
    assert client.get("/").status_code == 200
    status = client.get(reverse("two_factor")).content.decode()
    assert 'data-testid="two-factor-setup"' in status
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=clerk)
    response = client.post(
        reverse("two_factor_setup"), {"code": totp_code(device), "password": settings.DEMO_PASSWORD}
    )
    assert response.status_code == 302
    client.post(reverse("logout"))

    sign_in(client, clerk)
    assert client.get("/")["Location"].startswith(reverse("two_factor_verify"))
    client.post(reverse("two_factor_verify"), {"code": next_code(device)})
    assert client.get("/").status_code == 200


def test_a_clerk_may_turn_two_factor_off_with_the_password(mfa_on, client, clerk):
    device, _codes = enrol(clerk)
    english(client)
    sign_in(client, clerk)
    client.post(reverse("two_factor_verify"), {"code": totp_code(device)})
    response = client.post(reverse("two_factor_turn_off"), {"off-password": "wrong"})
    assert response.status_code == 200 and "That password is not correct." in response.content.decode()
    assert TOTPDevice.objects.filter(user=clerk).exists()
    response = client.post(reverse("two_factor_turn_off"), {})
    assert "Enter your current password or a code" in response.content.decode()

    response = client.post(reverse("two_factor_turn_off"), {"off-password": settings.DEMO_PASSWORD})
    assert response["Location"] == reverse("two_factor")
    assert not TOTPDevice.objects.filter(user=clerk).exists()
    assert not StaticToken.objects.filter(device__user=clerk).exists()
    assert not User.objects.get(pk=clerk.pk).two_factor_enabled
    client.post(reverse("logout"))
    sign_in(client, clerk)
    assert client.get("/").status_code == 200


def test_a_manager_cannot_turn_two_factor_off(mfa_on, client, manager):
    device, _codes = enrol(manager)
    english(client)
    sign_in(client, manager)
    client.post(reverse("two_factor_verify"), {"code": totp_code(device)})
    assert 'data-testid="two-factor-off"' not in client.get(reverse("two_factor")).content.decode()
    response = client.post(
        reverse("two_factor_turn_off"), {"off-password": settings.DEMO_PASSWORD}, follow=True
    )
    assert "cannot be turned off" in response.content.decode()
    assert TOTPDevice.objects.filter(user=manager, confirmed=True).exists()
    assert User.objects.get(pk=manager.pk).two_factor_enabled


def test_new_recovery_codes_need_the_password_or_a_code_and_replace_the_old_ones(mfa_on, client, clerk):
    device, old = enrol(clerk)
    sign_in(client, clerk)
    client.post(reverse("two_factor_verify"), {"code": totp_code(device)})
    url = reverse("two_factor_recovery_codes")
    for data in [{}, {"codes-password": "wrong"}, {"codes-code": wrong_code(device)}, {"codes-code": old[0]}]:
        response = client.post(url, data)
        assert response.status_code == 200 and response.context["codes_form"].errors, data
    assert sorted(StaticToken.objects.filter(device__user=clerk).values_list("token", flat=True)) == sorted(
        old
    )

    # A code from the app a little later (the one given at sign-in cannot be reused).
    device.refresh_from_db()
    device.throttle_reset()
    response = client.post(url, {"codes-code": next_code(device)})
    assert response["Location"] == reverse("two_factor")
    new = re.findall(
        r'data-testid="recovery-code">([a-z2-7]{8})<', client.get(reverse("two_factor")).content.decode()
    )
    assert len(new) == 10 and not set(new) & set(old)
    assert sorted(StaticToken.objects.filter(device__user=clerk).values_list("token", flat=True)) == sorted(
        new
    )


def test_a_device_removed_by_an_administrator_sends_a_manager_back_to_setup(mfa_on, client, manager):
    enrol(manager)
    sign_in(client, manager)
    TOTPDevice.objects.filter(user=manager).delete()  # the admin's "reset" of a lost phone
    response = client.get(reverse("two_factor_verify"))
    assert response.status_code == 302
    assert not User.objects.get(pk=manager.pk).two_factor_enabled
    assert client.get("/")["Location"].startswith(reverse("two_factor_setup"))


def test_seed_demo_says_admins_and_managers_set_up_two_factor_on_first_sign_in(mfa_on, capsys):
    call_command("seed_demo", "--force")
    out = capsys.readouterr().out
    assert "Two-factor sign-in: admins and managers are asked to set it up" in out
    assert not User.objects.filter(two_factor_enabled=True).exists()


def test_a_misspelt_required_tier_fails_the_system_check(settings):
    from apps.org.two_factor import check_required_tiers

    settings.MFA_REQUIRED_TIERS = ["admin", "managers"]
    errors = check_required_tiers()
    assert [e.id for e in errors] == ["org.E001"] and "managers" in errors[0].msg
    settings.MFA_REQUIRED_TIERS = ["admin", "manager"]
    assert check_required_tiers() == []
