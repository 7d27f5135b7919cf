"""The template item editor: every item's fields fit the page (wrapped, styled inputs, no sideways
scrolling on a desktop or a phone), and "add an item" gives as many new rows as wanted before one
save, built from the formset's empty form on the page."""

import pytest
from playwright.sync_api import expect

from apps.checklists.models import TemplateItem
from tests.browser_fixtures import screenshot, sign_in
from tests.factories.checklists import opening_template

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# How far the items editor sticks out: its own sideways scrolling, or its right edge past the window.
OVERFLOW = """() => {
  const editor = document.querySelector("[data-testid=items-editor]");
  const right = editor.getBoundingClientRect().right - document.documentElement.clientWidth;
  return Math.max(editor.scrollWidth - editor.clientWidth, right);
}"""


def test_an_admin_adds_three_items_in_one_save_and_every_field_fits(page, store, admin):
    template = opening_template(store, name="班前准备")
    before = template.items.count()
    sign_in(page, "admin")
    page.goto(f"/checklists/templates/{template.pk}/")
    forms = page.locator("[data-testid=item-form]")
    expect(forms).to_have_count(before + 1)  # the items and one blank
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 844})
        assert page.evaluate(OVERFLOW) <= 0, f"the editor scrolls sideways at {width} px"
        for name in ("choices", "fail_choices", "on_fail", "is_active"):
            assert page.locator(f"[name=items-0-{name}]").is_visible(), (name, width)
    assert "form-control" in (page.get_attribute("[name=items-0-text]", "class") or "")
    assert "form-select" in (page.get_attribute("[name=items-0-kind]", "class") or "")

    page.fill(f"[name=items-{before}-text]", "门口地垫摆放整齐")
    page.click("[data-testid=add-item]")
    page.click("[data-testid=add-item]")
    expect(forms).to_have_count(before + 3)
    # the new row has the focus in its text field, so typing goes straight in
    page.keyboard.type("宣传架资料补齐")
    assert page.input_value(f"[name=items-{before + 2}-text]") == "宣传架资料补齐"
    page.fill(f"[name=items-{before + 1}-text]", "饮水机水量")
    page.select_option(f"[name=items-{before + 1}-kind]", "count")
    page.fill(f"[name=items-{before + 1}-expected_count]", "2")
    assert page.input_value("[name=items-TOTAL_FORMS]") == str(before + 3)
    screenshot(page, "checklists-template-items")
    with page.expect_navigation(timeout=60_000):
        page.click("[data-testid=template-save]")
    page.wait_for_selector(".alert-success, .alert-danger")
    screenshot(page, "checklists-template-items-saved")
    assert page.locator(".alert-danger, .invalid-feedback").count() == 0, page.locator(
        ".alert-danger, .invalid-feedback"
    ).all_text_contents()
    texts = set(TemplateItem.objects.filter(template=template).values_list("text", flat=True))
    assert {"门口地垫摆放整齐", "饮水机水量", "宣传架资料补齐"} <= texts
    assert TemplateItem.objects.get(template=template, text="饮水机水量").expected_count == 2
    assert template.items.count() == before + 3
