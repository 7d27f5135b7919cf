"""Import of role descriptions: proposed positions from what was read, and saving those the reviewer keeps.

The reader (apps/roles/reading/) gives one ParsedDescription per post. `proposals_initial` turns
them into the initial data of the review page, matching the relation names it read with the other
proposed positions and with existing ones; `positions_import` saves the reviewed proposals together,
through position_create / position_revise, and links them to each other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.org.models import Department, Organisation

from . import services
from .checklist_proposals import template_accept
from .models import Position
from .reading import ParsedDescription
from .reading.names import match_name


def content_from_parsed(parsed: ParsedDescription) -> dict[str, Any]:
    """The editor's content: fields, areas and KPIs; notes keep relation lines and pay lines too."""
    content = {name: parsed.fields.get(name, "") for name in services.CONTENT_FIELDS}
    content["title"] = parsed.title[:80]
    pay = [f"{_('Pay')}：{line}" for line in parsed.pay]
    content["notes"] = "\n".join([*parsed.notes, *parsed.relation_lines, *pay])
    content["areas"] = [
        {"name": a.name, "tasks": [{"text": t.text, "frequency": t.frequency} for t in a.tasks]}
        for a in parsed.areas
    ]
    content["kpis"] = [
        {"name": k.name, "definition": k.definition, "target": k.target, "unit": k.unit} for k in parsed.kpis
    ]
    return content


@dataclass
class InitialProposal:
    content: dict[str, Any]
    position: dict[str, Any]  # PositionForm initial, without the content fields
    links: dict[str, Any]  # ImportLinksForm initial
    department_read: str = ""
    phases: list[str] = field(default_factory=list)


def proposals_initial(
    parsed: list[ParsedDescription], *, positions, departments, today: dt.date
) -> list[InitialProposal]:
    by_title = {p.title: p for p in positions}
    by_dept = {d.name: d for d in departments}
    titles = {p.title: j for j, p in enumerate(parsed) if p.title}
    out = []
    for p in parsed:
        target = match_name(p.title, by_title) if p.title else None
        department = match_name(p.department, by_dept) if p.department else None
        proposals = p.checklist_proposals()
        out.append(
            InitialProposal(
                content=content_from_parsed(p),
                position={
                    "superiors": list(target.superiors.all()) if target else [],
                    "parallels": list(target.parallels.all()) if target else [],
                    "department": department or (target.department if target else None),
                    "store_kind": target.store_kind if target else "",
                    "approver": target.current_revision.approver
                    if target and target.current_revision
                    else "",
                    "effective_date": today,
                    "change_summary": _("Imported from a role description"),
                },
                links={
                    "include": True,
                    "target": target,
                    "internal_superiors": [],
                    "internal_parallels": [],
                    "subordinates": [],
                    "unresolved": "",
                    "checklists": [],
                    "pay": "\n".join(p.pay),
                    **{f"checklist_{phase}": "\n".join(items) for phase, items in proposals.items()},
                },
                department_read="" if department else p.department,
                phases=list(proposals),
            )
        )
    for k, p in enumerate(parsed):
        unresolved = []
        for kind, names in p.relations.items():
            for name in names:
                j = match_name(name, {t: j for t, j in titles.items() if j != k})
                existing = match_name(name, by_title) if j is None else None
                if j is not None and kind == "superiors":
                    out[k].links["internal_superiors"].append(j)
                elif j is not None and kind == "subordinates":
                    out[j].links["internal_superiors"].append(k)
                elif j is not None:
                    out[k].links["internal_parallels"].append(j)
                elif existing is not None and kind == "subordinates":
                    out[k].links["subordinates"].append(existing)
                elif existing is not None and out[k].links["target"] is None:
                    known = out[k].position[kind]
                    known.extend([existing] if existing not in known else [])
                elif existing is None or existing not in out[k].position[kind]:
                    # a revision shows the position's own lines; a new name is offered beside them
                    if existing is not None:
                        out[k].links[f"resolve_{len(unresolved)}"] = existing
                    unresolved.append(f"{kind}\t{name}")
        out[k].links["unresolved"] = "\n".join(unresolved)
    return out


class ProposalInvalid(Exception):
    def __init__(self, index: int, messages: list[str]):
        super().__init__(index, messages)
        self.index = index
        self.messages = messages


@dataclass
class ImportEntry:
    """One reviewed position to save; internal_* are indices of other entries of the same import."""

    index: int
    content: dict[str, Any]
    target: Position | None = None
    department: Department | None = None
    store_kind: str = ""
    superiors: list[Position] = field(default_factory=list)
    parallels: list[Position] = field(default_factory=list)
    added_superiors: list[Position] = field(default_factory=list)  # names the reviewer resolved
    added_parallels: list[Position] = field(default_factory=list)
    subordinates: list[Position] = field(default_factory=list)
    keep: tuple[str, ...] = ()  # what a revision leaves as the position has it (services.KEEPABLE)
    internal_superiors: list[int] = field(default_factory=list)
    internal_parallels: list[int] = field(default_factory=list)
    effective_date: dt.date | None = None
    approver: str = ""
    change_summary: str = ""
    checklists: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class ImportResult:
    index: int
    position: Position
    created: bool
    revision_number: int | None
    checklist_urls: list[str] = field(default_factory=list)


def _save_order(entries: list[ImportEntry]) -> list[ImportEntry]:
    """Superiors before their subordinates, so each is linked when it is saved; a loop keeps file order."""
    by_index = {e.index: e for e in entries}
    done: list[ImportEntry] = []
    seen: set[int] = set()

    def visit(entry: ImportEntry, path: frozenset[int]) -> None:
        if entry.index in seen:
            return
        for j in entry.internal_superiors:
            if j in by_index and j not in path:
                visit(by_index[j], path | {entry.index})
        if entry.index not in seen:
            seen.add(entry.index)
            done.append(entry)

    for entry in entries:
        visit(entry, frozenset())
    return done


@transaction.atomic
def positions_import(*, organisation: Organisation, entries: list[ImportEntry], author) -> list[ImportResult]:
    """Saves the reviewed proposals of one description together (all or none).

    A proposal saved as a new revision of an existing position keeps what the reviewer left as
    shown (`keep`, see services.position_revise); links the import adds are added to it. Raises ProposalInvalid (nothing
    saved) when a service refuses one of them.
    """
    saved: dict[int, Position] = {}
    results = []
    for entry in _save_order(entries):
        added_superiors = [
            *entry.added_superiors,
            *(saved[j] for j in entry.internal_superiors if j in saved),
        ]
        added_parallels = [
            *entry.added_parallels,
            *(saved[j] for j in entry.internal_parallels if j in saved),
        ]
        added_parallels += [
            saved[e.index] for e in entries if entry.index in e.internal_parallels and e.index in saved
        ]
        kwargs = {
            "content": entry.content,
            "department": entry.department,
            "store_kind": entry.store_kind,
            "effective_date": entry.effective_date,
            "approver": entry.approver,
            "change_summary": entry.change_summary,
            "author": author,
        }
        try:
            if entry.target is None:
                position = services.position_create(
                    organisation=organisation,
                    superiors=_unique([*entry.superiors, *added_superiors]),
                    parallels=_unique([*entry.parallels, *added_parallels]),
                    **kwargs,
                )
                revision_number = 1
            else:
                position = entry.target
                keep = set(entry.keep)
                lines = {}
                for name, shown, added in (
                    ("superiors", entry.superiors, added_superiors),
                    ("parallels", entry.parallels, added_parallels),
                ):
                    base = list(getattr(position, name).all()) if name in keep else shown
                    if added:  # links to posts of the same document or names the reviewer resolved
                        keep.discard(name)
                    lines[name] = _unique([*base, *added])
                revision = services.position_revise(position=position, keep=keep, **lines, **kwargs)
                revision_number = revision.number if revision else None
            services.position_subordinates_add(position=position, subordinates=entry.subordinates)
        except ValidationError as exc:
            raise ProposalInvalid(entry.index, exc.messages) from exc
        saved[entry.index] = position
        urls = [
            url
            for phase, items in entry.checklists.items()
            if (url := template_accept(position=position, phase=phase, items=items, user=author))
        ]
        results.append(ImportResult(entry.index, position, entry.target is None, revision_number, urls))
    return sorted(results, key=lambda r: r.index)


def _unique(positions) -> list[Position]:
    seen: dict[int, Position] = {}
    for p in positions:
        seen.setdefault(p.pk, p)
    return list(seen.values())
