"""Plans, letters and pay: states, immutability, the pay formula with the minimum guarantee."""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError

from apps.org.models import Department
from apps.targets import services
from apps.targets.models import (
    ActionStep,
    BudgetLine,
    LetterKpi,
    Locked,
    PaySheet,
    PlanObjective,
    StepStatus,
    TargetPlan,
)
from tests.factories.org import web_request
from tests.factories.targets import at, hold, position, scheme, ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def department(organisation, store):
    return Department.objects.create(organisation=organisation, store=store, name="营业部", code="hall-ops")


@pytest.fixture
def plan(admin, department, store, manager):
    plan = services.plan_create(
        by=admin, department=department, store=store, year=2026, responsible=manager, opportunities="市场增长"
    )
    PlanObjective.objects.create(
        plan=plan, category="basic", text="准时交车率达到96%", owner="王芳", quarter=1
    )
    BudgetLine.objects.create(plan=plan, item="培训费", q1=1000, q2=2000, q3=0, q4=500)
    ActionStep.objects.create(plan=plan, quarter=1, text="建立服务热线", owner=manager)
    return plan


def approve(plan, admin, manager):
    """The manager is the plan's responsible person: with no reporting line above her, the admin signs off."""
    services.plan_submit(by=admin, plan=plan)
    return services.plan_approve(by=admin, plan=plan)


def test_a_plan_goes_draft_submitted_approved_with_who_and_when(plan, admin, manager):
    plan = services.plan_submit(by=admin, plan=plan)
    assert plan.state == TargetPlan.State.SUBMITTED and plan.submitted_by == admin and plan.submitted_at
    plan = services.plan_approve(by=admin, plan=plan)
    assert plan.state == TargetPlan.State.APPROVED and plan.approved_by == admin and plan.approved_at


def test_a_clerk_cannot_approve_and_a_manager_cannot_edit(plan, admin, clerk, manager):
    services.plan_submit(by=admin, plan=plan)
    with pytest.raises(PermissionDenied):
        services.plan_approve(by=clerk, plan=plan)
    with pytest.raises(PermissionDenied):
        services.plan_update(by=manager, plan=plan, direction="x")


def test_a_draft_cannot_be_approved_without_submission(plan, admin):
    with pytest.raises(ValidationError):
        services.plan_approve(by=admin, plan=plan)


def test_an_approved_plan_cannot_be_changed_or_deleted(plan, admin, manager):
    plan = approve(plan, admin, manager)
    plan.direction = "改写"
    with pytest.raises(Locked):
        plan.save()
    with pytest.raises(Locked):
        services.plan_update(by=admin, plan=TargetPlan.objects.get(pk=plan.pk), direction="改写")
    with pytest.raises(Locked):
        plan.delete()
    objective = plan.objectives.get()
    objective.text = "改写"
    with pytest.raises(Locked):
        objective.save()
    with pytest.raises(Locked):
        plan.budget.get().delete()
    with pytest.raises(Locked):
        PlanObjective.objects.create(plan=plan, category="basic", text="新增")
    step = plan.steps.get()
    step.text = "改写"
    with pytest.raises(Locked):
        step.save()
    assert TargetPlan.objects.get(pk=plan.pk).direction == ""


def test_action_steps_of_an_approved_plan_are_still_tracked(plan, admin, manager, clerk):
    plan = approve(plan, admin, manager)
    step = plan.steps.get()
    services.action_step_set_status(by=manager, step=step, status=StepStatus.DONE)
    assert ActionStep.objects.get(pk=step.pk).status == StepStatus.DONE
    with pytest.raises(PermissionDenied):
        services.action_step_set_status(by=clerk, step=step, status=StepStatus.PLANNED)


def test_a_new_version_supersedes_the_approved_plan(plan, admin, manager):
    plan = approve(plan, admin, manager)
    new = services.plan_new_version(by=admin, plan=plan)
    assert new.version == 2 and new.supersedes == plan and new.state == TargetPlan.State.DRAFT
    assert new.objectives.count() == 1 and new.budget.count() == 1 and new.steps.count() == 1
    services.plan_update(by=admin, plan=new, direction="新方向")
    approve(new, admin, manager)
    plan.refresh_from_db()
    assert plan.state == TargetPlan.State.SUPERSEDED
    assert plan.direction == ""


@pytest.fixture
def station_head(organisation):
    return position(
        organisation,
        "服务站长",
        kpis=[("产值", "220", "万元"), ("准时交车率", "≥ 96%", "%"), ("CSI", "≥ 900", "分")],
        duties=["负责售后服务全面工作", "制定和督促实施服务营销计划"],
    )


@pytest.fixture
def letter(station_head, manager, clerk, store):
    hold(station_head, clerk, store)
    return services.letter_create(
        by=manager,
        position=station_head,
        holder=clerk,
        store=store,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
    )


def test_a_letter_is_prefilled_from_the_position(letter):
    assert letter.title == "服务站长"
    assert letter.duties == [
        {"area": "主要职责", "tasks": ["负责售后服务全面工作", "制定和督促实施服务营销计划"]}
    ]
    kpis = list(letter.kpis.all())
    assert [k.kpi_key for k in kpis] == ["tickets.output_value", "tickets.on_time_rate", "manual.csi"]
    assert [k.base for k in kpis] == [Decimal(220), Decimal(96), Decimal(900)]


def test_signing_needs_the_password_and_a_signed_letter_is_immutable(letter, clerk, manager):
    with pytest.raises(ValidationError):
        services.letter_sign(request=web_request(), by=clerk, letter=letter, password="wrong")
    services.letter_sign(request=web_request(), by=clerk, letter=letter, password=settings.DEMO_PASSWORD)
    letter.refresh_from_db()
    assert letter.holder_signed_at and not letter.is_signed
    with pytest.raises(Locked):
        services.letter_set_kpis(by=manager, letter=letter, rows=[])
    services.letter_sign(request=web_request(), by=manager, letter=letter, password=settings.DEMO_PASSWORD)
    letter.refresh_from_db()
    assert letter.is_signed
    letter.near_term_tasks = "改写"
    with pytest.raises(Locked):
        letter.save()
    line = letter.kpis.first()
    line.base = Decimal(1)
    with pytest.raises(Locked):
        line.save()
    with pytest.raises(Locked):
        LetterKpi.objects.create(letter=letter, name="新增")
    with pytest.raises(Locked):
        letter.delete()


def test_someone_else_cannot_sign(letter, aftersales):
    with pytest.raises(PermissionDenied):
        services.letter_sign(
            request=web_request(), by=aftersales, letter=letter, password=settings.DEMO_PASSWORD
        )


@pytest.mark.parametrize(
    ("base", "output", "rate", "score", "incentives", "minimum", "expected"),
    [
        (1500, 200000, "0.01", 100, 200, 3000, "3700.00"),  # (1500 + 2000) × 1 + 200
        (1500, 200000, "0.01", 80, 0, 3000, "3000.00"),  # 2800 < minimum
        (1500, 0, "0.01", 0, 0, 3000, "3000.00"),
        (1500, 300000, "0.005", 95.5, 120, 0, "2985.00"),  # 3000 × 0.955 + 120
    ],
)
def test_pay_formula_with_minimum_guarantee(base, output, rate, score, incentives, minimum, expected):
    pay = services.pay_amount(
        base=Decimal(base),
        output_value=Decimal(output),
        commission_rate=Decimal(rate),
        score=Decimal(str(score)),
        incentives=Decimal(incentives),
        minimum=Decimal(minimum),
    )
    assert pay == Decimal(expected)


def test_pay_sheet_uses_the_letters_weighted_attainment(letter, clerk, manager, store, station_head):
    services.letter_set_kpis(
        by=manager,
        letter=letter,
        rows=[
            {
                "name": "准时交车率",
                "kpi_key": "tickets.on_time_rate",
                "unit": "%",
                "base": Decimal(96),
                "weight": Decimal(50),
            },
            {
                "name": "产值",
                "kpi_key": "tickets.output_value",
                "unit": "万元",
                "base": Decimal(12),
                "weight": Decimal(50),
            },
        ],
    )
    services.letter_sign(request=web_request(), by=clerk, letter=letter, password=settings.DEMO_PASSWORD)
    services.letter_sign(request=web_request(), by=manager, letter=letter, password=settings.DEMO_PASSWORD)
    # March: 2 settled, 1 on time (50 %); output 5000 against 120000 / 12 = 10000 a month.
    ticket(store, settled=at(2026, 3, 3), on_time=True, amount=4000, assignee=clerk)
    ticket(store, settled=at(2026, 3, 9), on_time=False, amount=1000, assignee=clerk)
    sch = scheme(
        station_head, store, base=Decimal(1500), commission_rate=Decimal("0.1"), minimum=Decimal(1000)
    )
    sheet = services.pay_sheet_compute(by=manager, scheme=sch, user=clerk, month=dt.date(2026, 3, 1))
    # attainment: 50/96 = 0.520833 and 5000/10000 = 0.5 → (0.520833 + 0.5) / 2 = 51.04
    assert sheet.score == Decimal("51.04")
    assert sheet.output_value == Decimal("5000.00")
    # (1500 + 500) × 51.04 / 100 = 1020.80
    assert sheet.amount == Decimal("1020.80")


def test_a_locked_pay_sheet_cannot_change(store, manager, clerk, station_head):
    sch = scheme(station_head, store, score_source="entered")
    sheet = services.pay_sheet_compute(by=manager, scheme=sch, user=clerk, month=dt.date(2026, 3, 1))
    assert sheet.amount == Decimal("3000.00")  # no score yet: the minimum
    with pytest.raises(ValidationError):
        services.pay_sheet_lock(by=manager, sheet=sheet)
    sheet = services.pay_sheet_adjust(by=manager, sheet=sheet, score=Decimal(100), incentives=Decimal(2000))
    assert sheet.amount == Decimal("3500.00")
    sheet = services.pay_sheet_lock(by=manager, sheet=sheet)
    assert sheet.state == PaySheet.State.LOCKED and sheet.locked_by == manager
    with pytest.raises(Locked):
        services.pay_sheet_adjust(by=manager, sheet=sheet, score=Decimal(90), incentives=Decimal(0))
    with pytest.raises(Locked):
        services.pay_sheet_compute(by=manager, scheme=sch, user=clerk, month=dt.date(2026, 3, 1))
    with pytest.raises(PermissionDenied):
        services.pay_sheet_lock(by=clerk, sheet=sheet)
