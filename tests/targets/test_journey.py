"""Browser journey: admin drafts a plan for which a clerk is responsible, the manager (above the
clerk) approves it and issues a letter from a position,
the holder signs, and the manager's dashboard shows the KPI against its target."""

import pytest
from django.utils import timezone

from apps.org.models import Department
from apps.targets.services import snapshot_refresh_due
from tests.browser_fixtures import screenshot, sign_in, sign_out
from tests.factories.targets import hold, position, ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_plan_to_letter_to_dashboard(page, organisation, store, admin, manager, clerk):
    dept = Department.objects.create(organisation=organisation, store=store, name="营业部", code="hall-ops")
    pos = position(organisation, "服务顾问", kpis=[("准时交车率", "≥ 96%", "%")], duties=["接待客户"])
    hold(pos, clerk, store)
    now = timezone.now()
    for on_time in (True, True, True, False):
        ticket(store, settled=now, on_time=on_time, amount=1000, assignee=clerk)
    page.on("dialog", lambda dialog: dialog.accept())

    sign_in(page, "admin")
    page.goto("/targets/new/")
    page.select_option("select[name=department]", str(dept.pk))
    page.select_option("select[name=store]", str(store.pk))
    page.select_option("select[name=responsible]", str(clerk.pk))
    page.fill("textarea[name=direction]", "以准时交车为主线")
    page.click("[data-testid=plan-save]")
    page.fill("textarea[name=objectives-0-text]", "准时交车率达到 96%")
    page.select_option("select[name=objectives-0-category]", "basic")
    page.fill("textarea[name=steps-0-text]", "建立服务热线")
    page.select_option("select[name=steps-0-quarter]", "1")
    page.click("[data-testid=plan-save]")
    page.click("[data-testid=plan-submit]")
    assert "已提交" in page.text_content("[data-testid=plan-state]")
    sign_out(page)

    sign_in(page, "manager")
    page.goto("/targets/")
    page.click('a:has-text("MB-2026-HALL-OPS")')
    page.click("[data-testid=plan-approve]")
    assert "已签发" in page.text_content("[data-testid=plan-state]")
    screenshot(page, "targets-plan-approved")

    page.goto("/targets/letters/new/")
    page.select_option("select[name=store]", str(store.pk))
    page.select_option("select[name=position]", str(pos.pk))
    page.select_option("select[name=holder]", str(clerk.pk))
    page.click("[data-testid=letter-create]")
    page.click("[data-testid=letter-kpis-save]")
    assert "准时交车率" in page.text_content("[data-testid=letter-kpis]")
    page.fill("input[name=password]", "demo1234")
    page.click("[data-testid=sign]")
    page.wait_for_selector("[data-testid=issuer-signed]")
    sign_out(page)

    sign_in(page, "clerk")
    page.click("[data-testid=letter-to-sign]")
    page.fill("input[name=password]", "demo1234")
    page.click("[data-testid=sign]")
    page.wait_for_selector("[data-testid=holder-signed]")
    sign_out(page)

    snapshot_refresh_due()  # what the beat job does every few minutes
    sign_in(page, "manager")
    row = page.locator("[data-testid=dashboard-kpis] tr", has_text="准时交车率")
    assert "75.0%" in row.text_content() and "96.0%" in row.text_content()
    page.wait_for_selector("#kpi-trend canvas")  # not wait_for_function: the CSP forbids its eval
    screenshot(page, "targets-dashboard")
