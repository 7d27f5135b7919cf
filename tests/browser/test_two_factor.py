"""A store manager sets up two-factor sign-in on first sign-in, then signs in again with a code."""

import time
from base64 import b32decode

import pytest
from django.conf import settings
from django.core.management import call_command
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser_fixtures import screenshot, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def code_from(secret: str, *, step: int | None = None) -> str:
    """What the authenticator app shows for the key typed in from the setup page (now, or at the
    given time step)."""
    totp = TOTP(b32decode(secret.replace(" ", "")))
    totp.time = time.time() if step is None else step * 30
    return f"{totp.token():06d}"


def test_a_manager_sets_up_two_factor_then_signs_in_again_with_a_code(page, settings_mfa):
    call_command("seed_demo", "--force")
    sign_in(page, "manager")
    page.wait_for_selector("[data-testid=totp-qr]")
    assert "/accounts/two-factor/setup/" in page.url
    secret = page.text_content("[data-testid=totp-secret]").strip()
    screenshot(page, "two-factor-setup-manager")

    page.click("input[name=code]")
    page.keyboard.type(code_from(secret), delay=30)
    page.keyboard.press("Tab")
    page.keyboard.type(settings.DEMO_PASSWORD, delay=30)
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-testid=recovery-codes]")
    assert page.locator("[data-testid=recovery-code]").count() == 10
    screenshot(page, "two-factor-recovery-codes-manager")
    page.click("[data-testid=two-factor-continue]")
    page.wait_for_selector("[data-testid=greeting]")
    page.wait_for_load_state("load")  # the user menu's dropdown needs Bootstrap's script
    sign_out(page)

    sign_in(page, "manager")
    page.wait_for_selector("[data-testid=two-factor-verify]")
    assert "/accounts/two-factor/verify/" in page.url
    page.goto("/customers/")
    assert "/accounts/two-factor/verify/" in page.url  # no page before the code
    # The code given at setup cannot be used twice: the app's next one, as it shows within 30 s.
    last_t = TOTPDevice.objects.get(user__username="manager", confirmed=True).last_t
    page.keyboard.type(code_from(secret, step=last_t + 1), delay=30)
    page.keyboard.press("Enter")
    page.wait_for_url("**/customers/")
    page.goto("/")
    assert page.text_content("[data-testid=greeting]").startswith("您好")


@pytest.fixture
def settings_mfa(settings):
    settings.MFA_REQUIRED_TIERS = ["admin", "manager"]
    return settings
