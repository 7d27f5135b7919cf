"""Every demo user signs in, sees their home page in Chinese, switches to English and back."""

import re

import pytest
from django.core.management import call_command

from tests.browser_fixtures import screenshot, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_each_demo_user_sees_a_chinese_home_and_can_switch_to_english(page, settings):
    call_command("seed_demo", "--force")
    for username in ["admin", "manager", "clerk", "aftersales", "manager2"]:
        sign_in(page, username)
        greeting = page.text_content("[data-testid=greeting]")
        assert greeting.startswith("您好"), greeting
        assert page.locator("html").get_attribute("lang") == "zh-hans"
        assert CJK.search(page.text_content("main"))
        screenshot(page, f"home-{username}-zh")

        page.click("[data-testid=lang-en]")
        page.wait_for_selector("html[lang=en]")
        assert page.text_content("[data-testid=greeting]").startswith("Hello")
        screenshot(page, f"home-{username}-en")

        page.click("[data-testid=lang-zh-hans]")
        page.wait_for_selector("html[lang=zh-hans]")
        sign_out(page)
