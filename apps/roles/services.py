"""Writes of positions: every saved change is a new revision."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.org.models import Department, Organisation, Store, User

from .models import DutyArea, DutyTask, Frequency, Kpi, Position, PositionHolder, PositionRevision

DEFAULT_DOCUMENT_NUMBER_PATTERN = "GW-{dept}-{seq:03d}"
CONTENT_FIELDS = [
    "title",
    "summary",
    "education",
    "experience",
    "knowledge",
    "skills",
    "personality",
    "authority",
    "appointment",
    "notes",
]


def document_number_pattern() -> str:
    return getattr(settings, "ROLES_DOCUMENT_NUMBER_PATTERN", DEFAULT_DOCUMENT_NUMBER_PATTERN)


def document_number_next(*, organisation: Organisation, department: Department | None) -> str:
    """The next free document number (编号) for a department, from ROLES_DOCUMENT_NUMBER_PATTERN."""
    pattern = document_number_pattern()
    dept = (department.code if department else "GEN").upper()
    org = organisation.code.upper()
    prefix = pattern.split("{seq", 1)[0].format(dept=dept, org=org)
    taken = Position.objects.filter(code__startswith=prefix).values_list("code", flat=True)
    numbers = [int(m.group(1)) for code in taken if (m := re.match(re.escape(prefix) + r"(\d+)", code))]
    seq = max(numbers, default=0) + 1
    while True:
        code = pattern.format(dept=dept, org=org, seq=seq)
        if not Position.objects.filter(code=code).exists():
            return code
        seq += 1


def reporting_loop(*, position: Position | None, superiors) -> list[Position] | None:
    """The loop that `position` reporting to `superiors` would close, as a path, or None.

    The path starts and ends at `position`: [position, superior, …, position].
    """
    if position is None or position.pk is None:
        return None
    lines = Position.superiors.through.objects
    for superior in superiors:
        if superior.pk == position.pk:
            return [position, position]
        came_from: dict[int, int | None] = {superior.pk: None}
        frontier = [superior.pk]
        while frontier:
            ups = lines.filter(from_position_id__in=frontier).values_list(
                "from_position_id", "to_position_id"
            )
            frontier = []
            for low, up in ups:
                if up in came_from:
                    continue
                came_from[up] = low
                if up == position.pk:
                    chain: list[int] = []
                    node: int | None = low
                    while node is not None:
                        chain.append(node)
                        node = came_from[node]
                    objects = Position.objects.in_bulk(chain)
                    return [position, *(objects[i] for i in reversed(chain)), position]
                frontier.append(up)
    return None


def check_reporting_lines(*, position: Position | None, superiors) -> None:
    loop = reporting_loop(position=position, superiors=superiors)
    if loop:
        closer = loop[1]
        raise ValidationError(
            _(
                "%(closer)s already reports to %(position)s (%(path)s): this reporting line would close a loop."
            )
            % {"closer": closer.title, "position": position.title, "path": " → ".join(p.title for p in loop)},
            code="reporting_loop",
        )


def _clean_content(content: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {name: (content.get(name) or "").strip() for name in CONTENT_FIELDS}
    areas = []
    for area in content.get("areas", []):
        tasks = [
            {"text": t["text"].strip(), "frequency": t.get("frequency") or Frequency.AS_NEEDED}
            for t in area.get("tasks", [])
            if (t.get("text") or "").strip()
        ]
        if (area.get("name") or "").strip() or tasks:
            areas.append({"name": (area.get("name") or "").strip(), "tasks": tasks})
    out["areas"] = areas
    out["kpis"] = [
        {k: (kpi.get(k) or "").strip() for k in ("name", "definition", "target", "unit")}
        for kpi in content.get("kpis", [])
        if (kpi.get("name") or "").strip()
    ]
    return out


def revision_content(revision: PositionRevision) -> dict[str, Any]:
    """What a revision says, as plain data (for the editor, the diff and the Excel export)."""
    content: dict[str, Any] = {name: getattr(revision, name) for name in CONTENT_FIELDS}
    content["areas"] = [
        {"name": area.name, "tasks": [{"text": t.text, "frequency": t.frequency} for t in area.tasks.all()]}
        for area in revision.areas.all()
    ]
    content["kpis"] = [
        {"name": k.name, "definition": k.definition, "target": k.target, "unit": k.unit}
        for k in revision.kpis.all()
    ]
    return content


def _relations_snapshot(position: Position) -> dict[str, Any]:
    def brief(qs):
        return [{"id": p.pk, "code": p.code, "title": p.title} for p in qs.order_by("title")]

    return {
        "department": position.department.name if position.department else "",
        "store_kind": position.get_store_kind_display() if position.store_kind else "",
        "superiors": brief(position.superiors.all()),
        "subordinates": brief(position.subordinates.all()),
        "parallels": brief(position.parallels.all()),
    }


def _write_revision(
    *,
    position: Position,
    content: dict[str, Any],
    effective_date: dt.date,
    approver: str,
    change_summary: str,
    author,
) -> PositionRevision:
    last = position.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    revision = PositionRevision.objects.create(
        position=position,
        number=last + 1,
        **{name: content[name] for name in CONTENT_FIELDS},
        relations=_relations_snapshot(position),
        effective_date=effective_date,
        approver=approver,
        change_summary=change_summary,
        author=author,
    )
    areas = DutyArea.objects.bulk_create(
        [DutyArea(revision=revision, order=i, name=a["name"] or "—") for i, a in enumerate(content["areas"])]
    )
    DutyTask.objects.bulk_create(
        [
            DutyTask(area=area, order=j, text=t["text"], frequency=t["frequency"])
            for area, a in zip(areas, content["areas"], strict=True)
            for j, t in enumerate(a["tasks"])
        ]
    )
    Kpi.objects.bulk_create([Kpi(revision=revision, order=i, **k) for i, k in enumerate(content["kpis"])])
    position.current_revision = revision
    position.title = content["title"]
    position.save(update_fields=["current_revision", "title"])
    return revision


@transaction.atomic
def position_create(
    *,
    organisation: Organisation,
    content: dict[str, Any],
    department: Department | None = None,
    store_kind: str = "",
    superiors=(),
    parallels=(),
    effective_date: dt.date | None = None,
    approver: str = "",
    change_summary: str = "",
    author=None,
    code: str = "",
) -> Position:
    content = _clean_content(content)
    if not content["title"]:
        raise ValidationError(_("A position needs a title."), code="title")
    for attempt in range(5):
        try:
            with transaction.atomic():
                position = Position.objects.create(
                    organisation=organisation,
                    code=code or document_number_next(organisation=organisation, department=department),
                    title=content["title"],
                    department=department,
                    store_kind=store_kind or "",
                )
            break
        except IntegrityError:
            if code or attempt == 4:
                raise ValidationError(_("This document number is taken."), code="code") from None
    position.superiors.set(superiors)
    position.parallels.set(parallels)
    _write_revision(
        position=position,
        content=content,
        effective_date=effective_date or timezone.localdate(),
        approver=approver,
        change_summary=change_summary or _("First issue"),
        author=author,
    )
    return position


# What a position holds besides its text, which a new revision may leave as it is (`keep`).
KEEPABLE = ("department", "store_kind", "superiors", "parallels", "approver")


@transaction.atomic
def position_revise(
    *,
    position: Position,
    content: dict[str, Any],
    department: Department | None = None,
    store_kind: str = "",
    superiors=(),
    parallels=(),
    effective_date: dt.date | None = None,
    approver: str = "",
    change_summary: str = "",
    author=None,
    keep: Collection[str] = (),
) -> PositionRevision | None:
    """Saves a change as a new revision; returns None when nothing changed.

    Each name in `keep` (see KEEPABLE) stays as the position has it when the revision is written, whatever
    was passed for it: an imported description revises the text without wiping the reporting lines,
    department, store kind or approver the reviewer did not touch. Subordinates, holders and the
    position's templates are never changed by a revision."""
    if unknown := set(keep) - set(KEEPABLE):
        raise ValueError(f"Cannot keep {sorted(unknown)}")
    position = Position.objects.select_for_update().get(pk=position.pk)
    if "department" in keep:
        department = position.department
    if "store_kind" in keep:
        store_kind = position.store_kind
    if "superiors" in keep:
        superiors = list(position.superiors.all())
    if "parallels" in keep:
        parallels = list(position.parallels.all())
    if "approver" in keep and position.current_revision:
        approver = position.current_revision.approver
    content = _clean_content(content)
    if not content["title"]:
        raise ValidationError(_("A position needs a title."), code="title")
    superiors = list(superiors)
    check_reporting_lines(position=position, superiors=superiors)
    current = position.current_revision
    unchanged = (
        current is not None
        and revision_content(current) == content
        and position.department_id == (department.pk if department else None)
        and position.store_kind == (store_kind or "")
        and {p.pk for p in position.superiors.all()} == {p.pk for p in superiors}
        and {p.pk for p in position.parallels.all()} == {p.pk for p in parallels}
        and (effective_date is None or current.effective_date == effective_date)
        and current.approver == approver
    )
    if unchanged:
        return None
    position.department = department
    position.store_kind = store_kind or ""
    position.save(update_fields=["department", "store_kind"])
    position.superiors.set(superiors)
    position.parallels.set(parallels)
    return _write_revision(
        position=position,
        content=content,
        effective_date=effective_date or timezone.localdate(),
        approver=approver,
        change_summary=change_summary,
        author=author,
    )


@transaction.atomic
def position_set_active(*, position: Position, active: bool) -> Position:
    position.is_active = active
    position.save(update_fields=["is_active"])
    return position


@transaction.atomic
def position_subordinates_add(*, position: Position, subordinates) -> None:
    """Makes `position` a direct superior of each of `subordinates` (a description naming 直接下属)."""
    for subordinate in subordinates:
        if subordinate.pk == position.pk or subordinate.superiors.filter(pk=position.pk).exists():
            continue
        check_reporting_lines(position=subordinate, superiors=[*subordinate.superiors.all(), position])
        subordinate.superiors.add(position)


# --- seeds (demo data of other apps): idempotent, by title / code ---------------------------------


@transaction.atomic
def position_seed(
    *,
    organisation: Organisation,
    title: str,
    code: str,
    department: Department,
    revision: dict[str, Any],
    duties=(),
    kpis=(),
    superiors=(),
) -> Position:
    """The organisation's position with this title if there is one, else the one with this code
    (created when missing); a first revision (`revision`'s fields, one duty area of `duties`, the
    `kpis` as (name, target, unit)) when it has none yet; `superiors` added when missing."""
    position = Position.objects.filter(organisation=organisation, title=title).first()
    if position is None:
        position, _created = Position.objects.get_or_create(
            code=code, defaults={"organisation": organisation, "title": title, "department": department}
        )
    if position.current_revision_id is None:
        first, created = PositionRevision.objects.get_or_create(
            position=position, number=1, defaults={"title": title, **revision}
        )
        if created:
            area = DutyArea.objects.create(revision=first, name="工作职责")
            for i, text in enumerate(duties):
                DutyTask.objects.create(area=area, order=i, text=text)
            for i, (name, target, unit) in enumerate(kpis):
                Kpi.objects.create(revision=first, order=i, name=name, target=target, unit=unit)
        position.current_revision = first
        position.save()
    for sup in superiors:
        if not position.superiors.filter(pk=sup.pk).exists():
            position.superiors.add(sup)
    return position


def position_holder_seed(*, position: Position, user, store, since: dt.date) -> PositionHolder:
    holder, _created = PositionHolder.objects.get_or_create(
        position=position, user=user, store=store, defaults={"since": since}
    )
    return holder


def position_ensure(
    *, organisation: Organisation, code: str, title: str, store_kind: str = ""
) -> tuple[Position, bool]:
    """The organisation's active position with this title, else the one with this code (created
    when missing). For demo data and imports that name positions by title."""
    position = Position.objects.filter(organisation=organisation, title=title, is_active=True).first()
    if position is not None:
        return position, False
    return Position.objects.get_or_create(
        code=code, defaults={"organisation": organisation, "title": title, "store_kind": store_kind}
    )


def holder_ensure(*, position: Position, user: User, store: Store) -> bool:
    """`user` holds `position` in `store` (added when missing); True when it was added."""
    _holder, created = PositionHolder.objects.get_or_create(position=position, user=user, store=store)
    return created
