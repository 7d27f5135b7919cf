"""The importer reads each numbering style of the source documents and never drops a line."""

import re
from pathlib import Path

import pytest

from apps.roles.parsing import FIELD_LABELS, KEYWORDS, QUALIFICATION_LABELS, parse_text

SEEDS = Path("/work/shared/seeds/service-operations-source-documents.zh.txt")


def tasks_of(parsed):
    return {a.name: [t.text for t in a.tasks] for a in parsed.areas}


def test_chinese_numerals_with_parenthesised_and_arabic_items():
    parsed = parse_text(
        "门店保安岗位职责\n"
        "一、岗位描述和职责\n(一)岗位描述:维护门店秩序,做好安全保卫工作。\n(二)基本职责:\n"
        "1、遵守门店规章制度。\n2、检查安全隐患。\n"
        "二、执行细则\n(一)现场管理\n1、维护厅内秩序\n(1)在岗期间主动维持秩序。\n(2)检查厅内物品。\n"
        "(二)预防管理\n1、每日检查消防器材。\n"
    )
    assert parsed.title == "门店保安"
    assert parsed.fields["summary"] == "维护门店秩序,做好安全保卫工作。"
    areas = tasks_of(parsed)
    assert areas["基本职责"] == ["遵守门店规章制度。", "检查安全隐患。"]
    assert areas["维护厅内秩序"] == ["在岗期间主动维持秩序。", "检查厅内物品。"]
    assert areas["预防管理"] == ["每日检查消防器材。"]
    assert parsed.areas[-1].tasks[0].frequency == "daily"


def test_letters_with_parenthesised_numbers_on_one_line():
    parsed = parse_text(
        "行政部职责 A. 文秘工作 (1)起草工作计划。 (2)管理公司印章。 B. 行政工作 (1)管理宿舍。"
    )
    assert tasks_of(parsed) == {"文秘工作": ["起草工作计划。", "管理公司印章。"], "行政工作": ["管理宿舍。"]}


def test_duty_items_with_work_tasks_under_systems():
    parsed = parse_text(
        "台席岗岗位职责表 主动服务营销体系 职责一:业务推广 工作任务 1、主动宣传新业务 2、配合促销 "
        "职责二:客户挽留 工作任务对于离网客户进行挽留 业务办理体系 职责一:业务办理 工作任务1、办理缴费 2、做好交接班 "
        "任职资格 教育水平中专 经验不限 性格外向"
    )
    areas = tasks_of(parsed)
    assert areas["主动服务营销体系"] == [
        "业务推广：主动宣传新业务",
        "业务推广：配合促销",
        "客户挽留：对于离网客户进行挽留",
    ]
    assert areas["业务办理体系"] == ["业务办理：办理缴费", "业务办理：做好交接班"]
    assert parsed.fields["education"] == "中专" and parsed.fields["experience"] == "不限"
    assert parsed.fields["personality"] == "外向"
    assert parsed.areas[1].tasks[1].frequency == "per_shift"


def test_bullets_question_marks_and_dashes():
    parsed = parse_text(
        "主要职责 ?遵守公司制度 ?部门管理工作: -管理所属员工 -主持本部门例会 ?具体工作: -负责售后客户服务"
    )
    areas = tasks_of(parsed)
    assert areas["部门管理工作"] == ["管理所属员工", "主持本部门例会"]
    assert areas["具体工作"] == ["负责售后客户服务"]
    assert "遵守公司制度" in areas["主要职责"]


def test_labelled_items_and_relations():
    parsed = parse_text(
        "服务经理 岗位说明\n直接上级:分管副总、站长\n直接下属:服务顾问\n工作职责\n1. 负责前台服务营销\n2. 处理用户抱怨\n"
        "日常工作\n1. 每月初制定培训计划\n"
    )
    assert parsed.relations["superiors"] == "分管副总、站长"
    assert tasks_of(parsed) == {
        "工作职责": ["负责前台服务营销", "处理用户抱怨"],
        "日常工作": ["每月初制定培训计划"],
    }
    assert parsed.areas[1].tasks[0].frequency == "monthly"


def test_colon_labels_without_numbers_become_tasks():
    parsed = parse_text("营业员职责 熟悉业务:熟悉资费标准; 营业准备:提前做好准备工作;")
    assert tasks_of(parsed)["岗位职责"] == ["熟悉业务：熟悉资费标准;", "营业准备：提前做好准备工作;"]


def test_unparseable_lines_are_kept_as_notes():
    parsed = parse_text("某岗位\n这是一段没有编号的说明文字。\n另一段说明\n一、职责\n1、第一项")
    assert "这是一段没有编号的说明文字。" in parsed.notes and "另一段说明" in parsed.notes
    assert tasks_of(parsed) == {"职责": ["第一项"]}


# Structure words are not content: a label's words live on in the field it fills.
LABELS = "|".join([*FIELD_LABELS, *QUALIFICATION_LABELS, *KEYWORDS])
MARKER = re.compile(rf"^(职责[一二三四五六七八九十]+|工作任务|[一二三四五六七八九十]+|\d+|{LABELS})$")


def words(text: str) -> list[str]:
    parts = re.split(r"[\s、，,。；;:：()（）?？\-·•【】\[\].．⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽]+", text)
    parts = [
        re.sub(r"职责[一二三四五六七八九十]+$", "", re.sub(rf"^(\d+|工作任务|{LABELS})", "", w))
        for w in parts
    ]
    return [w for w in parts if len(w) >= 2 and not MARKER.match(w)]


def documents():
    text = SEEDS.read_text(encoding="utf-8")
    return [d for d in re.split(r"\n\s*\n", text) if d.strip()]


@pytest.mark.skipif(not SEEDS.exists(), reason="source documents not present")
def test_no_line_of_the_source_documents_is_lost():
    checked = 0
    for doc in documents():
        parsed = parse_text(doc)
        blob = re.sub(r"\s+", "", parsed.all_text())
        for line in doc.splitlines():
            for word in words(line):
                assert word in blob, f"lost {word!r} from {line[:40]!r}"
                checked += 1
    assert checked > 1000


@pytest.mark.skipif(not SEEDS.exists(), reason="source documents not present")
def test_the_source_role_descriptions_give_areas_and_tasks():
    text = SEEDS.read_text(encoding="utf-8")
    start = text.index("营业厅保安岗位职责 一、")
    guard = parse_text(text[start : text.index("售后服务部工作规划", start)])
    assert guard.task_count >= 15 and "预防管理" in tasks_of(guard)
    start = text.index("营业厅台席岗岗位职责表")
    counter = parse_text(text[start : text.index("售后服务工作规划", start)])
    assert [a.name for a in counter.areas] == ["主动服务营销体系", "业务办理体系", "协作体系"]
