"""Step 3: put each classified line where it belongs, starting a new position at each post heading."""

from __future__ import annotations

import re

from .classify import (
    QUALIFICATIONS,
    Kind,
    guess_frequency,
    is_note_heading,
    kpi_parts,
    looks_like_kpi,
    phase_of,
    qualification_field,
)
from .model import ParsedArea, ParsedDescription, ParsedDocument, ParsedKpi, ParsedTask, Placement
from .names import relation_names, same_post
from .split import Line, clean

DEFAULT_AREA = "岗位职责"
SOP_RE = re.compile(r"作业指导|标准作业|作业规范|SOP", re.I)
_QUAL_RE = re.compile(r"(?:(?<=^)|(?<=\s))(" + "|".join(QUALIFICATIONS) + r")\s*[:：]?")


class _Assembler:
    def __init__(self, lines: list[Line], kinds: list[Kind]):
        self.lines = lines
        self.kinds = kinds
        self.doc = ParsedDocument(positions=[ParsedDescription()])
        self.section = "duties"
        self.department = ""
        self.areas: dict[int, ParsedArea] = {}  # heading line → its area
        self.title_lines: list[Placement] = []
        self.is_sop = any(SOP_RE.search(ln.text) for ln in lines[:8] if ln.style in ("plain", "post", "toc"))

    @property
    def cur(self) -> ParsedDescription:
        return self.doc.positions[-1]

    def place(self, i: int, place: str) -> None:
        self.doc.placements.append(Placement(i, len(self.doc.positions) - 1, place))

    def note(self, i: int, place: str = "note") -> None:
        (self.cur.pay if place == "pay" else self.cur.notes).append(self.lines[i].text)
        self.place(i, place)

    def ancestors(self, i: int):
        parent = self.lines[i].parent
        while parent is not None:
            yield parent
            parent = self.lines[parent].parent

    # --- positions -------------------------------------------------------------------------

    def post(self, i: int, title: str, place: str = "title") -> None:
        cur = self.cur
        if cur.title and not same_post(cur.title, title) and cur.has_duties:
            self.doc.positions.append(ParsedDescription(department=self.department))
            self.title_lines = []
        elif cur.title and not same_post(cur.title, title):
            # "行政部岗位职责" / "营业厅人员岗位职责" over the posts that follow: it names their unit
            unit = re.sub(r"人员$", "", cur.title)
            if not cur.department or same_post(cur.department, unit):
                self.department = cur.department = cur.department or unit
                for placement in self.title_lines:
                    placement.place = "department"
        if not self.cur.has_duties or not self.cur.title:
            self.cur.title = title
        self.section = "duties"
        self.place(i, place)
        if place == "title":
            self.title_lines.append(self.doc.placements[-1])

    # --- duties ----------------------------------------------------------------------------

    def area_for(self, i: int) -> tuple[ParsedArea, str]:
        prefix = ""
        for a in self.ancestors(i):
            kind = self.kinds[a]
            if kind.kind == "transparent":
                continue
            if self.lines[a].style == "duty" and not prefix:
                prefix = kind.value
                continue
            if kind.kind in ("heading", "section"):
                return self._area(a, kind), prefix
            if kind.kind == "post":
                break
        return self._area(None, None), prefix

    def _area(self, a: int | None, kind: Kind | None) -> ParsedArea:
        named = a is not None and kind is not None and kind.kind in ("heading", "section")
        key = a if named and a is not None else -len(self.doc.positions)
        area = self.areas.get(key)
        if area is None:
            name = (kind.name or kind.value) if named and kind else DEFAULT_AREA
            if len(name) > 40:
                name = re.split(r"[\s：:。；;，,]", name, maxsplit=1)[0][:40]
            area = ParsedArea(name, phase=phase_of(name))
            self.areas[key] = area
            self.cur.areas.append(area)
        return area

    def task(self, i: int, text: str) -> None:
        text = clean(text)
        area, prefix = self.area_for(i)
        full = f"{prefix}：{text}" if prefix else text
        area.tasks.append(ParsedTask(full, guess_frequency(full), phase_of(full) if self.is_sop else ""))
        self.place(i, "task")

    def kpi(self, i: int, text: str) -> None:
        name, target = kpi_parts(clean(text))
        self.cur.kpis.append(ParsedKpi(name=name, target=target))
        self.place(i, "kpi")

    def qualifications(self, i: int, text: str, field: str = "") -> None:
        matches = list(_QUAL_RE.finditer(text))
        if field or not matches:
            self.cur.add_field(field or qualification_field(text), text)
        else:
            if clean(text[: matches[0].start()]):
                self.cur.add_field(
                    qualification_field(text[: matches[0].start()]), text[: matches[0].start()]
                )
            for n, m in enumerate(matches):
                end = matches[n + 1].start() if n + 1 < len(matches) else len(text)
                self.cur.add_field(QUALIFICATIONS[m.group(1)], text[m.end() : end])
        self.place(i, "qualification")

    def relation(self, i: int, kind: str, text: str) -> None:
        self.cur.add_relation(kind, relation_names(text))
        self.cur.relation_lines.append(self.lines[i].text)
        self.place(i, "relations")

    def in_section(self, i: int, section: str, text: str) -> None:
        """Words that sit under a section word (岗位职责 / 任职资格 / 考核指标 …)."""
        if section == "qualifications":
            self.qualifications(i, text)
        elif section == "kpis":
            self.kpi(i, text)
        elif section in ("pay", "notes"):
            self.note(i, "pay" if section == "pay" else "note")
        elif section == "relations":
            self.relation(i, "parallels", text)
        elif section == "summary":
            self.cur.add_field("summary", text)
            self.place(i, "summary")
        else:
            self.task(i, text)

    def subtree_section(self, i: int) -> str:
        for a in self.ancestors(i):
            kind = self.kinds[a]
            if kind.kind == "post":
                break
            if kind.kind == "heading" and is_note_heading(kind.value):
                return "notes"
            if kind.kind == "field" and kind.value == "summary":
                return "summary"
            if kind.kind == "section":
                return kind.value
        return self.section

    # --- the walk --------------------------------------------------------------------------

    def visit(self, i: int) -> None:
        line, kind = self.lines[i], self.kinds[i]
        k = kind.kind
        if k in ("toc", "docnumber", "prose"):
            self.note(i)
        elif k == "pay":
            self.note(i, "pay")
        elif k == "post":
            self.post(i, kind.value, "note" if kind.rest == "cover" else "title")
            if kind.rest == "cover":
                self.cur.notes.append(line.text)
        elif k == "field" and kind.value == "title":
            self.post(i, kind.rest or self.cur.title)
        elif k == "field" and kind.value == "department":
            self.department = self.cur.department = kind.rest
            self.place(i, "department")
        elif k == "field":
            self.cur.add_field(kind.value, kind.rest)
            self.place(i, kind.value if kind.value in ("summary", "authority") else "qualification")
        elif k == "relation":
            self.relation(i, kind.value, kind.rest)
        elif k == "qualification":
            self.qualifications(i, kind.rest, kind.value)
        elif k == "section":
            self.section_line(i, kind)
        elif k == "heading":
            self.heading(i, kind)
        elif k == "transparent":
            if kind.rest:
                self.task(i, kind.rest)
            else:
                self.place(i, "area")
        else:
            self.item(i, kind)

    def section_line(self, i: int, kind: Kind) -> None:
        line = self.lines[i]
        if line.style in ("keyword", "field", "plain") or line.parent is None:
            self.section = kind.value
        if kind.rest and (kind.value != "duties" or not line.has_children):
            self.in_section(i, kind.value, kind.rest)
            return
        if kind.rest:  # "1.2部门职责 为贯彻…，暂定以下职责:": the heading, and an introduction kept as a note
            self.cur.notes.append(kind.rest)
        place = {"duties": "area", "qualifications": "qualification", "kpis": "kpi"}.get(
            kind.value, kind.value
        )
        if place == "area":
            self._area(i, kind)  # named now, so a heading left without tasks keeps its words as a note
        elif place == "relations":
            self.cur.relation_lines.append(line.text)
        elif place in ("pay", "notes"):
            (self.cur.pay if place == "pay" else self.cur.notes).append(line.text)
        self.place(i, "note" if place == "notes" else place)

    def heading(self, i: int, kind: Kind) -> None:
        if self.lines[i].parent is None and self.section == "notes" and not is_note_heading(kind.value):
            self.section = "duties"  # a numbered duty heading after a plan or an introduction
        if same_post(self.cur.title, re.sub(r"[\s:：]", "", kind.value)):
            self.post(i, self.cur.title)  # "5.1. 行政部" under the 行政部 page
            return
        section = self.subtree_section(i)
        if is_note_heading(kind.value) or section != "duties":
            if self.lines[i].parent is None and self.lines[i].style == "plain":
                self.section = "notes"
            self.in_section(i, section if section != "duties" else "notes", self.lines[i].text)
            return
        self._area(i, kind)
        self.place(i, "area")

    def item(self, i: int, kind: Kind) -> None:
        line = self.lines[i]
        section = self.subtree_section(i)
        if line.style == "plain" and line.parent is None:
            if is_note_heading(line.text):
                self.section = "notes"
            if self.section == "duties" or is_note_heading(line.text):
                self.note(i)  # a cover line, an introduction, a subtitle
                return
        if section == "duties" and looks_like_kpi(kind.rest):
            self.kpi(i, kind.rest)
            return
        self.in_section(i, section, kind.rest)

    def finish(self) -> ParsedDocument:
        for position in self.doc.positions:
            position.is_sop = self.is_sop
            position.notes.extend(a.name for a in position.areas if not a.tasks and a.name != DEFAULT_AREA)
            position.areas = [a for a in position.areas if a.tasks]
            if not position.department and position.title.endswith("部"):
                position.department = position.title
        if not self.doc.positions[0].title:
            first = next((ln.text for ln in self.lines if ln.style == "plain"), "")
            self.doc.positions[0].title = first[:40]
        return self.doc


def assemble(lines: list[Line], kinds: list[Kind]) -> ParsedDocument:
    """The positions a description holds, and where each of its lines went."""
    assembler = _Assembler(lines, kinds)
    for i in range(len(lines)):
        assembler.visit(i)
    return assembler.finish()
