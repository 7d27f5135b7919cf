"""Keyboard-first counting in the browser: a whole count typed at human speed, moving only with Tab,
lands exactly where it was typed (every figure in its own line, no keystroke lost or moved)."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from apps.handovers import services
from tests.browser_fixtures import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KEY_DELAY_MS = 30  # about a person typing quickly


def type_then_tab(page, text: str) -> None:
    if text:
        page.keyboard.type(text, delay=KEY_DELAY_MS)
    page.keyboard.press("Tab")


def wait_until_every_save_answered(page) -> None:
    """No htmx request in flight (a queued save starts as soon as the previous one ends)."""
    for _ in range(2):
        page.wait_for_function("() => !document.querySelector('.htmx-request')")
        page.wait_for_timeout(300)


def test_a_whole_count_typed_with_tab_at_human_speed_is_saved_line_by_line(
    page, store, desk, items, clerk, clerk2, manager
):
    services.balance_set(store=store, counter=desk, item=items["float"], quantity=Decimal(2000), user=manager)
    services.balance_set(store=store, counter=desk, item=items["sim"], quantity=Decimal(30), user=manager)
    services.balance_set(store=store, counter=desk, item=items["invoice"], quantity=Decimal(50), user=manager)
    handover = services.handover_start(store=store, counter=desk, outgoing=clerk, incoming=clerk2)
    lines = {ln.item.code: ln for ln in handover.lines.select_related("item")}
    assert list(lines) == ["float", "takings-cash", "sim", "invoice"]  # the order the page shows them

    sign_in(page, "clerk")
    page.goto(handover.get_absolute_url())
    page.locator('[data-testid=line][data-item=float] input[name="d_100"]').focus()
    # 备用金 by denomination ¥100 / ¥50 / ¥20 / ¥10, then its explanation; then one figure and an
    # explanation for each other line. Only Tab moves the cursor.
    keys = [
        "15",  # ¥100 × 15
        "8",  # ¥50 × 8
        "5",  # ¥20 × 5
        "12",  # ¥10 × 12 → 2120, 120 over
        "多出 120 元待查",
        "1515",  # 营业款（现金）
        "当班现金营业款",
        "28",  # SIM 卡, 2 short
        "2 张已售未登记",
        "50",  # 发票, even
        "",
    ]
    for text in keys:
        type_then_tab(page, text)
    wait_until_every_save_answered(page)

    def difference(code):
        return page.locator(f"[data-testid=line][data-item={code}] [data-testid=difference]")

    # What the page shows while counting, without a reload.
    expect(difference("float")).to_contain_text("120")
    expect(difference("takings-cash")).to_contain_text("1515")
    expect(difference("sim")).to_contain_text("-2")
    expect(difference("invoice")).to_have_text("0")
    expect(page.locator("[data-testid=totals-counted]")).to_have_text("4 / 4")
    expect(page.locator("[data-testid=totals-money-counted]")).to_have_text("3635")
    expect(page.locator("[data-testid=totals-money-difference]")).to_have_text("1635")
    expect(page.locator("[data-testid=totals-unexplained]")).to_have_text("0")
    screenshot(page, "handover-count-typed-with-tab")

    page.reload()
    saved = {ln.item.code: ln for ln in handover.lines.select_related("item")}
    assert saved["float"].breakdown == {"100": 15, "50": 8, "20": 5, "10": 12}
    assert saved["float"].counted == Decimal("2120")
    assert saved["float"].explanation == "多出 120 元待查"
    assert saved["takings-cash"].breakdown == {}
    assert saved["takings-cash"].counted == Decimal("1515")
    assert saved["takings-cash"].explanation == "当班现金营业款"
    assert saved["sim"].counted == Decimal("28")
    assert saved["sim"].explanation == "2 张已售未登记"
    assert saved["invoice"].counted == Decimal("50")
    assert saved["invoice"].explanation == ""

    # The page after a reload shows the same figures and totals, and keeps what was typed in the inputs.
    float_row = page.locator("[data-testid=line][data-item=float]")
    for denomination, quantity in {"100": "15", "50": "8", "20": "5", "10": "12"}.items():
        expect(float_row.locator(f'input[name="d_{denomination}"]')).to_have_value(quantity)
    expect(page.locator("[data-testid=line][data-item=sim] input[name=explanation]")).to_have_value(
        "2 张已售未登记"
    )
    expect(difference("float")).to_contain_text("120")
    expect(difference("sim")).to_contain_text("-2")
    expect(page.locator("[data-testid=totals-money-expected]")).to_have_text("2000")
    expect(page.locator("[data-testid=totals-money-difference]")).to_have_text("1635")
