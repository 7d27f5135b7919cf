"""Store-scoped reads of checklists: templates, runs, answers and failed items."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from apps.notifications.selectors import inbox_for
from apps.org.access import people_who_can, stores_where
from apps.org.models import Store, User
from apps.org.selectors import store_ids

from .closing_report import closing_sections_for
from .models import (
    ChecklistRun,
    ChecklistTemplate,
    FailureAction,
    FailureState,
    ItemFailure,
    ItemResult,
    RunState,
    TemplateItem,
)

if TYPE_CHECKING:
    from apps.notifications.models import Notification


def runs_today_for(*, user: User, day: dt.date | None = None) -> list[ChecklistRun]:
    day = day or timezone.localdate()
    return list(
        ChecklistRun.objects.for_user(user)
        .filter(assignee=user, date=day)
        .select_related("template", "template__position", "store")
        .order_by("due_at", "pk")
    )


def run_get_for(*, user: User, pk: int) -> ChecklistRun:
    """A run the user may see: their own, or any in a store where they see the board (else 404)."""
    run = get_object_or_404(
        ChecklistRun.objects.for_user(user).select_related(
            "template", "template__position", "store", "assignee"
        ),
        pk=pk,
    )
    if (
        run.assignee_id != user.pk
        and not stores_where(user, "checklists.board").filter(pk=run.store_id).exists()
    ):
        from django.http import Http404

        raise Http404
    return run


def run_items(run: ChecklistRun) -> list[tuple[TemplateItem, ItemResult | None]]:
    items = list(
        TemplateItem.objects.filter(template_id=run.template_id, is_active=True).order_by("order", "pk")
    )
    results = {
        r.item_id: r
        for r in ItemResult.objects.filter(run=run).select_related("answered_by", "confirmed_by", "failure")
    }
    return [(item, results.get(item.pk)) for item in items]


def run_item_get(*, run: ChecklistRun, pk: int) -> TemplateItem:
    """An active item of the run's template (else 404)."""
    return get_object_or_404(TemplateItem, pk=pk, template_id=run.template_id, is_active=True)


def result_of(*, run: ChecklistRun, item: TemplateItem) -> ItemResult | None:
    """The answer given to `item` on `run`, if any."""
    return (
        ItemResult.objects.filter(run=run, item=item)
        .select_related("answered_by", "confirmed_by", "failure")
        .first()
    )


def result_get(*, run: ChecklistRun, item_pk: int) -> ItemResult:
    return get_object_or_404(ItemResult, run=run, item_id=item_pk)


def board_runs_for(*, user: User) -> QuerySet[ChecklistRun]:
    return (
        ChecklistRun.objects.for_perm(user, "checklists.board")
        .select_related("template", "template__position", "store", "assignee")
        .order_by("-date", "store__name", "due_at", "assignee__username", "pk")
    )


def runs_with_answers(runs: QuerySet[ChecklistRun]) -> QuerySet[ChecklistRun]:
    """The runs with their answers (and who gave them) in two queries."""
    return runs.prefetch_related(
        Prefetch(
            "results",
            queryset=ItemResult.objects.select_related("answered_by").order_by("item__order", "pk"),
        )
    )


def board_stores_for(*, user: User) -> QuerySet[Store]:
    return stores_where(user, "checklists.board").order_by("name")


def open_failures_for_board(*, user: User, stores=None) -> list[ItemFailure]:
    qs = ItemFailure.objects.for_perm(user, "checklists.board").filter(state=FailureState.OPEN)
    if stores is not None:
        qs = qs.filter(store__in=stores)
    return list(
        qs.select_related("item", "store", "raised_by", "run", "run__template").order_by(
            "-repeated", "-raised_at"
        )[:50]
    )


def blocking_failures_for(*, user: User, store: Store) -> list[str]:
    """The items `user` failed in `store` that block closing the shift until a manager resolves them."""
    return list(
        ItemFailure.objects.filter(
            store=store, raised_by=user, state=FailureState.OPEN, action=FailureAction.BLOCK
        ).values_list("item__text", flat=True)
    )


def failure_get_for(*, user: User, pk: int) -> ItemFailure:
    return get_object_or_404(
        ItemFailure.objects.for_perm(user, "checklists.board").select_related("store"), pk=pk
    )


def notifications_for(*, user: User, limit: int = 5) -> list[Notification]:
    """The user's unread checklist notifications, newest first (from the shared inbox)."""
    return list(inbox_for(user=user, unread_only=True).filter(source="checklists")[:limit])


def templates_for(*, user: User) -> QuerySet[ChecklistTemplate]:
    orgs = stores_where(user, "checklists.edit_templates").values("organisation_id")
    return (
        ChecklistTemplate.objects.filter(organisation_id__in=orgs)
        .select_related("position")
        .prefetch_related("stores")
        .order_by("position__title", "phase", "name")
    )


def template_get_for(*, user: User, pk: int) -> ChecklistTemplate:
    return get_object_or_404(templates_for(user=user), pk=pk)


def closing_report_data(*, store: Store, day: dt.date) -> dict:
    """日清日结: the day's runs and failures of one store, and what other apps add to the report
    (handovers with every difference: apps.checklists.closing_report)."""
    runs = list(
        ChecklistRun.objects.filter(store=store, date=day)
        .select_related("template", "template__position", "assignee")
        .order_by("due_at", "assignee__username")
    )
    failures = list(
        ItemFailure.objects.filter(run__in=runs)
        .select_related("item", "raised_by", "resolved_by")
        .order_by("raised_at")
    )
    return {
        "store": store,
        "day": day,
        "runs": runs,
        "failures": failures,
        "sections": closing_sections_for(store=store, day=day),
    }


def second_people_for(*, run: ChecklistRun) -> QuerySet[User]:
    """Who may confirm an item of `run` as the second person: someone else who runs checklists there."""
    return people_who_can("checklists.run", run.store).exclude(pk=run.assignee_id).order_by("username")


def runs_between(
    *, stores, start: dt.date, end: dt.date, assignee: User | None = None
) -> QuerySet[ChecklistRun]:
    """The runs of `stores` dated in [start, end) (of one person when given), for a KPI and its records."""
    qs = ChecklistRun.objects.filter(
        store__in=store_ids(stores), date__gte=start, date__lt=end
    ).select_related("template", "store", "assignee")
    return qs.filter(assignee=assignee) if assignee is not None else qs


def run_counts(*, stores, day: dt.date) -> dict[str, int]:
    """The day's runs of `stores`: how many, done, late, missed, and with a failed item (one query)."""
    return ChecklistRun.objects.filter(store__in=store_ids(stores), date=day).aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(completed_at__isnull=False)),
        late=Count("pk", filter=Q(state=RunState.LATE)),
        missed=Count("pk", filter=Q(state=RunState.MISSED)),
        failed=Count("pk", filter=Q(failed_count__gt=0)),
    )


def runs_missed_today_count() -> int:
    """Checklist runs of today (every store) that were missed: an operator's gauge."""
    return ChecklistRun.objects.filter(date=timezone.localdate(), state=RunState.MISSED).count()


def item_answer_form(data, *, run: ChecklistRun, item: TemplateItem):
    """The page's form for answering `item` on `run`, bound to `data` (the second person is picked
    among `second_people_for(run)` where the item needs one)."""
    from .forms import ItemAnswerForm
    from .models import ItemKind

    people = second_people_for(run=run) if item.kind == ItemKind.SECOND_PERSON else None
    return ItemAnswerForm(data, item=item, second_people=people)
