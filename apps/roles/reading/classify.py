"""Step 2: what one line is, from its own words and marker (where it goes is step 3's business)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .names import post_title
from .split import Line, clean

FIELDS = {
    "岗位名称": "title",
    "职位名称": "title",
    "所属部门": "department",
    "所在部门": "department",
    "隶属部门": "department",
    "部门名称": "department",
    "岗位描述": "summary",
    "岗位目的": "summary",
    "岗位概述": "summary",
    "岗位概要": "summary",
    "职位概要": "summary",
    "工作概述": "summary",
    "职位目的": "summary",
    "主要任务": "summary",
    "岗位职能": "summary",
    "管理职能": "summary",
    "目的": "summary",
    "范围": "summary",
    "管理权限": "authority",
    "工作权限": "authority",
    "岗位权限": "authority",
    "任用资格": "appointment",
    "直接上级": "rel:superiors",
    "直属上级": "rel:superiors",
    "直接领导": "rel:superiors",
    "汇报对象": "rel:superiors",
    "向上关系": "rel:superiors",
    "直接下属": "rel:subordinates",
    "直接下级": "rel:subordinates",
    "下属部门": "rel:subordinates",
    "向下关系": "rel:subordinates",
    "平行关系": "rel:parallels",
}
SECTIONS = {
    "duties": (
        "岗位职责",
        "岗位责任",
        "工作职责",
        "主要职责",
        "基本职责",
        "主要职能",
        "职责范围",
        "工作内容",
        "日常工作",
        "部门职责",
    ),
    "qualifications": ("任职资格", "任职条件", "任职要求", "岗位要求"),
    "kpis": ("考核指标", "关键绩效指标", "绩效指标", "考核标准", "绩效考核"),
    "relations": ("工作关系",),
    "pay": ("分配政策", "薪酬待遇", "薪资待遇", "薪酬福利"),
    "notes": ("其他要求",),
}
QUALIFICATIONS = {
    "教育水平": "education",
    "学历": "education",
    "工作经验": "experience",
    "经验": "experience",
    "知识": "knowledge",
    "技能技巧": "skills",
    "技能": "skills",
    "性格": "personality",
    "个性": "personality",
}
QUALIFICATION_HINTS = [
    ("education", re.compile(r"学历|大专|本科|中专|高中|专业|毕业")),
    ("experience", re.compile(r"经验|\d+\s*年以上|工作年限")),
    ("personality", re.compile(r"性格|品德|责任心|开朗|外向|吃苦|亲和")),
    ("skills", re.compile(r"能力|技能|熟练|操作|普通话|电脑")),
]
# Headings whose items are not duties: plans, targets, org structure, the document's own purpose.
NOTE_HEADING_RE = re.compile(
    r"目标|规划|计划书|组织结构|组织架构|组织机构|附录|背景|现状|保障措施|说明$|编写说明"
)
PAY_RE = re.compile(
    r"(?:基本工资|最低工资|底薪|提成|奖金|绩效工资|薪酬|工资|收入)[^，。；;]*?(?:=|\d{3,}|方案|系数)"
)
DOCNUMBER_RE = re.compile(r"编\s*号\s*[:：]|Document\s+number|标准化小组\s*[:：]|\[[A-Z0-9-]{8,}\]", re.I)
PROSE_RE = re.compile(
    r"计划人数|现有\s*\d+\s*人|^目前|如下图|^图\s*\d|下面一起|今天为大家|欢迎大家阅读|你知道多少|是什么[?？]"
)
KPI_RE = re.compile(
    r"^(?P<name>.+?)\s*[:：]?\s*(?P<op>≥|>=|≤|<=|不得?低于|不少于|达到|为)\s*(?P<target>[\d.]+\s*(?:%|分|元|万元|次|天|小时)?.*)$"
)
PHASE_RES = [
    ("opening", re.compile(r"班前|营业前|开门前|开店前|早班准备")),
    ("closing", re.compile(r"班后|交接班|下班|营业后|闭店|收尾|日终")),
    ("during", re.compile(r"班中|营业中|营业期间|在岗期间")),
]
FREQUENCY_HINTS = [
    ("per_shift", ("每班", "当班", "交接班", "班前", "班后", "交接")),
    ("daily", ("每日", "每天", "日清日结", "日终", "营业前", "营业工作开始前", "早提前")),
    ("weekly", ("每周",)),
    ("monthly", ("每月", "月初", "月度")),
]


@dataclass
class Kind:
    """kind: post · field · relation · section · qualification · docnumber · toc · pay · prose ·
    heading · item · transparent; value: the title, field, relation or section it names; rest: the
    words after a label."""

    kind: str
    value: str = ""
    rest: str = ""
    name: str = ""  # a section's own word (工作职责, 日常工作 …), which names its area


def guess_frequency(text: str) -> str:
    for frequency, hints in FREQUENCY_HINTS:
        if any(h in text for h in hints):
            return frequency
    return "as_needed"


def phase_of(text: str) -> str:
    for phase, rx in PHASE_RES:
        if rx.search(text):
            return phase
    return ""


def strip_colon(text: str) -> str:
    return re.sub(r"^\s*[:：]\s*", "", text).strip()


def section_of(word: str) -> str:
    word = word.strip().rstrip(":：")
    for section, words in SECTIONS.items():
        if word in words or any(word.endswith(w) for w in words if len(w) == 4 and w.endswith("职责")):
            return section
    return ""


def _labelled(text: str, labels) -> tuple[str, str] | None:
    m = re.match(r"^(" + "|".join(sorted(labels, key=len, reverse=True)) + r")(?:\s*[:：]\s*|\s+)(.*)$", text)
    return (m.group(1), m.group(2)) if m else None


def classify(line: Line) -> Kind:
    """What a line is. Only the line itself and whether items hang under it are looked at."""
    body = clean(line.body)
    text = line.text
    if line.style == "toc":
        return Kind("toc")
    if DOCNUMBER_RE.search(text):
        return Kind("docnumber", post_title(text.split()[0]) if text.split() else "")
    if line.style == "pay" or PAY_RE.search(body):
        return Kind("pay")
    if line.style == "label" and is_note_heading(line.marker.rstrip(":：")):
        return Kind("prose")  # 说明: / 背景: … about the document, not a duty
    if line.style == "transparent":
        return Kind("transparent", rest=body)
    if line.style == "system":
        return Kind("heading", body)
    if line.style == "duty":
        return Kind("heading", body) if line.has_children else Kind("item", rest=body)
    head = body if line.style not in ("field", "keyword", "label", "post") else clean(line.marker + line.body)
    title = post_title(head)
    if title:
        return Kind("post", title, rest=head)
    if line.style == "plain":  # a cover or a title run into its first sentence: it stays a note
        title = post_title(head.split(" ")[0]) or post_title(head, anywhere=True)
        if title:
            return Kind("post", title, rest="cover")
    found = _labelled(head, FIELDS)
    if found:
        target, rest = FIELDS[found[0]], strip_colon(found[1])
        if target.startswith("rel:"):
            return Kind("relation", target[4:], rest=rest)
        return Kind("field", target, rest=rest)
    found = _labelled(head, [w for words in SECTIONS.values() for w in words])
    word = found[0] if found else head.rstrip(":：")
    section = section_of(word) or (
        section_of(re.sub(r"^.*?(?=..职责$)", "", word)) if len(word) <= 12 else ""
    )
    if section and (found or len(word) <= 12):
        return Kind("section", section, rest=strip_colon(found[1]) if found else "", name=word)
    found = _labelled(head, QUALIFICATIONS)
    if found and line.style not in ("plain",):
        return Kind("qualification", QUALIFICATIONS[found[0]], rest=strip_colon(found[1]))
    if PROSE_RE.search(body):
        return Kind("prose")
    if line.has_children:
        return Kind("heading", head, rest="")
    return Kind("item", rest=text if line.style == "label" else body)


def qualification_field(text: str) -> str:
    """Which qualification an unlabelled 任职资格 item is about."""
    for name, rx in QUALIFICATION_HINTS:
        if rx.search(text):
            return name
    return "knowledge"


def kpi_parts(text: str) -> tuple[str, str]:
    m = KPI_RE.match(text)
    return (m.group("name"), f"{m.group('op')}{m.group('target')}") if m else (text, "")


def looks_like_kpi(text: str) -> bool:
    return bool(KPI_RE.match(text)) and bool(re.search(r"\d", text))


def is_note_heading(text: str) -> bool:
    """A heading over plans, targets or structure: judged on its name, not the sentence after it."""
    name = re.split(r"[\s,，:：。；;]", re.sub(r"^[\d.、．\s]+", "", text.strip()), maxsplit=1)[0]
    return bool(NOTE_HEADING_RE.search(name)) and not re.search(r"职责|职能", name)
