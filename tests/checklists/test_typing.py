"""Keyboard-first answering in the browser: a run typed at human speed, moving only with Tab, keeps
every answer where it was typed (the handover count: tests/handovers/test_typing.py)."""

import pytest
from playwright.sync_api import expect

from apps.checklists.models import ItemResult, RunState
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


def test_a_checklist_run_typed_with_the_keyboard_keeps_every_answer_and_updates_its_header(page, run):
    sign_in(page, "clerk")
    page.goto(run.get_absolute_url())

    def item(text):
        return page.locator(f'[data-testid=item][data-item="{text}"]')

    # Each item's fields in Tab order: answer, note, photo, Save, Not OK.
    item("找零备用金金额").locator("input[name=value]").focus()
    page.keyboard.type("2000", delay=KEY_DELAY_MS)
    page.keyboard.press("Enter")  # saves, and the cursor stays where it is
    type_then_tab(page, "")
    type_then_tab(page, "备用金已点清")  # typed while the save is answered; leaving the note saves it
    for _ in range(3):  # photo, Save, Not OK
        page.keyboard.press("Tab")
    type_then_tab(page, "11")  # 展示手机数量: 12 expected, so it needs a note
    type_then_tab(page, "1 台在维修")
    for _ in range(8):  # photo, Save, Not OK; the choice item: answer, note, photo, Save, Not OK
        page.keyboard.press("Tab")
    type_then_tab(page, "今日客流较大")  # 当班备注
    wait_until_every_save_answered(page)

    progress = page.locator("#run-progress")
    expect(progress).to_have_attribute("data-answered", "3")
    expect(progress).to_have_attribute("data-failed", "1")
    expect(page.locator("[data-testid=run-state]")).to_have_attribute("data-state", RunState.IN_PROGRESS)
    expect(item("展示手机数量").locator("[data-testid=item-state]")).to_contain_text("不合格")
    screenshot(page, "checklist-run-typed-with-tab")

    page.reload()
    results = {r.item.text: r for r in ItemResult.objects.filter(run=run).select_related("item")}
    assert set(results) == {"找零备用金金额", "展示手机数量", "当班备注"}
    assert (results["找零备用金金额"].value_number, results["找零备用金金额"].ok) == (2000, True)
    assert results["找零备用金金额"].note == "备用金已点清"
    assert (results["展示手机数量"].value_number, results["展示手机数量"].ok) == (11, False)
    assert results["展示手机数量"].note == "1 台在维修"
    assert (results["当班备注"].value_text, results["当班备注"].ok) == ("今日客流较大", True)
    expect(progress).to_have_attribute("data-answered", "3")
