"""Reads of the tail boxes (尾箱) and of the branch's stock against its limits (库存限额).

A box's book figure is its counter's ledger, computed by the handovers app (the last accepted
handover or a newer opening balance, plus receipts minus issues since); the branch holds the sum
over its active boxes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from apps.handovers.selectors import stock_items_for
from apps.handovers.services import expected_for
from apps.org.access import can, people_who_can
from apps.org.models import Store, User

from .models import (
    BranchLimit,
    BranchTransfer,
    CheckState,
    OverLimit,
    TailBox,
    TailBoxCheck,
    TailBoxLine,
)

if TYPE_CHECKING:
    from apps.handovers.models import StockItem


def bank_items(store: Store):
    """The items a bank branch counts: its organisation's bank items (never a hall's SIM cards)."""
    return stock_items_for(store=store)


def tail_boxes(*, store: Store) -> QuerySet[TailBox]:
    return TailBox.objects.filter(store=store, is_active=True).select_related("teller", "counter")


def boxes_of(*, user: User, store: Store) -> QuerySet[TailBox]:
    """The boxes `user` may look at: every box for the supervisor, a teller's own otherwise."""
    boxes = tail_boxes(store=store)
    return boxes if can(user, "bank.supervise", store) else boxes.filter(teller=user)


def box_get_for(*, user: User, store: Store, pk: int) -> TailBox:
    return get_object_or_404(boxes_of(user=user, store=store), pk=pk)


def check_get_for(*, user: User, store: Store, pk: int) -> TailBoxCheck:
    """A check of a box the user may look at (else 404), with its lines and their items."""
    checks = TailBoxCheck.objects.filter(store=store).select_related("box", "teller", "second")
    if not can(user, "bank.supervise", store):
        checks = checks.filter(teller=user)
    return get_object_or_404(
        checks.prefetch_related(
            Prefetch("lines", queryset=TailBoxLine.objects.select_related("item").order_by("order", "pk"))
        ),
        pk=pk,
    )


def second_signers_for(*, check: TailBoxCheck) -> QuerySet[User]:
    """Who may put the second signature on a box's seal: anyone of the branch but the teller."""
    return people_who_can("bank.record", check.store).exclude(pk=check.teller_id).order_by("username")


@dataclass(frozen=True)
class BoardRow:
    box: TailBox
    check: TailBoxCheck | None
    differences: int
    cash_difference: Decimal
    unexplained: int


def day_board(*, user: User, store: Store, day: dt.date) -> list[BoardRow]:
    """Every box the user may see with its check of `day` (None: not started): the supervisor's
    page of who has sealed, who has not, and the differences. Three queries whatever the size."""
    boxes = list(boxes_of(user=user, store=store).order_by("number"))
    checks = {
        c.box_id: c
        for c in TailBoxCheck.objects.filter(box__in=[b.pk for b in boxes], business_date=day)
        .select_related("second")
        .prefetch_related(Prefetch("lines", queryset=TailBoxLine.objects.select_related("item")))
    }
    rows = []
    for box in boxes:
        check = checks.get(box.pk)
        lines = list(check.lines.all()) if check else []
        differing = [ln for ln in lines if ln.difference]
        rows.append(
            BoardRow(
                box=box,
                check=check,
                differences=len(differing),
                cash_difference=sum(
                    (ln.difference or Decimal(0) for ln in differing if ln.item.is_money), Decimal(0)
                ),
                unexplained=sum(1 for ln in lines if ln.needs_explanation),
            )
        )
    return rows


def board_counts(rows: list[BoardRow]) -> dict[str, int]:
    return {
        "boxes": len(rows),
        "sealed": sum(1 for r in rows if r.check and r.check.state == CheckState.SEALED),
        "waiting": sum(1 for r in rows if r.check and r.check.state == CheckState.SIGNED),
        "open": sum(1 for r in rows if not r.check or r.check.state == CheckState.COUNTING),
        "differences": sum(r.differences for r in rows),
    }


# ---- the branch's stock against its limits


def box_book(*, box: TailBox, items, now: dt.datetime | None = None) -> dict[int, Decimal]:
    """What the book says the box holds now, by item id."""
    expected, _previous, _since = expected_for(counter=box.counter, items=list(items), now=now)
    return expected


@dataclass(frozen=True)
class Holding:
    item: StockItem
    held: Decimal
    limit: Decimal | None

    @property
    def over(self) -> bool:
        return self.limit is not None and self.held > self.limit


def branch_holdings(*, store: Store, now: dt.datetime | None = None) -> list[Holding]:
    """Each bank item: what the branch holds over its active boxes (one ledger per counter), and its limit."""
    items = list(bank_items(store))
    held: dict[int, Decimal] = {item.pk: Decimal(0) for item in items}
    counters: dict[int, TailBox] = {}
    for box in tail_boxes(store=store):
        counters.setdefault(box.counter_id, box)
    for box in counters.values():
        for pk, quantity in box_book(box=box, items=items, now=now).items():
            held[pk] += quantity
    limits = dict(BranchLimit.objects.filter(store=store).values_list("item_id", "limit"))
    return [Holding(item=item, held=held[item.pk], limit=limits.get(item.pk)) for item in items]


def over_limits(*, store: Store, day: dt.date | None = None) -> QuerySet[OverLimit]:
    return OverLimit.objects.filter(store=store, day=day or timezone.localdate()).select_related("item")


def transfers(*, store: Store) -> QuerySet[BranchTransfer]:
    return BranchTransfer.objects.filter(store=store).select_related("box", "item", "recorded_by")


def limits(*, store: Store) -> QuerySet[BranchLimit]:
    return BranchLimit.objects.filter(store=store).select_related("item", "set_by")
