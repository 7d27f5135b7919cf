"""Store-scoped reads of handovers and the stock ledger, and the figures other apps show of them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from apps.org.access import people_who_can
from apps.org.models import Store, User
from apps.org.selectors import store_ids
from apps.roster.selectors import next_on_roster, shifts_of_user

from .models import (
    Counter,
    Handover,
    HandoverAmendment,
    HandoverLine,
    HandoverSignature,
    HandoverState,
    OpeningBalance,
    Section,
    StockItem,
    StockMovement,
)

# Handovers (cash counts) are seen only where the user works the counter: the list, each handover,
# its PDF and every action on it answer to the same permission.
HANDOVER_PERM = "handovers.sign"


def handover_list_for(*, user: User) -> QuerySet[Handover]:
    return (
        Handover.objects.for_perm(user, HANDOVER_PERM)
        .select_related("store", "counter", "outgoing", "incoming", "witness")
        .order_by("-created_at", "-pk")
    )


def handovers_with_lines(handovers: QuerySet[Handover]) -> QuerySet[Handover]:
    """The handovers with their counted lines (and the items) in two queries."""
    return handovers.prefetch_related(
        Prefetch("lines", queryset=HandoverLine.objects.select_related("item").order_by("order", "pk"))
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


def line_get(*, handover: Handover, pk: int) -> HandoverLine:
    """A line of `handover` (else 404)."""
    return get_object_or_404(HandoverLine.objects.select_related("item"), pk=pk, handover=handover)


def lines_of(handover: Handover) -> list[HandoverLine]:
    return list(handover.lines.select_related("item").order_by("order", "pk"))


def amendment_get(*, handover: Handover, pk: int) -> HandoverAmendment:
    """A correction of `handover` (else 404)."""
    return get_object_or_404(HandoverAmendment, pk=pk, handover=handover)


def counters_for(*, user: User) -> QuerySet[Counter]:
    return Counter.objects.for_perm(user, "handovers.sign").filter(is_active=True).select_related("store")


@dataclass
class HandoverProposal:
    counter: Counter | None
    incoming: User | None


def handover_proposal(
    *, user: User, counters, people, counter_id: str | None = None, now=None
) -> HandoverProposal:
    """What the handover form proposes to `user`: the counter asked for (else the first one of a
    store where the user is on the roster today, else the first one), and as the receiver the next
    person on that store's roster (`roster.selectors.next_on_roster`), among `people`. Nothing is
    proposed for the receiver without a roster."""
    now = now or timezone.now()
    counters = list(counters)
    counter = None
    if str(counter_id or "").isdigit():
        counter = next((c for c in counters if c.pk == int(str(counter_id))), None)
    if counter is None and counters:
        today = timezone.localtime(now).date()
        rostered = set(shifts_of_user(user=user, start=today, end=today).values_list("store_id", flat=True))
        counter = next((c for c in counters if c.store_id in rostered), counters[0])
    if counter is None:
        return HandoverProposal(counter=None, incoming=None)
    among = set(people.values_list("pk", flat=True))
    incoming = next_on_roster(store=counter.store, after=user, at=now, among=among)
    return HandoverProposal(counter=counter, incoming=incoming)


def stock_items_for(*, store: Store | None) -> QuerySet[StockItem]:
    """The items counted at the handovers of `store`: its organisation's items of its kind of store
    (none without a store). A business hall never counts a bank's vouchers, nor a bank SIM cards."""
    if store is None:
        return StockItem.objects.none()
    return StockItem.objects.filter(
        organisation_id=store.organisation_id, store_kind=store.kind, is_active=True
    ).order_by("order", "code")


def voucher_sections() -> list[str]:
    """The sections whose items are important blank vouchers (重要空白凭证)."""
    return [Section.VOUCHER]


def stock_items_for_counters(counters: QuerySet[Counter]) -> QuerySet[StockItem]:
    """The items that may be booked at any of `counters`: per store, its kind's items."""
    q = Q(pk__in=[])
    for organisation_id, kind in counters.values_list("store__organisation_id", "store__kind").distinct():
        q |= Q(organisation_id=organisation_id, store_kind=kind)
    return StockItem.objects.filter(q, is_active=True).order_by("store_kind", "order", "code")


def witnesses_for(*, handover: Handover) -> QuerySet[User]:
    """Who may witness `handover` (监交人): a third person who sets balances in its store."""
    return (
        people_who_can("handovers.set_balances", handover.store)
        .exclude(pk__in=[handover.outgoing_id, handover.incoming_id])
        .order_by("username")
    )


def open_handovers_of(*, user: User) -> list[Handover]:
    """The handovers waiting on `user`: theirs still counted or signed, or one signed for them to accept."""
    return list(
        handover_list_for(user=user).filter(
            Q(outgoing=user, state__in=[HandoverState.DRAFT, HandoverState.SIGNED])
            | Q(incoming=user, state=HandoverState.SIGNED)
        )
    )


def recent_balances_for(*, user: User, limit: int = 30) -> list[OpeningBalance]:
    return list(
        OpeningBalance.objects.for_perm(user, "handovers.set_balances")
        .select_related("counter", "item", "set_by", "store")
        .order_by("-effective_at")[:limit]
    )


def recent_movements_for(*, user: User, limit: int = 30) -> list[StockMovement]:
    return list(
        StockMovement.objects.for_perm(user, HANDOVER_PERM)
        .select_related("counter", "item", "recorded_by", "store")
        .order_by("-occurred_at")[:limit]
    )


def handovers_of_the_day(
    *, store: Store, day: dt.date
) -> tuple[list[Handover], list[tuple[Handover, HandoverLine]]]:
    """The day's handovers of a store, and every counted line that differs from what was expected."""
    handovers = list(
        Handover.objects.filter(store=store, business_date=day)
        .select_related("counter", "outgoing", "incoming", "witness")
        .prefetch_related(Prefetch("lines", queryset=HandoverLine.objects.select_related("item")))
        .order_by("created_at")
    )
    differences = [(h, line) for h in handovers for line in h.lines.all() if line.difference not in (None, 0)]
    return handovers, differences


# ---- figures for the manager's dashboard and the KPIs (apps.targets)


def _differing_lines() -> QuerySet[HandoverLine]:
    return HandoverLine.objects.filter(counted__isnull=False).exclude(counted=F("expected"))


def difference_counts(*, stores, year: int, month: int) -> dict[str, int]:
    """Signed handovers of the month with a counted difference, and the lines left unexplained."""
    lines = _differing_lines().filter(
        handover__store__in=stores,
        handover__business_date__year=year,
        handover__business_date__month=month,
        handover__state__in=[HandoverState.SIGNED, HandoverState.ACCEPTED],
    )
    return lines.aggregate(
        handovers=Count("handover_id", distinct=True),
        unexplained=Count("pk", filter=Q(explanation="")),
    )


def signed_handovers(*, stores, start: dt.date, end: dt.date, outgoing: User | None = None):
    """Signed (or accepted) handovers of `stores` with a business date in [start, end), and the
    condition that keeps those with a counted difference: (queryset, Q) for a KPI and its records."""
    qs = Handover.objects.filter(
        store__in=store_ids(stores),
        business_date__gte=start,
        business_date__lt=end,
        state__in=[HandoverState.SIGNED, HandoverState.ACCEPTED],
    ).select_related("store", "counter", "outgoing", "incoming")
    if outgoing is not None:
        qs = qs.filter(outgoing=outgoing)
    return qs, Q(pk__in=_differing_lines().values("handover_id"))
