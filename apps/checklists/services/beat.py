"""The minute beat job: due runs created, overdue runs marked late or missed, reminders sent."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from apps.notifications.services import Message
from apps.org.models import Store, User
from apps.org.selectors import managers_of
from apps.roles.selectors import holder_rows
from apps.roster.selectors import calendar_days, day_roster, shift_bounds, store_open_on

from ..models import (
    ChecklistRun,
    ChecklistTemplate,
    Phase,
    RunState,
    Shift,
    TemplateItem,
)
from .inbox import notify

# Runs appear this long before their shift starts, so they are there when the clerk arrives.
RUN_LEAD = dt.timedelta(minutes=30)
# After the person's reminder, the manager is told this much later.
MANAGER_REMINDER_AFTER = dt.timedelta(minutes=30)


def _aware(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


def runs_create_due(*, now: dt.datetime | None = None) -> int:
    """Create today's runs of each template's position holders, from 30 minutes before their window
    until it ends. Idempotent: the unique (template, store, person, date) key and a read of what
    exists make a repeated tick create nothing.

    The roster decides who and when: at a store with a roster for the day, only the holders
    rostered that day get a run, in the part of their shift that falls in the template's window
    (the due time moved with the shift, see `run_window`); a store with no roster that day gives a
    run to every holder for the template's window, as before the roster. People on approved leave
    get none either way, and a store closed that day by the business calendar gets none."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    templates = list(
        ChecklistTemplate.objects.filter(is_active=True, position__is_active=True)
        .select_related("position")
        .prefetch_related("stores")
    )
    templates = [t for t in templates if t.runs_on(today)]
    stores = {s.pk: s for t in templates for s in t.stores.all() if s.is_active}
    if not stores:
        return 0
    known = calendar_days(today, today)
    open_stores = {pk for pk, s in stores.items() if store_open_on(s, today, known)}
    if not open_stores:
        return 0
    roster = day_roster(store_ids=open_stores, day=today)
    item_counts = dict(
        TemplateItem.objects.filter(template__in=templates, is_active=True)
        .values("template")
        .annotate(n=Count("pk"))
        .values_list("template", "n")
    )
    existing = set(
        ChecklistRun.objects.filter(date=today).values_list("template_id", "store_id", "assignee_id")
    )
    pairs = [(t, stores[s.pk]) for t in templates for s in t.stores.all() if s.pk in open_stores]
    # The active holders of each due (position, store) pair, read in one query (the same rows
    # roles.selectors.holders_of reads).
    holders: dict[tuple[int, int], set[int]] = defaultdict(set)
    for position_id, store_id, user_id in holder_rows(
        position_ids={t.position_id for t, _s in pairs}, store_ids={s.pk for _t, s in pairs}
    ):
        holders[(position_id, store_id)].add(user_id)
    new: list[ChecklistRun] = []
    for template, store in pairs:
        for user_id in sorted(holders[(template.position_id, store.pk)] - roster.on_leave):
            if (template.pk, store.pk, user_id) in existing:
                continue
            if store.pk in roster.planned:
                shift = roster.shift_of(store.pk, user_id)
                if shift is None:
                    continue  # not rostered today at this store
                window = run_window(template, store, today, shift_bounds(shift))
            else:
                window = run_window(template, store, today, None)
            if window is None:
                continue
            starts_at, due_at, ends_at = window
            if not (starts_at - RUN_LEAD <= now <= ends_at):
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


def run_window(
    template: ChecklistTemplate,
    store: Store,
    day: dt.date,
    shift: tuple[dt.datetime, dt.datetime] | None,
) -> tuple[dt.datetime, dt.datetime, dt.datetime] | None:
    """(starts, due, ends) of a template's run on `day`. The template's window is cut from the
    store's opening hours; with a rostered shift the run keeps to the part of the shift inside that
    window (None when they do not meet), and the due time keeps its distance from the window's
    start (from its end for a closing checklist), so a late-shift clerk's 班前准备 is due soon after
    their own start and an early-shift clerk's 班后收尾 at the end of their shift."""
    start, end = Shift.hours(template.shift, store)
    window_start, window_end = _aware(day, start), _aware(day, end)
    template_due = min(max(_aware(day, template.due_time), window_start), window_end)
    if shift is None:
        return window_start, template_due, window_end
    starts_at, ends_at = max(window_start, shift[0]), min(window_end, shift[1])
    if starts_at >= ends_at:
        return None
    if template.phase == Phase.CLOSING:
        due_at = ends_at - (window_end - template_due)
    else:
        due_at = starts_at + (template_due - window_start)
    return starts_at, min(max(due_at, starts_at), ends_at), ends_at


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
        sent += notify(
            recipients=[run.assignee],
            store=run.store,
            key=f"run-late:{run.pk}",
            text=Message(
                gettext_noop("Checklist “%(name)s” was due at %(time)s and is not done yet."),
                name=run.template.name,
                time=timezone.localtime(run.due_at).strftime("%H:%M"),
            ),
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
            gettext_noop("%(person)s missed the checklist “%(name)s” of %(date)s.")
            if run.state == RunState.MISSED
            else gettext_noop("%(person)s has not done the checklist “%(name)s” of %(date)s, due long ago.")
        )
        sent += notify(
            recipients=managers[run.store_id],
            store=run.store,
            key=f"run-manager:{run.pk}",
            text=Message(text, person=run.assignee, name=run.template.name, date=run.date),
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
