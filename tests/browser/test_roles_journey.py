"""An admin imports a pasted role description, corrects one task, saves it and prints it."""

import pytest
from playwright.sync_api import expect

from apps.org.models import Organisation, RoleTier
from apps.roles.models import Position
from tests.browser_fixtures import screenshot, sign_in
from tests.factories.org import StoreFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "厨师岗位职责\n这一行没有编号\n1、负责公司员工工作午餐\n2、负责食品采买\n3、提前定出下周菜谱"


def test_admin_imports_corrects_saves_and_prints_a_description(page):
    org = Organisation.objects.create(name="测试集团", code="test-org")
    member(StoreFactory(organisation=org), RoleTier.ADMIN, "boss")
    sign_in(page, "boss")
    page.goto("/roles/")
    page.click("[data-testid=import-description]")
    page.fill("textarea[name=text]", TEXT)
    page.click("[data-testid=parse-description]")
    page.wait_for_selector("[data-testid=duties-editor]")
    assert page.input_value("input[name=p0-title]") == "厨师"
    assert "这一行没有编号" in page.input_value("textarea[name=p0-notes]")
    first = page.locator("[data-testid=task-text]").first
    assert first.input_value() == "负责公司员工工作午餐"
    first.fill("负责公司员工工作午餐（12:00 开餐）")
    page.click("[data-testid=add-task]")  # htmx round trip keeps what was typed
    expect(page.locator("[data-testid=task-text]")).to_have_count(4)  # no eval under the CSP
    assert page.locator("[data-testid=task-text]").first.input_value() == "负责公司员工工作午餐（12:00 开餐）"
    screenshot(page, "roles-import-review")
    page.click("[data-testid=save-positions]")
    page.wait_for_selector("[data-testid=position-document]")
    assert "负责公司员工工作午餐（12:00 开餐）" in page.text_content("[data-testid=duties]")
    position = Position.objects.get(title="厨师")
    with page.expect_response(lambda r: r.url.endswith(f"/roles/{position.pk}/pdf/")) as info:
        # The page reads the body: a signed-in response is no-store, and Chromium hands an unread
        # no-store body to no one (not even the DevTools that Playwright reads it through).
        page.evaluate(
            "url => fetch(url).then(r => r.arrayBuffer()).then(() => null)", f"/roles/{position.pk}/pdf/"
        )
    response = info.value
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body()[:5] == b"%PDF-"
