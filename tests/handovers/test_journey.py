"""A clerk's day in the browser: opening checklist with a failed item and photo, closing the shift by
handing over, the next clerk accepting, the manager seeing it on the board."""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from playwright.sync_api import expect

from apps.checklists import services as checklists
from apps.checklists.models import ItemResult
from apps.handovers import services
from apps.handovers.models import Handover, HandoverState
from tests.browser_fixtures import screenshot, sign_in, sign_out
from tests.checklists.conftest import at
from tests.factories.checklists import opening_template
from tests.factories.handovers import counter, stock_items

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_clerk_day_open_fail_close_hand_over_accept_and_board(
    page, store, clerk, clerk2, manager, organisation, tmp_path
):
    template = opening_template(store, holders=[clerk], name="营业员班前准备")
    checklists.runs_create_due(now=at(8, 10))
    desk = counter(store)
    items = stock_items(organisation)
    services.balance_set(store=store, counter=desk, item=items["float"], quantity=Decimal(2000), user=manager)
    services.balance_set(store=store, counter=desk, item=items["sim"], quantity=Decimal(30), user=manager)
    photo = tmp_path / "printer.png"
    photo.write_bytes(PNG)
    page.on("dialog", lambda d: d.accept())

    sign_in(page, "clerk")
    page.click("[data-testid=shift-panel] [data-testid=run-link]")
    page.wait_for_selector("[data-testid=run-state]")

    failing = page.locator('[data-item="发票、客户资料准备齐全"]')
    failing.locator("textarea[name=note]").fill("发票只剩 20 份，已申领")
    failing.locator("input[name=photo]").set_input_files(str(photo))
    failing.locator("[data-testid=fail]").click()
    page.locator('[data-item="发票、客户资料准备齐全"] [data-testid=saved]').wait_for()
    for text, value in [("找零备用金金额", "2000"), ("展示手机数量", "12")]:
        page.locator(f'[data-item="{text}"] input[name=value]').fill(value)
        page.locator(f'[data-item="{text}"] [data-testid=save]').click()
        page.locator(f'[data-item="{text}"] [data-testid=saved]').wait_for()
    page.locator('[data-item="自助设备状态"] select[name=value]').select_option("正常")
    page.locator('[data-item="自助设备状态"] [data-testid=save]').click()
    page.locator('[data-item="自助设备状态"] [data-testid=saved]').wait_for()
    assert ItemResult.objects.filter(run__template=template).count() == 4
    assert page.locator('[data-item="发票、客户资料准备齐全"] [data-testid=photo-link]').count() == 1
    screenshot(page, "checklists-run-failed-item")
    page.click("[data-testid=complete]")
    page.wait_for_selector("[data-testid=shift-panel], h1")

    page.goto("/handovers/new/")
    page.select_option("select[name=counter]", str(desk.pk))
    page.select_option("select[name=incoming]", str(clerk2.pk))
    page.click("[data-testid=start-handover]")
    page.wait_for_selector("[data-testid=handover-state]")
    handover = Handover.objects.get()
    for line in handover.lines.select_related("item"):
        row = page.locator(f'[data-testid=line][data-item="{line.item.code}"]')
        if line.item.denominations:
            row.locator('input[name="d_100"]').fill("20")
            row.locator('input[name="d_100"]').press("Tab")
        else:
            row.locator("input[name=counted]").fill(str(int(line.expected)))
            row.locator("input[name=counted]").press("Tab")
        # A locator wait, not wait_for_function: the CSP forbids the eval that a string predicate needs.
        expect(row.locator("[data-testid=difference]")).to_have_text(re.compile(r"^\s*0"))
    assert all(ln.counted == ln.expected for ln in handover.lines.all())
    assert page.locator("[data-testid=matter]").count() == 1  # the failed item is carried forward
    page.fill("input[name=password]", settings.DEMO_PASSWORD)
    page.click("[data-testid=sign]")
    page.wait_for_selector("[data-testid=handover-state]")
    handover.refresh_from_db()
    assert handover.state == HandoverState.SIGNED
    screenshot(page, "checklists-handover-signed")
    sign_out(page)

    sign_in(page, "clerk2")
    page.click("[data-testid=shift-panel] [data-testid=handover-link]")
    page.fill("input[name=password]", settings.DEMO_PASSWORD)
    page.click("[data-testid=accept]")
    page.wait_for_selector("[data-testid=handover-state]")
    handover.refresh_from_db()
    assert handover.state == HandoverState.ACCEPTED
    screenshot(page, "checklists-handover-accepted")
    sign_out(page)

    sign_in(page, "manager")
    page.goto("/checklists/board/")
    row = page.locator("[data-testid=board-row]", has_text="营业员班前准备")
    assert row.locator("[data-testid=failed-count]").text_content().strip() == "1"
    assert page.locator("[data-testid=open-failure]", has_text="发票只剩 20 份").count() == 1
    screenshot(page, "checklists-board")
