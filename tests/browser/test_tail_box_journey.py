"""A teller counts her tail box at the end of the day (cash by denomination, typed with Tab), a
difference is refused until explained, she signs, a colleague signs the seal (双人封箱), and the
营业主管 sees the box sealed on the day's page."""

import datetime as dt
from decimal import Decimal
from typing import cast

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from apps.bankdesk.models import CheckState, TailBox, TailBoxCheck
from apps.handovers.models import OpeningBalance
from apps.org.models import Organisation, RoleTier, Store, StoreKind
from tests.browser_fixtures import screenshot, sign_in, sign_out
from tests.factories.handovers import bank_items, counter
from tests.factories.org import StoreFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_teller_counts_and_signs_a_colleague_seals_the_supervisor_sees_it_sealed(page):
    org = Organisation.objects.create(name="测试银行", code="test-bank")
    branch = cast(Store, StoreFactory(organisation=org, name="滨江支行", kind=StoreKind.BANK_BRANCH))
    teller = member(branch, RoleTier.CLERK, "teller1", display_name="吴柜员")
    colleague = member(branch, RoleTier.CLERK, "teller2", display_name="钱柜员")
    supervisor = member(branch, RoleTier.MANAGER, "boss", display_name="郑主管")
    items = bank_items(org)
    box = TailBox.objects.create(store=branch, number="W01", teller=teller, counter=counter(branch, "g1"))
    when = timezone.now() - dt.timedelta(days=1)
    for code, quantity in {"cash": 1500, "voucher-passbook": 20, "voucher-card": 30, "keys": 2}.items():
        OpeningBalance.objects.create(
            store=branch,
            counter=box.counter,
            item=items[code],
            quantity=Decimal(quantity),
            effective_at=when,
            set_by=supervisor,
        )

    sign_in(page, "teller1")
    page.goto(f"/bank/{branch.pk}/tail-boxes/")
    page.click("[data-testid=tail-box-start]")
    page.wait_for_selector("[data-testid=tail-box-lines]")
    # Cash by denomination: 14 × ¥100 and 2 × ¥50, then Tab through the other lines.
    page.locator("[data-testid=tail-box-line][data-item=cash] input").first.click()
    page.keyboard.type("14", delay=40)
    page.keyboard.press("Tab")
    page.keyboard.type("2", delay=40)
    for code, figure in [("voucher-passbook", "20"), ("voucher-card", "29"), ("keys", "2")]:
        page.locator(f"[data-testid=tail-box-line][data-item={code}] input").first.fill("")
        page.locator(f"[data-testid=tail-box-line][data-item={code}] input").first.type(figure, delay=40)
    page.fill("input[name=seal_number]", "FX-1129")
    page.fill("input[name=password]", settings.DEMO_PASSWORD)
    page.click("[data-testid=tail-box-sign]")
    # One card short and not explained: refused, and what was typed is still there.
    expect(page.locator("[data-testid=sign-errors]")).to_be_visible()
    expect(page.locator("input[name=seal_number]")).to_have_value("FX-1129")
    card = page.locator("[data-testid=tail-box-line][data-item=voucher-card] input")
    expect(card.first).to_have_value("29")
    card.last.type("一张借记卡制卡失败作废", delay=10)
    page.fill("input[name=password]", settings.DEMO_PASSWORD)
    page.click("[data-testid=tail-box-sign]")
    expect(page.locator("[data-testid=check-state]")).to_have_attribute("data-state", "signed")
    check = TailBoxCheck.objects.get(box=box)
    assert check.state == CheckState.SIGNED
    # The colleague signs the seal on the teller's screen.
    page.select_option("select[name=second]", str(colleague.pk))
    page.fill("[data-testid=tail-box-seal-form] input[name=password]", settings.DEMO_PASSWORD)
    page.click("[data-testid=tail-box-seal]")
    expect(page.locator("[data-testid=check-state]")).to_have_attribute("data-state", "sealed")
    check.refresh_from_db()
    assert check.state == CheckState.SEALED and check.second == colleague
    screenshot(page, "tail-box-sealed")
    sign_out(page)

    sign_in(page, "boss")
    page.goto(f"/bank/{branch.pk}/tail-boxes/")
    row = page.locator("[data-testid=tail-box-row][data-box=W01]")
    expect(row.locator("[data-testid=tail-box-state]")).to_have_attribute("data-state", "sealed")
    expect(row).to_contain_text("FX-1129")
    expect(page.locator("[data-testid=tail-box-counts]")).to_be_visible()
    screenshot(page, "tail-box-board")
