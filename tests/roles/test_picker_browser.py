"""Choosing several superiors without Ctrl-click: the position form's multi-selects are a filter box
over checkboxes (static/js/picker.js), and what is ticked is what is saved."""

import pytest

from apps.org.models import RoleTier
from apps.roles.models import Position
from tests.browser_fixtures import screenshot, sign_in
from tests.factories.org import DepartmentFactory, member
from tests.factories.roles import make_position

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def positions(organisation):
    dept = DepartmentFactory(organisation=organisation, code="aftersales", name="售后服务部")
    titles = [
        "分管副总经理",
        "服务站长",
        "服务经理",
        "服务顾问",
        "跟踪业务员",
        "配件主管",
        "车间主任",
        "质检员",
    ]
    return {t: make_position(organisation, t, department=dept) for t in titles}


def test_superiors_are_chosen_by_filtering_and_ticking_not_ctrl_click(page, store, positions):
    member(store, RoleTier.ADMIN, "boss")
    sign_in(page, "boss")
    page.goto("/roles/new/")
    picker = page.locator("[data-testid=picker-superiors]")
    assert not page.is_visible("select[name=superiors]")  # the plain select is the fallback only
    page.fill("input[name=title]", "售后服务部经理助理")
    page.fill("[data-testid=picker-filter-superiors]", "站长")
    assert picker.locator(".form-check:visible").count() == 1
    picker.get_by_label("服务站长").check()
    page.fill("[data-testid=picker-filter-superiors]", "分管")
    page.keyboard.press("Enter")  # filters; does not submit the form
    assert page.url.endswith("/roles/new/")
    picker.get_by_label("分管副总经理").check()
    page.fill("[data-testid=picker-filter-superiors]", "没有这个岗位")
    assert picker.locator(".form-check:visible").count() == 0
    screenshot(page, "roles-superiors-picker")
    page.fill("[data-testid=picker-filter-superiors]", "")
    assert picker.get_by_label("服务站长").is_checked()  # filtering keeps what was ticked
    page.click("[data-testid=save-position]")
    page.wait_for_selector("[data-testid=position-document]")
    created = Position.objects.get(title="售后服务部经理助理")
    assert {p.title for p in created.superiors.all()} == {"服务站长", "分管副总经理"}
