"""Writes of the checklists app: templates, runs and answers, the minute beat job."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Max, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.notifications.services import notifications_send_many
from apps.org.access import can
from apps.org.models import Store, User
from apps.org.passwords import PASSWORD_REFUSED, PasswordRefused, password_confirm
from apps.org.selectors import managers_of
from apps.roles.models import Frequency, PositionHolder
from apps.roles.selectors import duty_tasks_for

from .models import (
    ChecklistRun,
    ChecklistTemplate,
    FailureAction,
    FailureState,
    ItemFailure,
    ItemKind,
    ItemResult,
    Phase,
    RunState,
    Shift,
    TemplateItem,
)
from .selectors import second_people_for

# Runs appear this long before their shift starts, so they are there when the clerk arrives.
RUN_LEAD = dt.timedelta(minutes=30)
# After the person's reminder, the manager is told this much later.
MANAGER_REMINDER_AFTER = dt.timedelta(minutes=30)
REPEAT_FAILURES = 3


class ServiceError(Exception):
    """A rule said no; the message is for the user."""


def _aware(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


def _notify(*, recipients, store: Store, key: str, text: str, url: str = "", level: str = "warning") -> int:
    """Into the shared inbox (apps.notifications); the key makes a second send a no-op."""
    return notifications_send_many(
        recipients=recipients,
        key=f"checklists:{key}",
        title=text,
        url=url,
        store=store,
        level=level,
        source="checklists",
    )


def _confirm(
    *, request: HttpRequest | None, user: User | None, password: str, error: type[ServiceError] = ServiceError
) -> User:
    """Every password of this app goes through the sign-in lockout (apps.org.passwords), outside
    the transaction of the write, so that a failure stays counted when the write is refused."""
    if request is None:
        raise error(str(PASSWORD_REFUSED))
    try:
        return password_confirm(request=request, user=user, password=password)
    except PasswordRefused as exc:
        raise error(str(exc)) from None


# ---------------------------------------------------------------- templates


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


# ---------------------------------------------------------------- the minute beat job


def runs_create_due(*, now: dt.datetime | None = None) -> int:
    """Create today's runs for the holders of each template's position, from 30 minutes before the
    shift starts until it ends. Idempotent: the unique (template, store, person, date) key and a read
    of what exists make a repeated tick create nothing."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    templates = list(
        ChecklistTemplate.objects.filter(is_active=True, position__is_active=True)
        .select_related("position")
        .prefetch_related("stores")
    )
    item_counts = dict(
        TemplateItem.objects.filter(template__in=templates, is_active=True)
        .values("template")
        .annotate(n=Count("pk"))
        .values_list("template", "n")
    )
    existing = set(
        ChecklistRun.objects.filter(date=today).values_list("template_id", "store_id", "assignee_id")
    )
    due: list[tuple[ChecklistTemplate, Store, dt.datetime, dt.datetime, dt.datetime]] = []
    for template in templates:
        if not template.runs_on(today):
            continue
        for store in template.stores.all():
            if not store.is_active:
                continue
            start, end = Shift.hours(template.shift, store)
            starts_at, ends_at = _aware(today, start), _aware(today, end)
            if not (starts_at - RUN_LEAD <= now <= ends_at):
                continue
            due_at = min(max(_aware(today, template.due_time), starts_at), ends_at)
            due.append((template, store, starts_at, due_at, ends_at))
    # Who is on shift: the active holders of the template's position in the store, read for every
    # due (position, store) pair in one query (the same rows roles.selectors.holders_of reads).
    on_shift: dict[tuple[int, int], list[int]] = defaultdict(list)
    if due:
        for position_id, store_id, user_id in PositionHolder.objects.filter(
            position_id__in={t.position_id for t, *_r in due},
            store_id__in={s.pk for _t, s, *_r in due},
            is_active=True,
            user__is_active=True,
        ).values_list("position_id", "store_id", "user_id"):
            on_shift[(position_id, store_id)].append(user_id)
    new: list[ChecklistRun] = []
    for template, store, starts_at, due_at, ends_at in due:
        for user_id in sorted(set(on_shift[(template.position_id, store.pk)])):
            if (template.pk, store.pk, user_id) in existing:
                continue
            new.append(
                ChecklistRun(
                    template=template,
                    store=store,
                    assignee_id=user_id,
                    date=today,
                    starts_at=starts_at,
                    due_at=due_at,
                    ends_at=ends_at,
                    item_count=item_counts.get(template.pk, 0),
                )
            )
    created = 0
    for i in range(0, len(new), 500):
        created += len(ChecklistRun.objects.bulk_create(new[i : i + 500], ignore_conflicts=True))
    return created


@transaction.atomic
def runs_mark_overdue(*, now: dt.datetime | None = None) -> tuple[int, int]:
    """Open runs past their due time become late; open runs past the end of their shift are missed."""
    now = now or timezone.now()
    missed_ids = list(
        ChecklistRun.objects.open()
        .filter(ends_at__lt=now)
        .select_for_update(skip_locked=True)
        .values_list("pk", flat=True)
    )
    missed = ChecklistRun.objects.filter(pk__in=missed_ids).update(state=RunState.MISSED)
    late_ids = list(
        ChecklistRun.objects.filter(
            state__in=[RunState.NOT_STARTED, RunState.IN_PROGRESS], completed_at=None, due_at__lt=now
        )
        .select_for_update(skip_locked=True)
        .values_list("pk", flat=True)
    )
    late = ChecklistRun.objects.filter(pk__in=late_ids).update(state=RunState.LATE)
    return late, missed


@transaction.atomic
def reminders_send(*, now: dt.datetime | None = None) -> int:
    """Late runs: remind the person first; still open half an hour later (or missed): the manager."""
    now = now or timezone.now()
    sent = 0
    runs = list(
        ChecklistRun.objects.filter(
            state__in=[RunState.LATE, RunState.MISSED], completed_at=None, reminded_person_at=None
        )
        .select_related("template", "store", "assignee")
        .select_for_update(skip_locked=True, of=("self",))
    )
    for run in runs:
        sent += _notify(
            recipients=[run.assignee],
            store=run.store,
            key=f"run-late:{run.pk}",
            text=_("Checklist “%(name)s” was due at %(time)s and is not done yet.")
            % {"name": run.template.name, "time": timezone.localtime(run.due_at).strftime("%H:%M")},
            url=run.get_absolute_url(),
        )
    ChecklistRun.objects.filter(pk__in=[r.pk for r in runs]).update(reminded_person_at=now)
    runs = list(
        ChecklistRun.objects.filter(
            Q(state=RunState.MISSED) | Q(state=RunState.LATE, due_at__lt=now - MANAGER_REMINDER_AFTER),
            completed_at=None,
            reminded_manager_at=None,
        )
        .select_related("template", "store", "assignee")
        .select_for_update(skip_locked=True, of=("self",))
    )
    managers: dict[int, list[User]] = {}
    for run in runs:
        if run.store_id not in managers:
            managers[run.store_id] = list(managers_of(store=run.store))
        text = (
            _("%(person)s missed the checklist “%(name)s” of %(date)s.")
            if run.state == RunState.MISSED
            else _("%(person)s has not done the checklist “%(name)s” of %(date)s, due long ago.")
        )
        sent += _notify(
            recipients=managers[run.store_id],
            store=run.store,
            key=f"run-manager:{run.pk}",
            text=text % {"person": run.assignee, "name": run.template.name, "date": run.date},
            url=run.get_absolute_url(),
        )
    ChecklistRun.objects.filter(pk__in=[r.pk for r in runs]).update(reminded_manager_at=now)
    return sent


def checklists_tick(*, now: dt.datetime | None = None) -> dict:
    now = now or timezone.now()
    created = runs_create_due(now=now)
    late, missed = runs_mark_overdue(now=now)
    reminders = reminders_send(now=now)
    return {"created": created, "late": late, "missed": missed, "reminders": reminders}


# ---------------------------------------------------------------- answering


def _second_person(*, request: HttpRequest | None, run: ChecklistRun, confirmer_id, password: str) -> User:
    """The confirmer, picked among `second_people_for(run)`; anyone else, or a wrong password, gets
    the one message of the lockout."""
    try:
        confirmer = second_people_for(run=run).filter(pk=int(confirmer_id)).first() if confirmer_id else None
    except (TypeError, ValueError):
        confirmer = None
    return _confirm(request=request, user=confirmer, password=password)


def item_answer(
    *,
    run: ChecklistRun,
    item: TemplateItem,
    user: User,
    ok: bool,
    value_number: Decimal | None = None,
    value_text: str = "",
    note: str = "",
    photo=None,
    request: HttpRequest | None = None,
    confirmer_id: int | str | None = None,
    confirmer_password: str = "",
    now: dt.datetime | None = None,
) -> ItemResult:
    """Save one answer; a second-person item answered OK needs the confirmer's password, checked
    first and outside the transaction of the answer (see `_confirm`)."""
    confirmer = None
    if item.kind == ItemKind.SECOND_PERSON and ok:
        confirmer = _second_person(
            request=request, run=run, confirmer_id=confirmer_id, password=confirmer_password
        )
    return _item_answer(
        run=run,
        item=item,
        user=user,
        ok=ok,
        value_number=value_number,
        value_text=value_text,
        note=note,
        photo=photo,
        confirmer=confirmer,
        now=now,
    )


@transaction.atomic
def _item_answer(
    *,
    run: ChecklistRun,
    item: TemplateItem,
    user: User,
    ok: bool,
    value_number: Decimal | None = None,
    value_text: str = "",
    note: str = "",
    photo=None,
    confirmer: User | None = None,
    now: dt.datetime | None = None,
) -> ItemResult:
    """Save one answer the moment it is given; a failure needs a note and triggers its action."""
    now = now or timezone.now()
    run = ChecklistRun.objects.select_for_update().select_related("template", "store").get(pk=run.pk)
    if run.assignee_id != user.pk:
        raise ServiceError(_("Only %(name)s can answer this checklist.") % {"name": run.assignee})
    if not run.is_open:
        raise ServiceError(_("This checklist is closed."))
    if item.template_id != run.template_id or not item.is_active:
        raise ServiceError(_("This item is not on this checklist."))
    note = (note or "").strip()
    if not ok and not note:
        raise ServiceError(_("A failed item needs a note saying what is wrong."))
    if item.kind == ItemKind.PHOTO and not photo:
        existing = ItemResult.objects.filter(run=run, item=item).exclude(photo="").exists()
        if not existing:
            raise ServiceError(_("Take or choose a photo."))
    if item.kind == ItemKind.SECOND_PERSON and ok:
        if confirmer is None or confirmer.pk == user.pk or not can(confirmer, "checklists.run", run.store):
            raise ServiceError(str(PASSWORD_REFUSED))
    else:
        confirmer = None

    result = ItemResult.objects.filter(run=run, item=item).first() or ItemResult(run=run, item=item)
    was_failed = result.pk is not None and not result.ok
    result.item_text = item.text
    result.ok = ok
    result.value_number = value_number
    result.value_text = value_text or ""
    result.note = note
    if photo:
        result.photo = photo
    result.answered_by = user
    result.answered_at = now
    result.confirmed_by = confirmer
    result.confirmed_at = now if confirmer else None
    result.save()

    failure = ItemFailure.objects.filter(result=result).first()
    if not ok:
        if failure is None:
            failure = ItemFailure.objects.create(
                store=run.store,
                run=run,
                item=item,
                result=result,
                raised_by=user,
                raised_at=now,
                action=item.on_fail,
                note=note,
            )
            _failure_triggered(failure=failure, run=run)
        elif failure.note != note or failure.state != FailureState.OPEN:
            failure.note = note
            failure.state = FailureState.OPEN
            failure.resolved_at = None
            failure.resolved_by = None
            failure.save()
    elif was_failed and failure is not None and failure.state == FailureState.OPEN:
        failure.state = FailureState.RESOLVED
        failure.resolved_by = user
        failure.resolved_at = now
        failure.resolution = _("Answered again as OK by %(name)s.") % {"name": user}
        failure.save()

    counts = ItemResult.objects.filter(run=run, item__is_active=True).aggregate(
        answered=Count("pk"), failed=Count("pk", filter=Q(ok=False))
    )
    run.answered_count = counts["answered"] or 0
    run.failed_count = counts["failed"] or 0
    if run.state == RunState.NOT_STARTED:
        run.state = RunState.IN_PROGRESS
    run.started_at = run.started_at or now
    run.save(update_fields=["answered_count", "failed_count", "state", "started_at"])
    return result


def _failure_triggered(*, failure: ItemFailure, run: ChecklistRun) -> None:
    managers = None
    if failure.action in (FailureAction.MATTER, FailureAction.NOTIFY, FailureAction.BLOCK):
        managers = list(managers_of(store=run.store))
        labels = {
            FailureAction.MATTER: _("Matter for you: “%(item)s” failed at %(store)s (%(person)s): %(note)s"),
            FailureAction.NOTIFY: _("“%(item)s” failed at %(store)s (%(person)s): %(note)s"),
            FailureAction.BLOCK: _("Closing blocked: “%(item)s” failed at %(store)s (%(person)s): %(note)s"),
        }
        _notify(
            recipients=managers,
            store=run.store,
            key=f"failure:{failure.pk}",
            level="danger" if failure.action == FailureAction.BLOCK else "warning",
            text=labels[failure.action]
            % {
                "item": failure.item.text,
                "store": run.store,
                "person": failure.raised_by,
                "note": failure.note,
            },
            url=run.get_absolute_url(),
        )
    # The same item failing on the last three runs of this template in this store.
    last = list(
        ItemResult.objects.filter(item=failure.item, run__store=run.store)
        .order_by("-run__date", "-run__due_at", "-run_id")
        .values_list("ok", flat=True)[:REPEAT_FAILURES]
    )
    if len(last) == REPEAT_FAILURES and not any(last):
        failure.repeated = True
        failure.save(update_fields=["repeated"])
        _notify(
            recipients=managers if managers is not None else managers_of(store=run.store),
            store=run.store,
            key=f"repeat:{failure.pk}",
            level="danger",
            text=_("“%(item)s” has failed on %(n)d runs in a row at %(store)s.")
            % {"item": failure.item.text, "n": REPEAT_FAILURES, "store": run.store},
            url=run.get_absolute_url(),
        )


@transaction.atomic
def run_complete(*, run: ChecklistRun, user: User, now: dt.datetime | None = None) -> ChecklistRun:
    now = now or timezone.now()
    run = ChecklistRun.objects.select_for_update().get(pk=run.pk)
    if run.assignee_id != user.pk:
        raise ServiceError(_("Only %(name)s can complete this checklist.") % {"name": run.assignee})
    if run.completed_at:
        return run  # a double click
    if run.state == RunState.MISSED:
        raise ServiceError(_("This checklist was missed and is closed."))
    answered = set(ItemResult.objects.filter(run=run).values_list("item_id", flat=True))
    missing = [
        i.text
        for i in TemplateItem.objects.filter(template_id=run.template_id, is_active=True, required=True)
        if i.pk not in answered
    ]
    if missing:
        raise ServiceError(
            _("Still to answer: %(items)s")
            % {"items": "；".join(missing[:5]) + ("…" if len(missing) > 5 else "")}
        )
    run.completed_at = now
    run.state = RunState.DONE if now <= run.due_at and run.state != RunState.LATE else RunState.LATE
    run.save(update_fields=["completed_at", "state"])
    return run


@transaction.atomic
def failure_resolve(*, failure: ItemFailure, user: User, resolution: str) -> ItemFailure:
    if not can(user, "checklists.board", failure.store):
        raise ServiceError(_("Only a manager of the store can resolve a failed item."))
    if not resolution.strip():
        raise ServiceError(_("Say how it was resolved."))
    failure = ItemFailure.objects.select_for_update().get(pk=failure.pk)
    if failure.state == FailureState.RESOLVED:
        return failure
    failure.state = FailureState.RESOLVED
    failure.resolved_by = user
    failure.resolved_at = timezone.now()
    failure.resolution = resolution.strip()
    failure.save()
    return failure
