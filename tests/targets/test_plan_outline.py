"""The 目标计划书 has the sections of the outline in the source documents (公司部门目标计划书范文):
三、(一) 7-10 each its own field (7 and 8 used to share one), the team-building 人员流失控制率 for
core and general staff, and the annexes (附件1 text, attached files); on the form, the page and the
printed plan. Attached files are served only to those who may see the plan."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.org.models import Department
from apps.targets import services
from apps.targets.forms import PlanForm
from apps.targets.models import Locked, PlanAttachment, TargetPlan
from tests.pdf_checks import pdf_text

pytestmark = pytest.mark.django_db
SEEDS = (
    Path(__file__).resolve().parents[2].parent
    / "shared"
    / "seeds"
    / "service-operations-source-documents.zh.txt"
)

# Outline heading → the plan field that holds it.
OUTLINE = {
    "公司制度、流程修改建议": "policy_proposals",
    "公司级资源配置建议": "resource_proposals",
    "部门权限设置建议": "authority_proposals",
    "日常管理模式调整策略": "management_mode",
    "人员流失控制率": "attrition_core_pct",
    "制度流程建设目标": "process_targets",
}


@pytest.fixture
def plan(admin, organisation, store, manager):
    dept = Department.objects.create(
        organisation=organisation, store=store, name="售后服务部", code="aftersales"
    )
    return services.plan_create(
        by=admin,
        department=dept,
        store=store,
        year=2026,
        responsible=manager,
        policy_proposals="修订准时交车管理规定",
        resource_proposals="增设快速保养工位",
        authority_proposals="配件紧急采购授权站长",
        management_mode="以月度目标计划为导向",
        process_targets="建立增项确认登记流程",
        attrition_core_pct=5,
        attrition_general_pct=15,
    )


def test_every_outline_heading_has_its_own_field_on_the_form(admin):
    outline = SEEDS.read_text(encoding="utf-8")
    fields = PlanForm(user=admin).fields
    for heading, field in OUTLINE.items():
        assert heading in outline, heading  # the outline of the source documents says so
        assert field in fields, field
    assert "attrition_general_pct" in fields
    assert (
        len({OUTLINE[h] for h in ("公司制度、流程修改建议", "公司级资源配置建议")}) == 2
    )  # no longer one field


def test_attrition_rates_are_percentages(admin, plan):
    form = PlanForm(
        {
            "title": plan.title,
            "responsible": plan.responsible_id,
            "attrition_core_pct": "150",
            "attrition_general_pct": "-1",
        },
        instance=plan,
        user=admin,
    )
    assert not form.is_valid()
    assert {"attrition_core_pct", "attrition_general_pct"} <= set(form.errors)


def test_the_page_and_the_print_show_each_section_under_its_own_heading(client_for, manager, plan):
    client = client_for(manager)
    page = client.get(plan.get_absolute_url()).content.decode()
    for text in [
        "修订准时交车管理规定",
        "增设快速保养工位",
        "配件紧急采购授权站长",
        "以月度目标计划为导向",
        "建立增项确认登记流程",
    ]:
        assert text in page, text
    assert 'data-testid="attrition"' in page and "≤ 5" in page and "≤ 15" in page
    text = pdf_text(client.get(reverse("targets:plan_pdf", args=[plan.pk])).content).replace(" ", "")
    for heading in [
        "7.公司制度、流程修改建议",
        "8.公司级资源配置建议",
        "9.部门权限设置建议",
        "10.日常管理模式调整策略",
        "人员流失控制率",
        "附件1",
        "配件紧急采购授权站长",
    ]:
        assert heading in text, heading


def _approved(plan):
    """Approved (who approves is another rule's business)."""
    TargetPlan.objects.filter(pk=plan.pk).update(state=TargetPlan.State.APPROVED)
    return TargetPlan.objects.get(pk=plan.pk)


def test_a_new_version_carries_the_new_sections(admin, plan):
    plan = _approved(plan)
    newer = services.plan_new_version(by=admin, plan=plan)
    assert (newer.authority_proposals, newer.management_mode, newer.attrition_core_pct) == (
        "配件紧急采购授权站长",
        "以月度目标计划为导向",
        5,
    )


def test_files_attach_to_a_draft_plan_and_are_served_to_who_may_see_it(
    client_for, admin, manager, clerk, manager2, plan
):
    url = reverse("targets:plan_attach", args=[plan.pk])
    upload = SimpleUploadedFile("人员编制计划.xlsx", b"PK\x03\x04 sheet")
    assert client_for(clerk).post(url, {"label": "附件2", "file": upload}).status_code in (403, 404)
    upload.seek(0)
    assert client_for(manager2).post(url, {"label": "附件2", "file": upload}).status_code == 404
    upload.seek(0)
    assert client_for(admin).post(url, {"label": "附件2 人员编制计划", "file": upload}).status_code == 302
    attachment = PlanAttachment.objects.get(plan=plan)
    page = client_for(manager).get(plan.get_absolute_url()).content.decode()
    assert "附件2 人员编制计划" in page
    download = reverse("targets:plan_attachment", args=[plan.pk, attachment.pk])
    assert client_for(manager2).get(download).status_code == 404
    assert client_for(clerk).get(download).status_code in (403, 404)
    response = client_for(manager).get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"PK\x03\x04 sheet"


def test_an_approved_plan_takes_no_more_files(admin, plan):
    plan = _approved(plan)
    with pytest.raises(Locked):
        services.plan_attach(
            by=admin, plan=plan, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4"), label="附件"
        )
