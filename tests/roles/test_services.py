import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from apps.roles.diff import revision_diff
from apps.roles.services import position_revise, revision_content
from tests.factories.org import DepartmentFactory
from tests.factories.roles import content, make_position

pytestmark = pytest.mark.django_db


def revise(position, title=None, areas=None, superiors=None, **kwargs):
    return position_revise(
        position=position,
        content=content(title or position.title, areas),
        department=position.department,
        superiors=superiors if superiors is not None else list(position.superiors.all()),
        effective_date=kwargs.pop("effective_date", dt.date(2025, 6, 1)),
        approver="李行政",
        **kwargs,
    )


def test_saving_a_change_makes_a_new_revision_and_keeps_the_old_one(organisation, admin):
    position = make_position(organisation, "营业员", author=admin, areas={"班后": ["交接班"]})
    first = position.current_revision
    revision = revise(
        position, areas={"班后": ["交接班", "日清日结"]}, change_summary="加日清日结", author=admin
    )
    position.refresh_from_db()
    assert revision.number == 2 and position.current_revision == revision
    assert revision.author == admin and revision.change_summary == "加日清日结"
    assert [t["text"] for t in revision_content(first)["areas"][0]["tasks"]] == ["交接班"]
    assert position.revisions.count() == 2


def test_saving_without_a_change_makes_no_revision(organisation):
    position = make_position(organisation, "营业员", areas={"班后": ["交接班"]})
    assert revise(position, areas={"班后": ["交接班"]}, effective_date=dt.date(2025, 1, 1)) is None
    assert position.revisions.count() == 1


def test_a_revision_keeps_what_it_is_told_to_keep_whatever_was_passed_for_it(organisation):
    dept = DepartmentFactory(organisation=organisation, code="sec", name="安保部")
    boss = make_position(organisation, "营业厅经理")
    peer = make_position(organisation, "大堂经理")
    position = make_position(organisation, "营业厅保安", department=dept, superiors=[boss])
    position.parallels.set([peer])
    revision = position_revise(
        position=position,
        content=content("营业厅保安", {"岗位职责": ["安全巡查"]}),
        department=None,
        store_kind="",
        superiors=[],
        parallels=[],
        approver="",
        keep=("department", "superiors", "parallels", "approver"),
    )
    position.refresh_from_db()
    assert revision.number == 2 and revision.approver == "李行政"
    assert position.department == dept
    assert list(position.superiors.all()) == [boss] and list(position.parallels.all()) == [peer]
    assert revision.relations["superiors"][0]["title"] == "营业厅经理"
    with pytest.raises(ValueError):
        position_revise(position=position, content=content("营业厅保安"), keep=("code",))


@override_settings(ROLES_DOCUMENT_NUMBER_PATTERN="DOC/{dept}/{seq:02d}")
def test_document_numbers_follow_the_configured_pattern(organisation):
    dept = DepartmentFactory(organisation=organisation, code="hall-ops", name="营业部")
    first = make_position(organisation, "营业员", department=dept)
    second = make_position(organisation, "台席岗", department=dept)
    assert (first.code, second.code) == ("DOC/HALL-OPS/01", "DOC/HALL-OPS/02")


def test_the_default_document_number_is_gw_dept_seq(organisation):
    dept = DepartmentFactory(organisation=organisation, code="aftersales", name="售后服务部")
    assert make_position(organisation, "服务顾问", department=dept).code == "GW-AFTERSALES-001"


def test_a_reporting_loop_is_rejected_naming_the_position_that_closes_it(organisation):
    boss = make_position(organisation, "服务站长")
    middle = make_position(organisation, "服务经理", superiors=[boss])
    low = make_position(organisation, "服务顾问", superiors=[middle])
    with pytest.raises(ValidationError) as exc:
        revise(boss, superiors=[low])
    message = exc.value.messages[0]
    assert "服务顾问" in message and "服务站长 → 服务顾问 → 服务经理 → 服务站长" in message
    assert list(boss.superiors.all()) == [] and boss.revisions.count() == 1


def test_a_position_cannot_report_to_itself(organisation):
    boss = make_position(organisation, "服务站长")
    with pytest.raises(ValidationError):
        revise(boss, superiors=[boss])


def test_a_position_may_have_two_superiors(organisation):
    vp = make_position(organisation, "分管副总经理")
    head = make_position(organisation, "服务站长", superiors=[vp])
    manager = make_position(organisation, "服务经理", superiors=[vp, head])
    assert set(manager.superiors.all()) == {vp, head}
    assert set(vp.subordinates.all()) == {head, manager}
    titles = {s["title"] for s in manager.current_revision.relations["superiors"]}
    assert titles == {"分管副总经理", "服务站长"}


def test_the_diff_lists_added_removed_and_changed_duties_and_fields(organisation):
    position = make_position(
        organisation,
        "营业员",
        areas={"班前": ["营业前准备", "检查设备"], "班后": ["交接班", "锁柜"], "旧区域": ["旧任务"]},
    )
    old = position.current_revision
    new = revise(
        position,
        title="移动营业员",
        areas={
            "班前": ["营业前准备", "检查影像设备和自助设备"],
            "班后": ["交接班", "日清日结", "锁柜"],
            "新区域": ["新任务"],
        },
    )
    diff = revision_diff(old, new)
    assert ("营业员", "移动营业员") in [(a, b) for _label, a, b in diff.fields]
    tasks = {(t.status, t.old, t.new) for a in diff.areas for t in a.tasks}
    assert ("changed", "检查设备", "检查影像设备和自助设备") in tasks
    assert ("added", "", "日清日结") in tasks
    assert diff.counts["added"] >= 1 and diff.counts["changed"] >= 1
    statuses = {a.name: a.status for a in diff.areas}
    assert statuses["班前"] == "changed" and statuses["班后"] == "changed"
    assert statuses.get("新区域") in ("added", "renamed")


def test_the_diff_of_a_revision_with_itself_is_empty(organisation):
    position = make_position(organisation, "营业员")
    rev = position.current_revision
    assert revision_diff(rev, rev).is_empty
