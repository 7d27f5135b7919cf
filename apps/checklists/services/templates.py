"""Writes of checklist templates: saved from the template page, made from a SOP proposal, items
generated from the position's duties."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Max
from django.urls import reverse

from apps.org.models import User
from apps.roles.selectors import DutyFrequency as Frequency
from apps.roles.selectors import duty_tasks_for

from ..models import (
    ChecklistTemplate,
    Phase,
    TemplateItem,
)


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


@transaction.atomic
def template_items_generate(*, template: ChecklistTemplate, user: User) -> int:
    """Add one tick item per duty of the position done every shift or every day (idempotent)."""
    existing = set(template.items.exclude(duty_task=None).values_list("duty_task_id", flat=True))
    last = template.items.aggregate(m=Max("order"))["m"] or 0
    new = []
    for task in duty_tasks_for(
        position=template.position, frequencies=[Frequency.PER_SHIFT, Frequency.DAILY]
    ):
        if task.pk in existing:
            continue
        last += 10
        new.append(TemplateItem(template=template, order=last, text=task.text[:300], duty_task=task))
    TemplateItem.objects.bulk_create(new)
    return len(new)
