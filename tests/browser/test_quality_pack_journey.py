"""The station manager opens last month's quality meeting pack from the home page, closes last
month's corrective action with its outcome, agrees a new one for this month and prints the pack; a
business hall's manager has no such menu item and the page answers 404."""

import datetime as dt
from typing import cast

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.org.models import Organisation, RoleTier, Store, StoreKind
from apps.reports.models import ActionStatus, CorrectiveAction
from apps.reports.services import action_create
from tests.browser_fixtures import screenshot, sign_in, sign_out
from tests.factories.org import StoreFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_station_manager_reviews_last_months_actions_adds_one_and_prints_the_pack(page):
    org = Organisation.objects.create(name="测试集团", code="test-org")
    station = cast(Store, StoreFactory(organisation=org, name="城东服务站", kind=StoreKind.SERVICE_STATION))
    hall = cast(Store, StoreFactory(organisation=org, name="中心营业厅", kind=StoreKind.BUSINESS_HALL))
    manager = member(station, RoleTier.MANAGER, "boss", display_name="赵服务经理")
    advisor = member(station, RoleTier.AFTERSALES, "advisor1", display_name="孙顾问")
    member(hall, RoleTier.MANAGER, "hallboss", display_name="王经理")
    this_month = timezone.localdate().replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    old = action_create(
        by=manager,
        store=station,
        month=last_month,
        title="配件提前预订",
        owner=advisor,
        due_on=last_month + dt.timedelta(days=20),
    )

    sign_in(page, "boss")
    page.click("[data-testid=quality-last-month]")
    page.wait_for_selector("[data-testid=report-section][data-key=quality_advisor]")
    page.click(f"a[href$='/{station.pk}/{this_month:%Y-%m}/']")
    row = page.locator("[data-testid=last-month-actions] [data-testid=action-row]")
    expect(row).to_have_count(1)
    row.locator("select[name=status]").select_option(ActionStatus.DONE)
    row.locator("input[name=outcome]").press_sequentially("常用配件已备货", delay=30)
    row.locator("[data-testid=action-status-save]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    old.refresh_from_db()
    assert old.status == ActionStatus.DONE and old.outcome == "常用配件已备货"

    form = page.locator("[data-testid=action-form]")
    form.locator("input[name=title]").click()
    page.keyboard.type("周末加排一名技师", delay=30)
    page.keyboard.press("Tab")
    page.keyboard.type("技师排班不足", delay=30)
    form.locator("select[name=owner]").select_option(str(advisor.pk))
    form.locator("input[name=due_on]").fill((this_month + dt.timedelta(days=14)).isoformat())
    form.locator("[data-testid=action-add]").click()
    expect(page.locator("[data-testid=this-month-actions] [data-testid=action-row]")).to_have_count(1)
    new = CorrectiveAction.objects.get(month=this_month)
    assert (new.title, new.cause, new.owner) == ("周末加排一名技师", "技师排班不足", advisor)
    screenshot(page, "quality-pack")
    # The print job runs eagerly in tests: its PDF is built inside the request.
    with page.expect_navigation(url="**/printing/jobs/**", timeout=120_000):
        page.click("[data-testid=quality-print]", no_wait_after=True)
    sign_out(page)

    sign_in(page, "hallboss")
    expect(page.locator("a[href='/reports/quality/']")).to_have_count(0)
    response = page.goto(f"/reports/quality/{station.pk}/{this_month:%Y-%m}/")
    assert response is not None and response.status == 404
