"""The import review page: each post of a description is a proposed position the reviewer checks,
links and saves; a SOP's checklist templates are accepted from the same page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.checklists.models import ChecklistTemplate, Phase
from apps.roles.models import Position
from tests.factories.org import DepartmentFactory, OrganisationFactory, StoreFactory, member
from tests.factories.roles import make_position
from tests.walks.crawl import parse

pytestmark = pytest.mark.django_db

MULTI = (
    "行政部岗位职责\n"
    "一、行政主管岗位职责\n直接上级：总经理\n1、安排行政部各岗位的工作。\n"
    "二、厨师岗位职责\n直接上级：行政主管\n平行关系：后勤主管\n1、负责员工工作午餐。\n2、基本工资1500\n"
)
SOP = (
    "营业厅值班长岗位标准作业指导\n目录 一、目的 (1) 二、班前准备 (2) 三、班后注意事项 (3)\n"
    "一、目的\n规范值班长的日常作业。\n二、班前准备\n1、检查营业设备是否正常。\n2、召开班前会。\n"
    "三、班后注意事项\n1、核对营业款并上缴。\n"
)


def review(client, **post):
    """Reads a description; returns the review page's HTML and what its form sends untouched."""
    response = client.post(reverse("roles:import"), post)
    assert response.status_code == 200
    html = response.content.decode()
    forms = parse(reverse("roles:import"), 200, "text/html", html).forms
    form = next(f for f in forms if any(fl.name == "step" for fl in f.fields))
    return html, form.data()


def test_a_multi_post_description_gives_one_proposed_position_per_post(client_for, admin, organisation):
    make_position(organisation, "总经理")
    html, _data = review(client_for(admin), text=MULTI)
    assert html.count('data-testid="proposal"') == 2
    assert 'value="行政主管"' in html and 'value="厨师"' in html
    assert 'data-testid="unresolved"' in html and "后勤主管" in html  # no such position: offered to resolve
    assert 'data-testid="pay-lines"' in html and "基本工资1500" in html


def test_reviewing_and_saving_a_multi_post_description_links_the_posts(client_for, admin, organisation):
    dept = DepartmentFactory(organisation=organisation, code="admin", name="行政部")
    boss = make_position(organisation, "总经理")
    logistics = make_position(organisation, "后勤组长")
    client = client_for(admin)
    _html, data = review(client, text=MULTI)
    assert data["p0-department"] == [str(dept.pk)] and data["p0-superiors"] == [str(boss.pk)]
    assert data["p1-internal_superiors"] == ["0"]  # 厨师 reports to 行政主管 of the same document
    data["p1-resolve_0"] = [str(logistics.pk)]  # the reviewer says which position 后勤主管 is
    response = client.post(reverse("roles:import"), data)
    assert response.status_code == 302
    head = Position.objects.get(title="行政主管")
    chef = Position.objects.get(title="厨师")
    assert list(head.superiors.all()) == [boss] and head.department == dept
    assert list(chef.superiors.all()) == [head] and list(chef.parallels.all()) == [logistics]
    assert chef.department == dept
    tasks = [t.text for a in chef.current_revision.areas.all() for t in a.tasks.all()]
    assert tasks == ["负责员工工作午餐。"]
    assert "基本工资1500" in chef.current_revision.notes


def test_a_proposal_left_out_is_not_saved_and_nothing_is_saved_when_one_is_invalid(
    client_for, admin, organisation
):
    client = client_for(admin)
    _html, data = review(client, text=MULTI)
    data["p1-title"] = [""]  # invalid: a position needs a title
    response = client.post(reverse("roles:import"), data)
    assert response.status_code == 200 and not Position.objects.filter(title="行政主管").exists()
    data.pop("p1-include")
    assert client.post(reverse("roles:import"), data).status_code == 302
    assert (
        Position.objects.filter(title="行政主管").exists() and not Position.objects.filter(title="").exists()
    )


def test_a_revision_adds_a_relation_the_description_names_and_keeps_the_rest(client_for, admin, organisation):
    dept = DepartmentFactory(organisation=organisation, code="ops", name="营业部")
    boss = make_position(organisation, "营业厅经理", department=dept)
    peer = make_position(organisation, "大堂经理", department=dept)
    clerk_post = make_position(organisation, "营业员", superiors=[boss], department=dept)
    client = client_for(admin)
    html, data = review(client, text="营业员岗位职责\n平行关系：大堂经理\n1、受理业务。\n2、核对营业款。")
    assert data["p0-target"] == [str(clerk_post.pk)] and data["p0-superiors"] == [str(boss.pk)]
    assert data["p0-resolve_0"] == [str(peer.pk)]  # offered beside the position's own lines, preselected
    assert client.post(reverse("roles:import"), data).status_code == 302
    clerk_post.refresh_from_db()
    assert clerk_post.revisions.count() == 2
    assert clerk_post.department == dept and list(clerk_post.superiors.all()) == [boss]
    assert list(clerk_post.parallels.all()) == [peer]


def test_accepting_a_proposed_checklist_template_creates_it_for_the_position(client_for, admin, organisation):
    client = client_for(admin)
    html, data = review(client, text=SOP)
    assert 'data-testid="checklist-proposals"' in html and "检查营业设备是否正常。" in html
    assert "p0-checklists" not in data  # proposed, not accepted until the reviewer ticks it
    data["p0-checklists"] = ["opening"]
    assert client.post(reverse("roles:import"), data).status_code == 302
    position = Position.objects.get(title="营业厅值班长")
    assert position.current_revision.summary == "规范值班长的日常作业。"
    template = ChecklistTemplate.objects.get(position=position)
    assert template.phase == Phase.OPENING and template.organisation == organisation
    items = list(template.items.order_by("order"))
    assert [i.text for i in items] == ["检查营业设备是否正常。", "召开班前会。"]
    assert items[0].duty_task is not None and items[0].duty_task.text == items[0].text


def test_a_sop_saved_without_accepting_creates_no_template(client_for, admin):
    client = client_for(admin)
    _html, data = review(client, text=SOP)
    assert client.post(reverse("roles:import"), data).status_code == 302
    assert not ChecklistTemplate.objects.exists()


def test_an_uploaded_text_file_is_read_into_the_review(client_for, admin):
    upload = SimpleUploadedFile(
        "chef.txt", "厨师岗位职责\n1、负责员工工作午餐\n这行没有编号".encode("gb18030")
    )
    html, _data = review(client_for(admin), file=upload)
    assert "负责员工工作午餐" in html and "这行没有编号" in html


def test_a_clerk_cannot_read_or_save_an_import(client_for, admin, clerk):
    _html, data = review(client_for(admin), text=MULTI)
    client = client_for(clerk)
    assert client.post(reverse("roles:import"), {"text": MULTI}).status_code == 403
    assert client.post(reverse("roles:import"), data).status_code == 403
    assert not Position.objects.exists()


def test_a_position_of_another_organisation_cannot_be_the_target_or_a_superior(
    client_for, admin, organisation
):
    other = OrganisationFactory(name="别的集团", code="other-org")
    member(StoreFactory(organisation=other), "admin", "outsider")
    foreign = make_position(other, "营业员")
    client = client_for(admin)
    _html, data = review(client, text="营业员岗位职责\n1、受理业务。")
    assert data.get("p0-target", [""]) == [""]  # not matched across organisations
    assert client.post(reverse("roles:import"), {**data, "p0-target": [str(foreign.pk)]}).status_code == 404
    response = client.post(reverse("roles:import"), {**data, "p0-superiors": [str(foreign.pk)]})
    assert response.status_code == 200 and not Position.objects.filter(organisation=organisation).exists()


def test_each_proposed_position_has_its_own_duties_editor(client_for, admin):
    """The htmx editor works on one proposal's rows (p1-areas-…) and ignores a malformed prefix."""
    client = client_for(admin)
    data = {
        "prefix": "p1-",
        "op": "add_task:0",
        "p1-areas-0-name": "岗位职责",
        "p1-areas-0-tasks-0-text": "甲",
    }
    html = client.post(reverse("roles:duties_op"), data).content.decode()
    assert 'id="duties-p1"' in html and 'name="p1-areas-0-tasks-1-text"' in html and "甲" in html
    html = client.post(reverse("roles:duties_op"), {**data, "prefix": 'x"><script>'}).content.decode()
    assert 'id="duties"' in html and "<script>" not in html


def test_malformed_review_data_is_refused_without_an_error_page(client_for, admin):
    client = client_for(admin)
    _html, data = review(client, text=MULTI)
    assert client.post(reverse("roles:import"), {**data, "p0-target": ["abc"]}).status_code == 404
    for key, value in (("count", "abc"), ("p1-internal_superiors", "x"), ("p0-checklists", "nope")):
        response = client.post(reverse("roles:import"), {**data, key: [value]})
        assert response.status_code in (200, 302)
    assert client.post(
        reverse("roles:import"), {**data, "p0-unresolved": ["superiors\t" + "长" * 500]}
    ).status_code in (200, 302)
