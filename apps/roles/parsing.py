"""Turns a pasted or uploaded role description (岗位职责) into areas, tasks, fields and notes.

The source documents number their items in many styles and often run a whole description into one
line, so markers are found anywhere they follow a space or a sentence end:

    一、 / (一) / 1、 1. / (1) ⑴ / A. A, / 5.1.1. / 职责一: / 工作任务 / ? • - bullets /
    keywords (工作职责, 日常工作 …) / field labels (直接上级:, 岗位描述:, 教育水平 …) / "标签:" items

Levels come from the order in which marker styles first appear (the first style seen is the top
level), as in a hand-numbered document. Leaves become tasks; their parent heading names the area.
Every piece of text ends up somewhere (title, field, area, task, KPI or note): nothing is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from docx import Document

from apps.uploads import archive_check

CN_NUM = "一二三四五六七八九十百"
FIELD_LABELS = {
    "岗位描述": "summary",
    "岗位目的": "summary",
    "主要任务": "summary",
    "岗位职能": "summary",
    "管理权限": "authority",
    "任用资格": "appointment",
    "直接上级": "rel:superiors",
    "向上关系": "rel:superiors",
    "直接下属": "rel:subordinates",
    "下属部门": "rel:subordinates",
    "向下关系": "rel:subordinates",
    "平行关系": "rel:parallels",
}
QUALIFICATION_LABELS = {
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
KEYWORDS = [
    "岗位职责",
    "工作职责",
    "主要职责",
    "基本职责",
    "主要职能",
    "日常工作",
    "任职资格",
    "考核指标",
    "关键绩效指标",
    "工作关系",
    "分配政策",
    "其他要求",
]
TRANSPARENT = {"工作任务"}  # "the tasks follow": structure only
DEFAULT_AREA = "岗位职责"

_BEFORE = r"(?:(?<=^)|(?<=[\s。；;！!？?：:，,）)]))"
_MARKERS = [
    ("system", r"(?:(?<=^)|(?<=\s))[^\s，。；;:：、,()（）]{2,12}体系(?=\s*职责[" + CN_NUM + r"]+[:：])"),
    ("duty", r"职责[" + CN_NUM + r"]+\s*[:：]"),
    ("transparent", r"(?:(?<=^)|(?<=\s))工作任务"),
    ("cn", _BEFORE + r"[" + CN_NUM + r"]+\s*[、.．]"),
    ("paren_cn", _BEFORE + r"[(（]\s*[" + CN_NUM + r"]+\s*[)）]\s*[、.．]?"),
    ("dotted", _BEFORE + r"\d+(?:\.\d+)+\.?(?!\d)"),
    ("arabic", _BEFORE + r"\d+(?: \d)?\s*[、.．](?!\d)"),
    ("paren_arabic", _BEFORE + r"(?:[(（]\s*\d+\s*[)）]|[⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇])\s*[、.．]?"),
    ("circled", _BEFORE + r"[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]"),
    ("letter", r"(?:(?<=^)|(?<=\s))[A-Z]\s*[.．、,，](?![A-Za-z0-9])"),
    ("bullet", r"(?:(?<=^)|(?<=\s))[?？•·●■◆▪➢◇○□√✓]"),
    ("dash", r"(?:(?<=^)|(?<=\s))[-–—](?!\s*\d)"),
    ("field", r"(?:(?<=^)|(?<=\s))(?:" + "|".join(FIELD_LABELS) + r")(?=\s*[:：]|\s)"),
    ("keyword", r"(?:(?<=^)|(?<=\s))(?:" + "|".join(KEYWORDS) + r")(?=\s*[:：]|\s|$)"),
    ("label", r"(?:(?<=^)|(?<=\s))[^\s\d:：，。；;,、.()（）A-Za-z?？]{2,8}[:：]"),
]
MARKER_RE = re.compile("|".join(f"(?P<{name}>{rx})" for name, rx in _MARKERS), re.MULTILINE)
FREQUENCY_HINTS = [
    ("per_shift", ("每班", "当班", "交接班", "班前", "班后", "交接")),
    ("daily", ("每日", "每天", "日清日结", "日终", "营业前", "营业工作开始前", "早提前")),
    ("weekly", ("每周",)),
    ("monthly", ("每月", "月初", "月度")),
]
KPI_RE = re.compile(r"^(?P<name>.+?)\s*(?P<op>≥|>=|≤|<=|不低于|不少于|达到|为)\s*(?P<target>[\d.]+\s*%?.*)$")


def guess_frequency(text: str) -> str:
    for frequency, hints in FREQUENCY_HINTS:
        if any(h in text for h in hints):
            return frequency
    return "as_needed"


def clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def strip_label_colon(text: str) -> str:
    return re.sub(r"^[:：]\s*", "", text).strip()


@dataclass
class ParsedTask:
    text: str
    frequency: str = "as_needed"


@dataclass
class ParsedArea:
    name: str
    tasks: list[ParsedTask] = field(default_factory=list)


@dataclass
class ParsedKpi:
    name: str
    target: str = ""
    definition: str = ""
    unit: str = ""


@dataclass
class ParsedDescription:
    title: str = ""
    fields: dict[str, str] = field(default_factory=dict)
    relations: dict[str, str] = field(default_factory=dict)
    areas: list[ParsedArea] = field(default_factory=list)
    kpis: list[ParsedKpi] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add_field(self, name: str, text: str) -> None:
        text = clean(text)
        if text:
            self.fields[name] = f"{self.fields[name]}\n{text}" if self.fields.get(name) else text

    def all_text(self) -> str:
        parts = [self.title, *self.fields.values(), *self.relations.values(), *self.notes]
        for area in self.areas:
            parts.append(area.name)
            parts.extend(t.text for t in area.tasks)
        for kpi in self.kpis:
            parts.extend([kpi.name, kpi.target, kpi.definition, kpi.unit])
        return "\n".join(p for p in parts if p)

    @property
    def task_count(self) -> int:
        return sum(len(a.tasks) for a in self.areas)


@dataclass
class _Node:
    style: str
    marker: str
    text: str
    parent: _Node | None = None
    children: list[_Node] = field(default_factory=list)

    @property
    def heading(self) -> str:
        if self.style == "keyword":
            return self.marker.strip().rstrip(":：")
        if self.style == "label":
            body = strip_label_colon(clean(self.text)).rstrip(":：;；,，。")
            label = self.marker.strip().rstrip(":：")
            return f"{label}：{body}" if body else label
        return strip_label_colon(clean(self.text)).rstrip(":：;；,，。")


def tokenize(text: str) -> tuple[str, list[tuple[str, str, str]]]:
    """(preamble, [(style, marker, body), ...]) in document order; marker + body rebuild the text."""
    text = text.replace("\u3000", " ").replace("\r", "")
    # "工作任务1、…": the numbering right after the keyword counts as a marker.
    text = re.sub(r"(工作任务)(?=[\d(（])", r"\1 ", text)
    matches = list(MARKER_RE.finditer(text))
    preamble = text[: matches[0].start()] if matches else text
    segments = []
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        segments.append((m.lastgroup, m.group(0), text[m.end() : end]))
    return preamble, segments


def _style_key(style: str, marker: str) -> str:
    if style == "dotted":
        return f"dotted{marker.rstrip('.').count('.')}"
    return style


def _build_tree(segments) -> list[_Node]:
    roots: list[_Node] = []
    ranks: dict[str, int] = {}
    stack: list[tuple[int, _Node]] = []
    for style, marker, body in segments:
        node = _Node(style, "", marker + body) if style == "system" else _Node(style, marker, body)
        key = _style_key(style, marker)
        if style in ("system", "keyword", "field"):
            rank = -1  # section words (体系, 工作职责, 任职资格, 直接上级 …) start a new top-level section
        elif key in ranks:
            rank = ranks[key]
        else:
            rank = max((r for r, _ in stack), default=-1) + 1
            ranks[key] = rank
        while stack and stack[-1][0] >= rank:
            stack.pop()
        if stack:
            node.parent = stack[-1][1]
            node.parent.children.append(node)
        else:
            roots.append(node)
        if style != "field":  # a field holds its own words only
            stack.append((rank, node))
    return roots


def _split_qualifications(parsed: ParsedDescription, text: str) -> str:
    """Pulls 教育水平 / 经验 / 知识 … out of a 任职资格 block; returns what is left."""
    rx = re.compile(r"(?:(?<=^)|(?<=\s))(" + "|".join(QUALIFICATION_LABELS) + r")\s*[:：]?")
    matches = list(rx.finditer(text))
    if not matches:
        return text
    rest = text[: matches[0].start()]
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        parsed.add_field(QUALIFICATION_LABELS[m.group(1)], text[m.end() : end])
    return rest


def _node_text(node: _Node) -> str:
    """A node's own words, with its label kept (熟悉业务：…) so the task reads as written."""
    body = clean(node.text)
    if node.style in ("label", "keyword") and node.marker:
        label = node.marker.rstrip(":：").strip()
        return f"{label}：{strip_label_colon(body)}" if body else label
    if node.style == "duty":
        return body
    return body


def parse_text(text: str) -> ParsedDescription:
    parsed = ParsedDescription()
    preamble, segments = tokenize(text)
    # The preamble: a short first line is the title, everything else is kept as notes.
    lines = [clean(line) for line in preamble.splitlines() if clean(line)]
    if lines and len(lines[0]) <= 30:
        parsed.title = (
            re.sub(r"(岗位职责表?|岗位说明书?|职位说明|工作职责)$", "", lines[0]).strip() or lines[0]
        )
        if parsed.title != lines[0]:
            parsed.notes.append(lines[0])
        lines = lines[1:]
    parsed.notes.extend(lines)

    roots = _build_tree(segments)
    areas_by_node: dict[int, ParsedArea] = {}
    default_area: ParsedArea | None = None

    def area_for(node: _Node) -> tuple[ParsedArea, str]:
        nonlocal default_area
        parent = node.parent
        prefix = ""
        while parent is not None and parent.style == "transparent" and not clean(parent.text):
            parent = parent.parent
        if parent is not None and parent.style == "transparent":
            parent = parent.parent
        if parent is not None and parent.style == "duty":
            prefix = parent.heading
            parent = parent.parent
        if parent is None:
            if default_area is None:
                default_area = ParsedArea(DEFAULT_AREA)
                parsed.areas.append(default_area)
            return default_area, prefix
        area = areas_by_node.get(id(parent))
        if area is None:
            name = parent.heading or DEFAULT_AREA
            if len(name) > 40:  # a heading with a paragraph after it: the words stay in the notes
                name = re.split(r"[\s：:。；;，,]", name, maxsplit=1)[0][:40]
            area = ParsedArea(name)
            areas_by_node[id(parent)] = area
            parsed.areas.append(area)
        return area, prefix

    def add_task(node: _Node, text: str) -> None:
        text = clean(text)
        if not text:
            return
        area, prefix = area_for(node)
        if area.name in ("考核指标", "关键绩效指标"):
            m = KPI_RE.match(text)
            parsed.kpis.append(
                ParsedKpi(name=m.group("name"), target=f"{m.group('op')}{m.group('target')}")
                if m
                else ParsedKpi(name=text)
            )
            return
        full = f"{prefix}：{text}" if prefix else text
        area.tasks.append(ParsedTask(full, guess_frequency(full)))

    def visit(node: _Node) -> None:
        body = clean(node.text)
        if node.style == "field":
            target = FIELD_LABELS[node.marker.strip()]
            value = strip_label_colon(body)
            if target.startswith("rel:"):
                parsed.relations[target[4:]] = clean(f"{parsed.relations.get(target[4:], '')} {value}")
                parsed.notes.append(f"{node.marker.strip()}：{value}")
            else:
                parsed.add_field(target, value)
            for child in node.children:
                visit(child)
            return
        if node.style == "keyword" and node.marker.strip() == "任职资格":
            rest = _split_qualifications(parsed, strip_label_colon(body))
            if clean(rest):
                parsed.notes.append(f"任职资格：{clean(rest)}")
            for child in node.children:
                visit(child)
            return
        # A numbered item that opens with a field label: (一)岗位描述:…
        m = re.match(r"^\s*(" + "|".join(FIELD_LABELS) + r")\s*[:：]", node.text)
        if m and not node.children:
            target = FIELD_LABELS[m.group(1)]
            value = clean(node.text[m.end() :])
            if target.startswith("rel:"):
                parsed.relations[target[4:]] = value
                parsed.notes.append(f"{m.group(1)}：{value}")
            else:
                parsed.add_field(target, value)
            return
        if node.children:
            headings.append(node)
            # A heading: its name becomes the area; any words after the name stay as a note.
            if node.style == "transparent" and body:
                add_task(node.children[0], body)  # "工作任务 对于…" before numbered items
            elif (
                node.style == "keyword"
                and body
                or node.style not in ("transparent", "system", "duty")
                and len(node.heading) > 40
            ):
                parsed.notes.append(_node_text(node))
            for child in node.children:
                visit(child)
            return
        # A leaf.
        if node.style == "keyword":
            if body:
                parsed.notes.append(_node_text(node))
            elif node.marker.strip() not in ("工作关系",):
                parsed.notes.append(node.marker.strip())
            return
        if node.style == "system":
            parsed.notes.append(body)
            return
        if node.style == "duty":
            if body:
                add_task(node, body)
            return
        if node.style == "label" and not body:
            parsed.notes.append(node.marker.strip())
            return
        add_task(node, _node_text(node))

    headings: list[_Node] = []
    for root in roots:
        visit(root)
    # A heading that named no area (its items were sub-headings) keeps its words as a note.
    for node in headings:
        unused = id(node) not in areas_by_node and node.style not in ("transparent", "duty")
        if unused and node.heading and len(node.heading) <= 40:
            parsed.notes.append(_node_text(node))
    if not parsed.title and parsed.areas and parsed.areas[0].name.endswith("岗位职责"):
        parsed.title = parsed.areas[0].name.removesuffix("岗位职责")
    # A heading left with no tasks (its items were all fields) still keeps its words, as a note.
    for area in parsed.areas:
        if not area.tasks and area.name != DEFAULT_AREA:
            parsed.notes.append(area.name)
    parsed.areas = [a for a in parsed.areas if a.tasks]
    return parsed


def _too_long() -> ValidationError:
    return ValidationError(
        _(
            "A role description may have at most %(chars)s characters and %(lines)s lines; "
            "this one is longer. Import one position at a time."
        ),
        code="too_long",
        params={"chars": settings.ROLES_IMPORT_MAX_CHARS, "lines": settings.ROLES_IMPORT_MAX_LINES},
    )


def description_check(text: str) -> str:
    """A role description within ROLES_IMPORT_MAX_CHARS characters and ROLES_IMPORT_MAX_LINES lines
    (a real one has a few thousand characters); ValidationError otherwise."""
    if len(text) > settings.ROLES_IMPORT_MAX_CHARS or text.count("\n") >= settings.ROLES_IMPORT_MAX_LINES:
        raise _too_long()
    return text


def docx_text(file) -> str:
    """The text of a .docx, paragraphs and table rows in document order.

    The archive is checked before python-docx opens it, and reading stops once the text is longer
    than a role description may be (ValidationError)."""
    archive_check(file, max_bytes=settings.ROLES_IMPORT_MAX_DOCX_BYTES)
    document = Document(file)
    max_chars, max_lines = settings.ROLES_IMPORT_MAX_CHARS, settings.ROLES_IMPORT_MAX_LINES
    lines: list[str] = []
    size = 0
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
        elif tag == "tbl":
            for row in child.iter():
                if row.tag.endswith("}tr"):
                    cells = []
                    for cell in row.iterchildren():
                        if cell.tag.endswith("}tc"):
                            cells.append("".join(t.text or "" for t in cell.iter() if t.tag.endswith("}t")))
                    lines.append(" ".join(c for c in cells if c))
        else:
            continue
        size += len(lines[-1]) + 1
        if size > max_chars + 1 or len(lines) > max_lines:
            raise _too_long()
    return "\n".join(lines)


def read_upload(upload) -> str:
    """The text of an uploaded .docx or .txt role description (ValidationError when it is too large
    or unreadable)."""
    name = (upload.name or "").lower()
    if name.endswith(".docx"):
        try:
            return description_check(docx_text(upload))
        except ValidationError:
            raise
        except Exception as exc:  # python-docx on a damaged file: the user's error, not a 500
            raise ValidationError(_("This file could not be read."), code="unreadable") from exc
    # Four bytes cover any character in UTF-8 or GB18030: a larger file has too many characters.
    if upload.size is not None and upload.size > 4 * settings.ROLES_IMPORT_MAX_CHARS:
        raise _too_long()
    raw = upload.read(4 * settings.ROLES_IMPORT_MAX_CHARS + 1)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return description_check(raw.decode(encoding))
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("This file could not be read."), code="unreadable")
