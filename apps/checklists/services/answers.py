"""Answering a run: one answer at a time, the failed items it raises, completing, resolving."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.notifications.events import CHECKLIST_ITEM_FAILED, publish
from apps.notifications.services import Message
from apps.org.access import can
from apps.org.models import User
from apps.org.passwords import PASSWORD_REFUSED, PasswordRefused, password_confirm
from apps.org.selectors import managers_of

from ..models import (
    ChecklistRun,
    FailureAction,
    FailureState,
    ItemFailure,
    ItemKind,
    ItemResult,
    RunState,
    TemplateItem,
)
from ..selectors import second_people_for
from .inbox import notify

REPEAT_FAILURES = 3  # the notification says "the last three runs"


def _confirm(*, request: HttpRequest | None, user: User | None, password: str) -> User:
    """Every password of this app goes through the sign-in lockout (apps.org.passwords), outside
    the transaction of the write, so that a failure stays counted when the write is refused."""
    if request is None:
        raise ValidationError(str(PASSWORD_REFUSED))
    try:
        return password_confirm(request=request, user=user, password=password)
    except PasswordRefused as exc:
        raise ValidationError(str(exc)) from None


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
    if item.kind == ItemKind.WEEKLY_REPORT:
        raise ValidationError(_("This item is ticked when the week's report is submitted."))
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
        raise ValidationError(_("Only %(name)s can answer this checklist.") % {"name": run.assignee})
    if not run.is_open:
        raise ValidationError(_("This checklist is closed."))
    if item.template_id != run.template_id or not item.is_active:
        raise ValidationError(_("This item is not on this checklist."))
    note = (note or "").strip()
    if not ok and not note:
        raise ValidationError(_("A failed item needs a note saying what is wrong."))
    if item.kind == ItemKind.PHOTO and not photo:
        existing = ItemResult.objects.filter(run=run, item=item).exclude(photo="").exists()
        if not existing:
            raise ValidationError(_("Take or choose a photo."))
    if item.kind == ItemKind.SECOND_PERSON and ok:
        if confirmer is None or confirmer.pk == user.pk or not can(confirmer, "checklists.run", run.store):
            raise ValidationError(str(PASSWORD_REFUSED))
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
            _failure_publish(failure=failure, run=run, key=f"failure:{failure.pk}")
        elif failure.note != note or failure.state != FailureState.OPEN:
            reopened = failure.state != FailureState.OPEN
            failure.note = note
            failure.state = FailureState.OPEN
            failure.resolved_at = None
            failure.resolved_by = None
            failure.save()
            if reopened:
                _failure_publish(failure=failure, run=run, key=f"failure:{failure.pk}:{now.isoformat()}")
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


def _failure_publish(*, failure: ItemFailure, run: ChecklistRun, key: str) -> None:
    from django.conf import settings

    publish(
        CHECKLIST_ITEM_FAILED,
        store=run.store,
        key=key,
        payload={
            "failure": {
                "id": failure.pk,
                "item": failure.item.text,
                "note": failure.note,
                "action": failure.action,
                "raised_by": str(failure.raised_by),
                "raised_at": failure.raised_at.isoformat(),
            },
            "run": {
                "id": run.pk,
                "template": run.template.name,
                "date": run.date.isoformat(),
                "url": settings.SITE_URL.rstrip("/") + run.get_absolute_url(),
            },
        },
    )


def _failure_triggered(*, failure: ItemFailure, run: ChecklistRun) -> None:
    managers = None
    if failure.action in (FailureAction.MATTER, FailureAction.NOTIFY, FailureAction.BLOCK):
        managers = list(managers_of(store=run.store))
        labels = {
            FailureAction.MATTER: gettext_noop(
                "Matter for you: “%(item)s” failed at %(store)s (%(person)s): %(note)s"
            ),
            FailureAction.NOTIFY: gettext_noop("“%(item)s” failed at %(store)s (%(person)s): %(note)s"),
            FailureAction.BLOCK: gettext_noop(
                "Closing blocked: “%(item)s” failed at %(store)s (%(person)s): %(note)s"
            ),
        }
        notify(
            recipients=managers,
            store=run.store,
            key=f"failure:{failure.pk}",
            level="danger" if failure.action == FailureAction.BLOCK else "warning",
            text=Message(
                labels[failure.action],
                item=failure.item.text,
                store=run.store,
                person=failure.raised_by,
                note=failure.note,
            ),
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
        notify(
            recipients=managers if managers is not None else managers_of(store=run.store),
            store=run.store,
            key=f"repeat:{failure.pk}",
            level="danger",
            text=Message(
                gettext_noop("“%(item)s” has failed on the last three runs in a row at %(store)s."),
                item=failure.item.text,
                store=run.store,
            ),
            url=run.get_absolute_url(),
        )


@transaction.atomic
def run_complete(*, run: ChecklistRun, user: User, now: dt.datetime | None = None) -> ChecklistRun:
    now = now or timezone.now()
    run = ChecklistRun.objects.select_for_update().get(pk=run.pk)
    if run.assignee_id != user.pk:
        raise ValidationError(_("Only %(name)s can complete this checklist.") % {"name": run.assignee})
    if run.completed_at:
        return run  # a double click
    if run.state == RunState.MISSED:
        raise ValidationError(_("This checklist was missed and is closed."))
    answered = set(ItemResult.objects.filter(run=run).values_list("item_id", flat=True))
    missing = [
        i.text
        for i in TemplateItem.objects.filter(template_id=run.template_id, is_active=True, required=True)
        if i.pk not in answered
    ]
    if missing:
        raise ValidationError(
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
        raise ValidationError(_("Only a manager of the store can resolve a failed item."))
    if not resolution.strip():
        raise ValidationError(_("Say how it was resolved."))
    failure = ItemFailure.objects.select_for_update().get(pk=failure.pk)
    if failure.state == FailureState.RESOLVED:
        return failure
    failure.state = FailureState.RESOLVED
    failure.resolved_by = user
    failure.resolved_at = timezone.now()
    failure.resolution = resolution.strip()
    failure.save()
    return failure
