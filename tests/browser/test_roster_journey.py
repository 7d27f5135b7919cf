"""A manager plans the week in the roster grid, a clerk asks for leave, the manager approves it, and
the clerk checks in from the home page."""

import datetime as dt
from typing import cast

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.org.models import Organisation, RoleTier, Store
from apps.roster.models import CheckIn, Shift, ShiftType
from apps.roster.selectors import week_start
from tests.browser_fixtures import screenshot, sign_in, sign_out
from tests.factories.org import StoreFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_plans_clerk_asks_for_leave_manager_approves_clerk_checks_in(page):
    org = Organisation.objects.create(name="测试集团", code="test-org")
    store = cast(Store, StoreFactory(organisation=org, name="中心营业厅"))
    manager = member(store, RoleTier.MANAGER, "boss", display_name="王经理")
    clerk = member(store, RoleTier.CLERK, "teller1", display_name="张柜员")
    early = ShiftType.objects.create(
        store=store, name="早班", code="早", starts_at=dt.time(8, 30), ends_at=dt.time(14, 30)
    )
    today = timezone.localdate()
    monday = week_start(today)
    leave_day = monday + dt.timedelta(days=9)

    sign_in(page, "boss")
    page.goto("/roster/")
    page.wait_for_selector("[data-testid=roster-grid]")
    page.select_option(f"select[name=c-{clerk.pk}-{today:%Y%m%d}]", str(early.pk))
    page.click("[data-testid=roster-save]")
    page.wait_for_selector(".alert-success, .alert")
    assert Shift.objects.filter(user=clerk, date=today, shift_type=early).exists()
    page.click("[data-testid=week-next]")
    page.select_option(f"select[name=c-{clerk.pk}-{leave_day:%Y%m%d}]", str(early.pk))
    page.click("[data-testid=roster-save]")
    page.wait_for_selector("[data-testid=roster-grid]")
    screenshot(page, "roster-week")
    sign_out(page)

    sign_in(page, "teller1")
    page.click("[data-testid=check-in]")
    expect(page.locator("[data-testid=checked-in]")).to_be_visible()
    assert CheckIn.objects.filter(user=clerk, date=today).exists()
    page.goto("/roster/requests/new/")
    page.select_option("select[name=kind]", "leave")
    page.fill("input[name=date]", leave_day.isoformat())
    page.fill("input[name=reason]", "家中有事")
    page.click("[data-testid=request-submit]")
    page.wait_for_selector("[data-testid=request-list]")
    sign_out(page)

    sign_in(page, "boss")
    page.goto("/roster/requests/?state=pending")
    page.once("dialog", lambda d: d.accept())
    page.click("[data-testid=request-approve]")
    page.wait_for_selector("[data-testid=request-list]")
    assert not Shift.objects.filter(user=clerk, date=leave_day).exists()
    assert manager.pk != clerk.pk
    page.goto(f"/roster/{store.pk}/week/{leave_day - dt.timedelta(days=leave_day.weekday()):%Y-%m-%d}/")
    expect(
        page.locator("[data-testid=roster-row]").filter(has_text="张柜员").locator(".badge")
    ).to_have_count(1)
