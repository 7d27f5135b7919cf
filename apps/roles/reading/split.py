"""Step 1: cut a description into lines, each with its numbering marker and its place in the outline.

Source documents number their items in many styles and often run a whole description into one
paragraph, so markers are found anywhere they follow a space or a sentence end:

    一、 / (一) / 1、 1. / (1) ⑴ / A. A, / 5.1.1. / 职责一: / 工作任务 / ? • - bullets /
    section words (岗位职责, 任职资格 …) / field labels (直接上级:, 岗位名称：…) / "标签:" items /
    "X岗位说明" post headings / "X工资=" pay formulas

A table of contents (目录 … (3)) is cut into one line per entry. A line ending a sentence and
followed by a line break ends an item even without a marker.

Levels come from the order in which marker styles first appear (the first style seen is the top
level), as in a hand-numbered document; section words and field labels start a new top section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CN_NUM = "一二三四五六七八九十百"
FIELD_WORDS = [
    "岗位名称",
    "职位名称",
    "所属部门",
    "所在部门",
    "隶属部门",
    "部门名称",
    "岗位描述",
    "岗位目的",
    "岗位概述",
    "岗位概要",
    "职位概要",
    "工作概述",
    "职位目的",
    "主要任务",
    "岗位职能",
    "管理职能",
    "管理权限",
    "工作权限",
    "岗位权限",
    "任用资格",
    "直接上级",
    "直属上级",
    "直接领导",
    "汇报对象",
    "向上关系",
    "直接下属",
    "直接下级",
    "下属部门",
    "向下关系",
    "平行关系",
]
SECTION_WORDS = [
    "岗位职责",
    "工作职责",
    "主要职责",
    "基本职责",
    "主要职能",
    "职责范围",
    "工作内容",
    "日常工作",
    "任职资格",
    "任职条件",
    "任职要求",
    "岗位要求",
    "考核指标",
    "关键绩效指标",
    "绩效指标",
    "考核标准",
    "绩效考核",
    "工作关系",
    "分配政策",
    "薪酬待遇",
    "薪资待遇",
    "薪酬福利",
    "其他要求",
]
NUMBERED = ("cn", "paren_cn", "dotted", "arabic", "paren_arabic", "circled", "letter")
# Styles that open a new top-level section whatever came before.
SECTION_STYLES = ("system", "keyword", "field", "post", "pay", "toc", "break")

_BEFORE = r"(?:(?<=^)|(?<=[\s。；;！!？?：:，,）)]))"
_START = r"(?:(?<=^)|(?<=\s))"
_MARKERS = [
    ("system", _START + r"[^\s，。；;:：、,()（）]{2,12}体系(?=\s*职责[" + CN_NUM + r"]+[:：])"),
    ("duty", r"职责[" + CN_NUM + r"]+\s*[:：]"),
    ("transparent", _START + r"工作任务"),
    ("pay", _START + r"[^\s，。；;:：、,()（）=]{0,8}(?:工资|收入)\s*(?==)"),
    (
        "post",
        _START + r"[\u4e00-\u9fffA-Za-z0-9]{2,12}[ \t]?(?:岗位说明书?|职位说明书?|岗位职责表?)(?=\s|[:：]|$)",
    ),
    ("cn", _BEFORE + r"[" + CN_NUM + r"]+\s*[、.．]"),
    ("paren_cn", _BEFORE + r"[(（]\s*[" + CN_NUM + r"]+\s*[)）]\s*[、.．]?"),
    ("dotted", _BEFORE + r"\d+(?:\.\d+)+\.?(?!\d)"),
    ("arabic", _BEFORE + r"\d+(?: \d)?\s*[、.．](?!\d)"),
    ("paren_arabic", _BEFORE + r"(?:[(（]\s*\d+\s*[)）]|[⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇])\s*[、.．]?"),
    ("circled", _BEFORE + r"[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]"),
    ("letter", _START + r"[A-Z]\s*[.．、,，](?![A-Za-z0-9])"),
    ("bullet", _START + r"[?？•·●■◆▪➢◇○□√✓]"),
    ("dash", _START + r"[-–—](?!\s*\d)"),
    ("field", _START + r"(?:" + "|".join(FIELD_WORDS) + r")(?=\s*[:：]|\s)"),
    ("keyword", _START + r"(?:" + "|".join(SECTION_WORDS) + r")(?=\s*[:：]|\s|$)"),
    ("label", _START + r"[^\s\d:：，。；;,、.()（）A-Za-z?？]{2,8}[:：]"),
    ("break", r"(?<=[。；;！!:：])[ \t]*\n"),
]
MARKER_RE = re.compile("|".join(f"(?P<{name}>{rx})" for name, rx in _MARKERS), re.MULTILINE)
_TOC_ENTRY = r"(?:[(（][" + CN_NUM + r"]+[)）])?[^\n()（）]{1,30}?[(（]\s*\d{1,3}\s*[)）]"
TOC_RE = re.compile(r"目\s*录\s*(?:" + _TOC_ENTRY + r"\s*){2,}")
TOC_ENTRY_RE = re.compile(_TOC_ENTRY)


@dataclass
class Line:
    style: str  # the marker style, "plain" for a line before the first marker, "toc" for a contents entry
    marker: str
    body: str
    level: int = 0
    parent: int | None = None
    has_children: bool = False

    @property
    def text(self) -> str:
        return clean(self.marker + self.body)


def clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _normalise(text: str) -> str:
    text = text.replace("\u3000", " ").replace("\r", "").replace("\xa0", " ")
    # "工作任务1、…": the numbering right after the keyword counts as a marker.
    return re.sub(r"(工作任务)(?=[\d(（])", r"\1 ", text)


def _tokenise(text: str) -> list[Line]:
    matches = list(MARKER_RE.finditer(text))
    lines = [
        Line("plain", "", line) for line in (text[: matches[0].start()] if matches else text).splitlines()
    ]
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        style = m.lastgroup or "plain"
        if style == "break":
            lines.append(Line("plain", "", text[m.end() : end]))
        elif style == "post":  # the heading is a line of its own; words after it are the next line
            lines.append(Line(style, m.group(0), ""))
            lines.append(Line("plain", "", text[m.end() : end]))
        elif style == "system":  # the system name is its own words
            lines.append(Line(style, "", m.group(0) + text[m.end() : end]))
        else:
            lines.append(Line(style, m.group(0), text[m.end() : end]))
    return lines


def _merge_bare_markers(lines: list[Line]) -> list[Line]:
    """A number standing alone ("一、" then "行政主管岗位职责") is the number of the next line."""
    out: list[Line] = []
    for line in lines:
        prev = out[-1] if out else None
        if prev and prev.style in NUMBERED and not clean(prev.body) and line.style == "post":
            out[-1] = Line(prev.style, prev.marker, line.marker + line.body)
            continue
        out.append(line)
    return [ln for ln in out if ln.text]


def _style_key(line: Line) -> str:
    if line.style == "dotted":
        return f"dotted{line.marker.strip().rstrip('.').count('.')}"
    return line.style


def _outline(lines: list[Line]) -> None:
    ranks: dict[str, int] = {}
    stack: list[tuple[int, int]] = []  # (rank, line index)
    for i, line in enumerate(lines):
        top = lines[stack[-1][1]] if stack else None
        bare_keyword = top is not None and top.style == "keyword" and not clean(top.body).strip(":：")
        if line.style == "plain" and top is not None and (top.style not in SECTION_STYLES or bare_keyword):
            # an unnumbered line after an item is its sibling; after a bare "岗位职责：" it is an item
            rank = stack[-1][0] + 1 if bare_keyword else stack[-1][0]
        elif line.style in SECTION_STYLES or line.style == "plain":
            rank = -1
        else:
            key = _style_key(line)
            if key not in ranks:
                ranks[key] = max((r for r, _ in stack), default=-1) + 1
            rank = ranks[key]
        while stack and stack[-1][0] >= rank:
            stack.pop()
        if stack:
            line.parent = stack[-1][1]
            lines[line.parent].has_children = True
        line.level = rank
        if line.style not in ("field", "toc", "pay", "plain"):  # these hold their own words only
            stack.append((rank, i))


def split(text: str) -> list[Line]:
    """The lines of a description in document order; marker + body of every line rebuild the text."""
    text = _normalise(text)
    lines: list[Line] = []
    pos = 0
    for toc in TOC_RE.finditer(text):
        lines.extend(_tokenise(text[pos : toc.start()]))
        lines.append(Line("toc", "目录", ""))
        lines.extend(Line("toc", "", m.group(0)) for m in TOC_ENTRY_RE.finditer(toc.group(0)[2:]))
        pos = toc.end()
    lines.extend(_tokenise(text[pos:]))
    lines = _merge_bare_markers(lines)
    _outline(lines)
    return lines
