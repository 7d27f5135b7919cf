"""The browser enforces the CSP, and the pages with scripts (the dashboard's ECharts, the org chart's
PNG download, htmx) and a printed PDF run under it without a single violation or complaint about
the Permissions-Policy header."""

import pytest
from django.utils import timezone

from apps.targets.services import snapshot_refresh_due
from tests.browser_fixtures import sign_in, watch_csp
from tests.factories.roles import make_position
from tests.factories.targets import ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_dashboard_and_the_org_chart_run_without_a_csp_violation(
    page, organisation, store, manager, clerk
):
    vp = make_position(organisation, "分管副总经理")
    make_position(organisation, "服务经理", superiors=[vp])
    for on_time in (True, False):
        ticket(store, settled=timezone.now(), on_time=on_time, amount=1000, assignee=clerk)
    snapshot_refresh_due()
    violations = watch_csp(page)

    sign_in(page, "manager")
    page.wait_for_selector("#kpi-trend canvas")
    page.goto("/roles/chart/")
    page.wait_for_selector("#org-chart svg")
    with page.expect_download() as info:
        page.click("[data-testid=chart-png]")
    assert info.value.failure() is None
    page.goto("/checklists/")
    page.goto(f"/roles/{vp.pk}/pdf/")  # Chromium's PDF viewer, under the PDF's own CSP
    assert not violations, violations


def test_an_injected_inline_script_is_refused_and_reported(page, manager):
    """The check above would see a violation: a script written into the page does not run."""
    violations = watch_csp(page)
    sign_in(page, "manager")
    ran = page.evaluate(
        """() => { const s = document.createElement("script"); s.textContent = "window.injected = 1";
                   document.body.append(s); return window.injected === 1; }"""
    )
    page.wait_for_timeout(200)
    assert ran is False
    assert any("script-src" in v for v in violations), violations
