"""The differences between two revisions of a position: fields, reporting lines, duties and KPIs."""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import Frequency, PositionRevision
from .services import revision_content

FIELD_LABELS = {
    "title": pgettext_lazy("position", "Title"),
    "summary": _("Summary"),
    "education": _("Education"),
    "experience": _("Experience"),
    "knowledge": _("Knowledge"),
    "skills": _("Skills"),
    "personality": _("Personality"),
    "authority": _("Authority"),
    "appointment": _("Appointment"),
    "notes": _("Notes"),
}
META_LABELS = {
    "effective_date": _("Effective date"),
    "approver": _("Approver"),
}
RELATION_LABELS = {
    "department": _("Department"),
    "store_kind": _("Store kind"),
    "superiors": _("Direct superiors"),
    "parallels": _("Parallel relations"),
}


@dataclass
class TaskChange:
    status: str  # added / removed / changed / same
    old: str = ""
    new: str = ""
    old_frequency: str = ""
    new_frequency: str = ""


@dataclass
class AreaChange:
    status: str  # added / removed / changed / same / renamed
    old_name: str = ""
    new_name: str = ""
    tasks: list[TaskChange] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.new_name or self.old_name


@dataclass
class RevisionDiff:
    old: PositionRevision
    new: PositionRevision
    fields: list[tuple[str, str, str]] = field(default_factory=list)
    areas: list[AreaChange] = field(default_factory=list)
    kpis: list[tuple[str, str, str]] = field(default_factory=list)  # status, old, new

    @property
    def counts(self) -> dict[str, int]:
        tasks = [t for a in self.areas for t in a.tasks]
        return {s: sum(1 for t in tasks if t.status == s) for s in ("added", "removed", "changed")}

    @property
    def is_empty(self) -> bool:
        return not self.fields and not self.kpis and all(a.status == "same" for a in self.areas)


def _names(items) -> str:
    return "、".join(i["title"] for i in items) if isinstance(items, list) else str(items or "")


def _freq(value: str) -> str:
    return str(dict(Frequency.choices).get(value, value))


def _diff_tasks(old: list[dict], new: list[dict]) -> list[TaskChange]:
    out: list[TaskChange] = []
    matcher = SequenceMatcher(a=[t["text"] for t in old], b=[t["text"] for t in new], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for a, b in zip(old[i1:i2], new[j1:j2], strict=True):
                status = "same" if a["frequency"] == b["frequency"] else "changed"
                out.append(
                    TaskChange(status, a["text"], b["text"], _freq(a["frequency"]), _freq(b["frequency"]))
                )
            continue
        olds, news = old[i1:i2], new[j1:j2]
        paired = min(len(olds), len(news)) if op == "replace" else 0
        for a, b in zip(olds[:paired], news[:paired], strict=True):
            out.append(
                TaskChange("changed", a["text"], b["text"], _freq(a["frequency"]), _freq(b["frequency"]))
            )
        out.extend(
            TaskChange("removed", old=a["text"], old_frequency=_freq(a["frequency"])) for a in olds[paired:]
        )
        out.extend(
            TaskChange("added", new=b["text"], new_frequency=_freq(b["frequency"])) for b in news[paired:]
        )
    return out


def revision_diff(old: PositionRevision, new: PositionRevision) -> RevisionDiff:
    a: dict[str, Any] = revision_content(old)
    b: dict[str, Any] = revision_content(new)
    diff = RevisionDiff(old=old, new=new)
    for name, label in FIELD_LABELS.items():
        if a[name] != b[name]:
            diff.fields.append((str(label), a[name], b[name]))
    for name, label in META_LABELS.items():
        va, vb = getattr(old, name), getattr(new, name)
        if va != vb:
            diff.fields.append((str(label), str(va or ""), str(vb or "")))
    for name, label in RELATION_LABELS.items():
        va, vb = _names(old.relations.get(name, "")), _names(new.relations.get(name, ""))
        if va != vb:
            diff.fields.append((str(label), va, vb))

    old_areas, new_areas = a["areas"], b["areas"]
    matcher = SequenceMatcher(
        a=[x["name"] for x in old_areas], b=[x["name"] for x in new_areas], autojunk=False
    )
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for x, y in zip(old_areas[i1:i2], new_areas[j1:j2], strict=True):
                tasks = _diff_tasks(x["tasks"], y["tasks"])
                status = "same" if all(t.status == "same" for t in tasks) else "changed"
                diff.areas.append(AreaChange(status, x["name"], y["name"], tasks))
            continue
        olds, news = old_areas[i1:i2], new_areas[j1:j2]
        paired = min(len(olds), len(news)) if op == "replace" else 0
        for x, y in zip(olds[:paired], news[:paired], strict=True):  # a renamed area
            diff.areas.append(
                AreaChange("renamed", x["name"], y["name"], _diff_tasks(x["tasks"], y["tasks"]))
            )
        for x in olds[paired:]:
            diff.areas.append(AreaChange("removed", old_name=x["name"], tasks=_diff_tasks(x["tasks"], [])))
        for y in news[paired:]:
            diff.areas.append(AreaChange("added", new_name=y["name"], tasks=_diff_tasks([], y["tasks"])))

    def kpi_line(k):
        return " · ".join(v for v in (k["name"], k["target"], k["unit"], k["definition"]) if v)

    ka, kb = [kpi_line(k) for k in a["kpis"]], [kpi_line(k) for k in b["kpis"]]
    for op, i1, i2, j1, j2 in SequenceMatcher(a=ka, b=kb, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        olds, news = ka[i1:i2], kb[j1:j2]
        paired = min(len(olds), len(news)) if op == "replace" else 0
        diff.kpis.extend(("changed", x, y) for x, y in zip(olds[:paired], news[:paired], strict=True))
        diff.kpis.extend(("removed", x, "") for x in olds[paired:])
        diff.kpis.extend(("added", "", y) for y in news[paired:])
    return diff
