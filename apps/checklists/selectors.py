"""Store-scoped reads of checklists and handovers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from apps.notifications.models import Notification
from apps.notifications.selectors import inbox_for
from apps.org.access import people_who_can, stores_where
from apps.org.models import Store, User

from .models import (
    ChecklistRun,
    ChecklistTemplate,
    Counter,
    FailureState,
    Handover,
    HandoverLine,
    HandoverSignature,
    ItemFailure,
    ItemResult,
    RunState,
    StockItem,
    TemplateItem,
)


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


def board_runs_for(*, user: User) -> QuerySet[ChecklistRun]:
    return (
        ChecklistRun.objects.for_perm(user, "checklists.board")
        .select_related("template", "template__position", "store", "assignee")
        .order_by("-date", "store__name", "due_at", "assignee__username", "pk")
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


# Handovers (cash counts) are seen only where the user works the counter: the list, each handover,
# its PDF and every action on it answer to the same permission.
HANDOVER_PERM = "handovers.sign"


def handover_list_for(*, user: User) -> QuerySet[Handover]:
    return (
        Handover.objects.for_perm(user, HANDOVER_PERM)
        .select_related("store", "counter", "outgoing", "incoming", "witness")
        .order_by("-created_at", "-pk")
    )


def handover_get_for(*, user: User, pk: int) -> Handover:
    """One handover in a store where the user works the counter (else 404)."""
    return get_object_or_404(
        Handover.objects.for_perm(user, HANDOVER_PERM)
        .select_related("store", "counter", "outgoing", "incoming", "witness", "previous")
        .prefetch_related(
            Prefetch("lines", queryset=HandoverLine.objects.select_related("item").order_by("order", "pk")),
            Prefetch("signatures", queryset=HandoverSignature.objects.select_related("user", "amendment")),
            "amendments__line__item",
            "amendments__proposed_by",
            "amendments__confirmed_by",
        ),
        pk=pk,
    )


@dataclass(frozen=True)
class HandoverTotals:
    """What the count adds up to so far: lines counted, cash against the ledger, what is unexplained."""

    lines: int
    counted: int
    money_expected: Decimal
    money_counted: Decimal
    money_difference: Decimal
    unexplained: int


def handover_totals(lines: list[HandoverLine]) -> HandoverTotals:
    money = [ln for ln in lines if ln.item.is_money]
    counted_money = [ln for ln in money if ln.counted is not None]
    return HandoverTotals(
        lines=len(lines),
        counted=sum(1 for ln in lines if ln.counted is not None),
        money_expected=sum((ln.expected for ln in money), Decimal(0)),
        money_counted=sum((ln.counted for ln in counted_money), Decimal(0)),
        money_difference=sum((ln.difference for ln in counted_money), Decimal(0)),
        unexplained=sum(1 for ln in lines if ln.needs_explanation),
    )


def counters_for(*, user: User) -> QuerySet[Counter]:
    return Counter.objects.for_perm(user, "handovers.sign").filter(is_active=True).select_related("store")


def stock_items_for(*, store: Store) -> QuerySet[StockItem]:
    return StockItem.objects.filter(organisation_id=store.organisation_id, is_active=True).order_by(
        "order", "code"
    )


def closing_report_data(*, store: Store, day: dt.date) -> dict:
    """日清日结: the day's runs, failures and handovers (with every difference) of one store."""
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
    handovers = list(
        Handover.objects.filter(store=store, business_date=day)
        .select_related("counter", "outgoing", "incoming", "witness")
        .prefetch_related(Prefetch("lines", queryset=HandoverLine.objects.select_related("item")))
        .order_by("created_at")
    )
    differences = [(h, line) for h in handovers for line in h.lines.all() if line.difference not in (None, 0)]
    return {
        "store": store,
        "day": day,
        "runs": runs,
        "failures": failures,
        "handovers": handovers,
        "differences": differences,
    }


def second_people_for(*, run: ChecklistRun) -> QuerySet[User]:
    """Who may confirm an item of `run` as the second person: someone else who runs checklists there."""
    return people_who_can("checklists.run", run.store).exclude(pk=run.assignee_id).order_by("username")


def witnesses_for(*, handover: Handover) -> QuerySet[User]:
    """Who may witness `handover` (监交人): a third person who sets balances in its store."""
    return (
        people_who_can("handovers.set_balances", handover.store)
        .exclude(pk__in=[handover.outgoing_id, handover.incoming_id])
        .order_by("username")
    )


def runs_missed_today_count() -> int:
    """Checklist runs of today (every store) that were missed: an operator's gauge."""
    return ChecklistRun.objects.filter(date=timezone.localdate(), state=RunState.MISSED).count()
