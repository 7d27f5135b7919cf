"""What the reader hands back: one ParsedDescription per post found in a document."""

from __future__ import annotations

from dataclasses import dataclass, field

# Where a source line went; the same words as the labels of tests/roles/seed_labels.tsv.
PLACES = (
    "title",
    "department",
    "summary",
    "relations",
    "area",
    "task",
    "qualification",
    "authority",
    "kpi",
    "note",
    "pay",
)
PHASES = ("opening", "during", "closing")


@dataclass
class ParsedTask:
    text: str
    frequency: str = "as_needed"
    phase: str = ""


@dataclass
class ParsedArea:
    name: str
    tasks: list[ParsedTask] = field(default_factory=list)
    phase: str = ""  # opening / during / closing when a SOP names the part of the shift


@dataclass
class ParsedKpi:
    name: str
    target: str = ""
    definition: str = ""
    unit: str = ""


@dataclass
class ParsedDescription:
    """One post (岗位) as read: fields, relation names, duty areas, KPIs, notes and pay lines."""

    title: str = ""
    department: str = ""
    fields: dict[str, str] = field(default_factory=dict)
    relations: dict[str, list[str]] = field(default_factory=dict)
    relation_lines: list[str] = field(default_factory=list)
    areas: list[ParsedArea] = field(default_factory=list)
    kpis: list[ParsedKpi] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    pay: list[str] = field(default_factory=list)
    is_sop: bool = False

    def add_field(self, name: str, text: str) -> None:
        text = " ".join(text.split())
        if text:
            self.fields[name] = f"{self.fields[name]}\n{text}" if self.fields.get(name) else text

    def add_relation(self, kind: str, names: list[str]) -> None:
        known = self.relations.setdefault(kind, [])
        known.extend(n for n in names if n not in known)

    @property
    def has_duties(self) -> bool:
        return any(a.tasks for a in self.areas) or bool(self.kpis)

    @property
    def task_count(self) -> int:
        return sum(len(a.tasks) for a in self.areas)

    def all_text(self) -> str:
        parts = [self.title, self.department, *self.fields.values(), *self.relation_lines]
        parts += [*self.notes, *self.pay]
        for area in self.areas:
            parts.append(area.name)
            parts.extend(t.text for t in area.tasks)
        for kpi in self.kpis:
            parts.extend([kpi.name, kpi.target, kpi.definition, kpi.unit])
        return "\n".join(p for p in parts if p)

    def checklist_proposals(self) -> dict[str, list[str]]:
        """For a SOP: the tasks of each part of the shift, as the items of a proposed checklist."""
        if not self.is_sop:
            return {}
        proposals: dict[str, list[str]] = {}
        for area in self.areas:
            for task in area.tasks:
                phase = task.phase or area.phase or "during"
                proposals.setdefault(phase, []).append(task.text)
        return {phase: proposals[phase] for phase in PHASES if phase in proposals}


@dataclass
class Placement:
    line: int  # index into the split lines
    position: int  # index into ParsedDocument.positions
    place: str  # one of PLACES


@dataclass
class ParsedDocument:
    positions: list[ParsedDescription] = field(default_factory=list)
    placements: list[Placement] = field(default_factory=list)
