"""Four eyes: nobody approves (签发) their own plan or locks their own pay sheet; the person above
them on the reporting line does, and a manager of another store never can."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from apps.org.models import Department, RoleTier
from apps.targets import services
from apps.targets.models import PaySheet, TargetPlan
from tests.factories.org import member
from tests.factories.roles import hold, make_position
from tests.factories.targets import scheme

pytestmark = pytest.mark.django_db


@pytest.fixture
def area_manager(organisation, store, manager):
    """A manager of the store who holds the position above the manager's (营业厅经理 → 区域经理)."""
    boss = member(store, RoleTier.MANAGER, "area", display_name="周区域")
    above = make_position(organisation, "区域经理")
    hall_manager = make_position(organisation, "营业厅经理", superiors=[above])
    hold(above, boss, store)
    hold(hall_manager, manager, store)
    return boss


@pytest.fixture
def deputy(store):
    """Another manager of the same store, not above anyone."""
    return member(store, RoleTier.MANAGER, "deputy", display_name="吴副")


@pytest.fixture
def submitted_plan(admin, organisation, store, manager):
    dept = Department.objects.create(organisation=organisation, store=store, name="营业部", code="hall-ops")
    plan = services.plan_create(by=admin, department=dept, store=store, year=2026, responsible=manager)
    return services.plan_submit(by=admin, plan=plan)


@pytest.fixture
def managers_sheet(organisation, store, manager):
    sch = scheme(make_position(organisation, "营业厅经理（薪酬）"), store, score_source="entered")
    sheet = services.pay_sheet_compute(by=None, scheme=sch, user=manager, month=dt.date(2026, 3, 1))
    PaySheet.objects.filter(pk=sheet.pk).update(score=100)
    sheet.refresh_from_db()
    return sheet


def approve_url(plan):
    return reverse("targets:plan_transition", args=[plan.pk, "approve"])


def test_the_responsible_manager_cannot_approve_her_own_plan(
    client_for, manager, submitted_plan, area_manager
):
    client = client_for(manager)
    page = client.get(reverse("targets:plan", args=[submitted_plan.pk])).content.decode()
    assert 'data-testid="plan-approve"' not in page
    assert client.post(approve_url(submitted_plan)).status_code == 403
    submitted_plan.refresh_from_db()
    assert submitted_plan.state == TargetPlan.State.SUBMITTED


def test_the_superior_on_the_reporting_line_approves_the_plan(client_for, submitted_plan, area_manager):
    client = client_for(area_manager)
    page = client.get(reverse("targets:plan", args=[submitted_plan.pk])).content.decode()
    assert 'data-testid="plan-approve"' in page
    assert client.post(approve_url(submitted_plan)).status_code == 302
    submitted_plan.refresh_from_db()
    assert submitted_plan.state == TargetPlan.State.APPROVED and submitted_plan.approved_by == area_manager


def test_a_peer_cannot_approve_the_plan(client_for, submitted_plan, area_manager, deputy, manager2):
    """Neither a manager of the same store who is not above the responsible person, nor a
    manager of another store."""
    with pytest.raises(PermissionDenied):
        services.plan_approve(by=deputy, plan=submitted_plan)
    assert client_for(deputy).post(approve_url(submitted_plan)).status_code == 403
    assert client_for(manager2).post(approve_url(submitted_plan)).status_code == 404
    with pytest.raises(PermissionDenied):
        services.plan_approve(by=manager2, plan=submitted_plan)
    submitted_plan.refresh_from_db()
    assert submitted_plan.state == TargetPlan.State.SUBMITTED


def test_without_a_reporting_line_the_admin_approves_a_managers_plan(admin, submitted_plan):
    plan = services.plan_approve(by=admin, plan=submitted_plan)
    assert plan.state == TargetPlan.State.APPROVED


def test_a_manager_cannot_lock_or_adjust_her_own_pay_sheet(client_for, manager, managers_sheet, area_manager):
    client = client_for(manager)
    page = client.get(reverse("targets:pay_sheet", args=[managers_sheet.pk])).content.decode()
    assert 'data-testid="pay-lock"' not in page
    assert client.post(reverse("targets:pay_lock", args=[managers_sheet.pk])).status_code == 403
    response = client.post(
        reverse("targets:pay_sheet", args=[managers_sheet.pk]), {"score": "120", "incentives": "9000"}
    )
    assert response.status_code == 403
    managers_sheet.refresh_from_db()
    assert managers_sheet.state == PaySheet.State.DRAFT and managers_sheet.score == 100


def test_the_superior_locks_the_managers_pay_sheet(client_for, managers_sheet, area_manager):
    client = client_for(area_manager)
    page = client.get(reverse("targets:pay_sheet", args=[managers_sheet.pk])).content.decode()
    assert 'data-testid="pay-lock"' in page
    client.post(reverse("targets:pay_lock", args=[managers_sheet.pk]))
    managers_sheet.refresh_from_db()
    assert managers_sheet.state == PaySheet.State.LOCKED and managers_sheet.locked_by == area_manager


def test_a_peer_cannot_lock_the_managers_pay_sheet(
    client_for, managers_sheet, area_manager, deputy, manager2
):
    with pytest.raises(PermissionDenied):
        services.pay_sheet_lock(by=deputy, sheet=managers_sheet)
    assert client_for(manager2).post(reverse("targets:pay_lock", args=[managers_sheet.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.pay_sheet_lock(by=manager2, sheet=managers_sheet)
    managers_sheet.refresh_from_db()
    assert managers_sheet.state == PaySheet.State.DRAFT
