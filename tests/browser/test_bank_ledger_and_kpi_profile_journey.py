"""Two pages of issue 11 in the browser: the 营业主管 sets the branch's limit for blank debit cards,
records a vault transfer into a teller's box that takes the branch over it and sees the item flagged;
an admin changes a store kind's default KPI target, a wrong figure is refused with what was typed kept,
and the bank branch's KPI profile lists none of the station's KPIs."""

import datetime as dt
from decimal import Decimal
from typing import cast

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.bankdesk.models import BranchTransfer, TailBox
from apps.handovers.models import OpeningBalance
from apps.org.models import Organisation, RoleTier, Store, StoreKind
from apps.targets.models import KindKpi
from tests.browser_fixtures import screenshot, sign_in, sign_out
from tests.factories.handovers import bank_items, counter
from tests.factories.org import StoreFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_supervisor_sets_a_limit_a_vault_transfer_goes_over_it_and_is_flagged(page):
    org = Organisation.objects.create(name="测试银行", code="test-bank")
    branch = cast(Store, StoreFactory(organisation=org, name="滨江支行", kind=StoreKind.BANK_BRANCH))
    teller = member(branch, RoleTier.CLERK, "teller1", display_name="吴柜员")
    member(branch, RoleTier.MANAGER, "boss", display_name="郑主管")
    items = bank_items(org)
    box = TailBox.objects.create(store=branch, number="W01", teller=teller, counter=counter(branch, "g1"))
    OpeningBalance.objects.create(
        store=branch,
        counter=box.counter,
        item=items["voucher-card"],
        quantity=Decimal(10),
        effective_at=timezone.now() - dt.timedelta(days=1),
        set_by=teller,
    )

    sign_in(page, "boss")
    page.goto(f"/bank/{branch.pk}/ledger/")
    expect(page.locator("[data-testid=over-limit]")).to_have_count(0)
    page.select_option("select[name=l-item]", str(items["voucher-card"].pk))
    page.fill("input[name=l-limit]", "20")
    page.click("[data-testid=limit-save]")
    page.wait_for_selector("[data-testid=holdings]")
    expect(page.locator("[data-testid=over-limit]")).to_have_count(0)

    page.select_option("select[name=t-box]", str(box.pk))
    page.select_option("select[name=t-item]", str(items["voucher-card"].pk))
    page.select_option("select[name=t-channel]", "vault")
    page.select_option("select[name=t-flow]", "in")
    page.fill("input[name=t-quantity]", "0")
    page.click("[data-testid=transfer-save]")
    # A quantity of nothing is refused; the choices made are kept.
    expect(page.locator("select[name=t-box]")).to_have_value(str(box.pk))
    assert not BranchTransfer.objects.exists()
    page.fill("input[name=t-quantity]", "15")
    page.click("[data-testid=transfer-save]")
    expect(page.locator("[data-testid=over-limit]")).to_have_count(1)
    expect(page.locator("[data-testid=over-limit]")).to_contain_text("借记卡")
    assert BranchTransfer.objects.filter(box=box, quantity=Decimal(15)).exists()
    screenshot(page, "bank-ledger-over-limit")
    sign_out(page)


def test_admin_changes_a_kinds_default_target_and_a_wrong_figure_is_refused(page):
    org = Organisation.objects.create(name="测试集团", code="test-group")
    hall = cast(Store, StoreFactory(organisation=org, name="中心营业厅", kind=StoreKind.BUSINESS_HALL))
    member(hall, RoleTier.ADMIN, "boss", display_name="李行政")
    row = KindKpi.objects.filter(kind=StoreKind.BUSINESS_HALL, kpi_key="hall.customer_satisfaction").get()

    sign_in(page, "boss")
    page.goto("/targets/kpis/profiles/business_hall/")
    target = page.locator(f"[data-testid='profile-{row.kpi_key}'] input[type=number]").first
    target.fill("101")
    page.click("form:has([data-testid=kind-profile]) button")
    target = page.locator(f"[data-testid='profile-{row.kpi_key}'] input[type=number]").first
    expect(target).to_have_value("101")
    expect(page.locator(".alert-danger").first).to_be_visible()
    row.refresh_from_db()
    assert row.target != Decimal(101)
    target.fill("97")
    page.click("form:has([data-testid=kind-profile]) button")
    page.wait_for_selector("[data-testid=kind-profile]")
    row.refresh_from_db()
    assert row.target == Decimal(97)

    page.goto("/targets/kpis/profiles/bank_branch/")
    body = page.locator("[data-testid=kind-profile]").inner_text()
    assert "准时交车" not in body and "产值" not in body
    screenshot(page, "kpi-profile-bank")
    sign_out(page)
