"""Printed plans, letters and the department's year: Chinese headings, KPI tables, embedded CJK font."""

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse

from apps.org.models import Department
from apps.printing.models import PrintJob
from apps.printing.services import print_job_start
from apps.targets import services
from apps.targets.models import BudgetLine, HeadcountLine, PlanObjective
from tests.factories.org import web_request
from tests.factories.targets import hold, position, scheme
from tests.pdf_checks import assert_cjk_font_embedded, page_count, pdf_text

pytestmark = pytest.mark.django_db


def flat(pdf: bytes) -> str:
    return pdf_text(pdf).replace(" ", "")


@pytest.fixture
def plan(admin, organisation, store2, manager2):
    dept = Department.objects.create(
        organisation=organisation, store=store2, name="售后服务部", code="aftersales"
    )
    plan = services.plan_create(
        by=admin,
        department=dept,
        store=store2,
        year=2026,
        responsible=manager2,
        opportunities="区域保有量增长",
    )
    for i in range(40):  # long enough to break across pages
        PlanObjective.objects.create(
            plan=plan, category="basic", text=f"基础目标第{i}项", owner="赵强", quarter=1
        )
    HeadcountLine.objects.create(plan=plan, post="服务顾问", current=3, planned=4)
    BudgetLine.objects.create(plan=plan, item="培训费", q1=1000, q2=2000, q3=3000, q4=4000)
    return plan


@pytest.fixture
def letter(organisation, store2, manager2, clerk_b):
    pos = position(organisation, "服务站长", kpis=[("准时交车率", "96", "%"), ("产值", "220", "万元")])
    hold(pos, clerk_b, store2)
    letter = services.letter_create(
        by=manager2,
        position=pos,
        holder=clerk_b,
        store=store2,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
    )
    services.letter_sign(request=web_request(), by=clerk_b, letter=letter, password=settings.DEMO_PASSWORD)
    services.letter_sign(request=web_request(), by=manager2, letter=letter, password=settings.DEMO_PASSWORD)
    scheme(pos, store2)
    services.pay_sheets_compute_month(by=manager2, store=store2, month=dt.date(2026, 3, 1))
    return letter


def test_the_plan_prints_with_cover_sections_and_tables(client_for, manager2, plan):
    response = client_for(manager2).get(reverse("targets:plan_pdf", args=[plan.pk]))
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert_cjk_font_embedded(pdf)
    text = flat(pdf)
    for heading in [
        "目标计划书",
        "部门",
        "责任人",
        "签发人",
        "编号",
        "一、目标背景分析",
        "二、年度经营管理目标",
        "三、实现目标的保障措施",
        "人员编制计划",
        "区域保有量增长",
        "培训费",
        "10000.00",
    ]:
        assert heading in text, heading
    assert page_count(pdf) >= 3
    assert f"第1页/共{page_count(pdf)}页" in text


def test_the_letter_prints_its_kpi_table(client_for, manager2, letter):
    pdf = client_for(manager2).get(reverse("targets:letter_pdf", args=[letter.pk])).content
    assert_cjk_font_embedded(pdf)
    text = flat(pdf)
    for heading in [
        "目标责任书",
        "工作关系",
        "考核指标",
        "准时交车率",
        "≥96",
        "产值",
        "签发人",
        "在系统中签署",
    ]:
        assert heading in text, heading


def test_the_departments_year_prints_as_one_book(manager2, plan, letter, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = print_job_start(
            owner=manager2, builder="targets.department_year", title="年度", params={"plan_id": plan.pk}
        )
    job.refresh_from_db()
    assert job.state == PrintJob.State.DONE, job.error
    text = flat(bytes(job.pdf))
    assert "目标计划书" in text and "目标责任书" in text and "绩效工资表" in text
    assert job.percent == 100
