"""Writes of checklist templates: saved from the template page, made from a SOP proposal, items
generated from the position's duties."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.org.models import Store, User
from apps.roles.selectors import DutyFrequency as Frequency
from apps.roles.selectors import duty_schedules_for, duty_tasks_for, holder_rows

from ..models import (
    ChecklistTemplate,
    ItemKind,
    Phase,
    TemplateItem,
)

WEEKDAY_NAMES = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]


@transaction.atomic
def template_save(*, form, items=None) -> ChecklistTemplate:
    """Save a validated template form (apps.checklists.forms.TemplateForm) and, for a template that
    exists, its validated item formset, together or not at all."""
    template = form.save()
    if items is not None:
        items.instance = template
        items.save()
    return template


PROPOSAL_DUE = {Phase.OPENING: dt.time(9, 0), Phase.DURING: dt.time(14, 0), Phase.CLOSING: dt.time(18, 0)}


@transaction.atomic
def template_from_proposal(*, position, phase: str, items: list[str], user: User) -> str:
    """A checklist template for a position from the items a SOP lists for one part of the shift.

    Registered with roles (apps/roles/checklist_proposals.py) so the import review can accept it.
    It applies to no store until the manager picks the stores; returns the template's URL.
    """
    phase = Phase(phase)
    base = f"{position.title} · {phase.label}"
    name, n = base, 1
    while ChecklistTemplate.objects.filter(organisation=position.organisation, name=name).exists():
        n += 1
        name = f"{base} ({n})"
    template = ChecklistTemplate.objects.create(
        organisation=position.organisation,
        name=name[:120],
        position=position,
        phase=phase,
        due_time=PROPOSAL_DUE[phase],
    )
    tasks = {t.text: t for t in duty_tasks_for(position=position, frequencies=None)}
    TemplateItem.objects.bulk_create(
        [
            TemplateItem(template=template, order=(i + 1) * 10, text=text[:300], duty_task=tasks.get(text))
            for i, text in enumerate(items)
        ]
    )
    return reverse("checklists:template_edit", args=[template.pk])


def _takes(template: ChecklistTemplate, schedule) -> bool:
    """Does this duty belong on this template: the same part of the shift and the same days."""
    if schedule.phase != template.phase:
        return False
    cadence = template.cadence
    if cadence == "monthly":
        return schedule.frequency == Frequency.MONTHLY and schedule.month_day == template.month_day
    if cadence == "weekly":
        return schedule.frequency == Frequency.WEEKLY and str(schedule.weekday) == template.weekdays[:1]
    return schedule.frequency in (Frequency.PER_SHIFT, Frequency.DAILY)


def _generate_items(template: ChecklistTemplate, schedules) -> int:
    existing = set(template.items.exclude(duty_task=None).values_list("duty_task_id", flat=True))
    last = template.items.aggregate(m=Max("order"))["m"] or 0
    new = []
    for task, schedule in schedules:
        if task.pk in existing or not _takes(template, schedule):
            continue
        last += 10
        new.append(
            TemplateItem(
                template=template,
                order=last,
                text=task.text[:300],
                duty_task=task,
                kind=ItemKind.WEEKLY_REPORT if schedule.is_weekly_report else ItemKind.TICK,
            )
        )
    TemplateItem.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def template_items_generate(*, template: ChecklistTemplate, user: User) -> int:
    """Add one item per duty of the position that belongs on this template (idempotent): a duty of
    the template's phase (班前 / 班中 / 班后), done every shift or daily on a daily template, weekly
    on its weekday on a one-weekday template, monthly on its day on a monthly template."""
    return _generate_items(template, duty_schedules_for(position=template.position))


def _bucket(schedule) -> tuple[str, str, int]:
    if schedule.frequency == Frequency.MONTHLY:
        return (schedule.phase, "monthly", schedule.month_day)
    if schedule.frequency == Frequency.WEEKLY:
        return (schedule.phase, "weekly", schedule.weekday)
    return (schedule.phase, "daily", 0)


def _bucket_of(template: ChecklistTemplate) -> tuple[str, str, int]:
    cadence = template.cadence
    day = (
        template.month_day
        if cadence == "monthly"
        else int(template.weekdays[:1])
        if cadence == "weekly"
        else 0
    )
    return (template.phase, cadence, day or 0)


@transaction.atomic
def templates_generate_for_position(*, position, user: User) -> list[tuple[ChecklistTemplate, int]]:
    """The checklist templates a position's scheduled duties call for: one per part of the shift and
    schedule (daily; weekly on a weekday; monthly on a day), each with its duties and nothing else.

    A template of the position with that phase and schedule is reused (its missing duties added);
    a new one applies to the stores where the position has holders. Returns each template touched
    with the number of items added.
    """
    schedules = duty_schedules_for(position=position)
    buckets: dict[tuple[str, str, int], list] = {}
    for task, schedule in schedules:
        buckets.setdefault(_bucket(schedule), []).append((task, schedule))
    existing = {
        _bucket_of(t): t
        for t in ChecklistTemplate.objects.filter(position=position, is_active=True).order_by("pk")
    }
    store_ids = {
        store_id
        for _p, store_id, _u in holder_rows(position_ids=[position.pk], store_ids=_org_store_ids(position))
    }
    out = []
    for key in sorted(
        buckets, key=lambda k: (PHASE_ORDER.index(k[0]), ("daily", "weekly", "monthly").index(k[1]), k[2])
    ):
        phase, cadence, day = key
        template = existing.get(key)
        if template is None:
            template = ChecklistTemplate.objects.create(
                organisation=position.organisation,
                name=_free_name(position, _template_title(position, phase, cadence, day)),
                position=position,
                phase=phase,
                weekdays=str(day) if cadence == "weekly" else "1234567",
                month_day=day if cadence == "monthly" else None,
                due_time=PROPOSAL_DUE[Phase(phase)],
            )
            template.stores.set(store_ids)
        out.append((template, _generate_items(template, buckets[key])))
    return out


PHASE_ORDER: list[str] = [Phase.OPENING.value, Phase.DURING.value, Phase.CLOSING.value, Phase.SAFETY.value]


def _org_store_ids(position) -> list[int]:
    return list(
        Store.objects.filter(organisation_id=position.organisation_id, is_active=True).values_list(
            "pk", flat=True
        )
    )


def _template_title(position, phase: str, cadence: str, day: int) -> str:
    base = f"{position.title} · {Phase(phase).label}"
    if cadence == "weekly":
        return f"{base} · " + _("every %(weekday)s") % {"weekday": WEEKDAY_NAMES[day - 1]}
    if cadence == "monthly":
        return f"{base} · " + _("monthly on day %(day)d") % {"day": day}
    return base


def _free_name(position, base: str) -> str:
    name, n = base[:110], 1
    while ChecklistTemplate.objects.filter(organisation=position.organisation, name=name).exists():
        n += 1
        name = f"{base[:110]} ({n})"
    return name
