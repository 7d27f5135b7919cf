"""Store-scoped reads of tickets, and the figures other apps compute KPIs from.

For `targets` (each takes `stores` — a Store queryset, list of stores or of store ids — and a
`month` given as any date inside it; months are local calendar months):

- `on_time_rate(stores=, user=None, month=) -> (on_time, settled)`: every repair order settled in
  the month (准时交车率 = 准时交车台数 / 结算总台数); `on_time` counts those settled by the promise
  plus confirmed customer-caused delays; one settled without a promise counts as late. Rate =
  on_time / settled (target ≥ 96%). `user`: the assignee.
- `complaints_answered_within(stores=, month=, user=None) -> (answered_in_time, total)`: complaints opened
  in the month; in time = the customer was answered by the policy deadline (`answer_due_at`,
  2 business days by default).
- `output_value(stores=, user=None, month=) -> Decimal`: the sum of settlement amounts (产值) of
  tickets settled in the month (`user`: the assignee).
- `same_day_answers(stores=, month=) -> (told_same_day, solutions)`: tickets whose solution was
  found in the month; told same day = the customer heard it the same local day.
- `warranty_service_in_time(stores=, month=, user=None) -> (in_time, requests)`: 保修内服务及时率 of
  the product after-sales plan. Service asked for in the month (every kind but complaints, which
  have their own figure) on a vehicle or product whose warranty covered that day; in time = the
  customer was answered by the policy deadline, or, for a repair order, delivered by the promise.

The rows behind them: `settled_repair_orders`, `complaints_raised` (with the `ANSWERED_IN_TIME`
condition), `settled_tickets` and `warranty_service_requests` (with `WARRANTY_SERVICE_IN_TIME`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import Promise

from apps.months import days_bounds, month_bounds
from apps.org.selectors import store_ids

from .models import DEFAULT_TICKET_KINDS, Ticket, TicketEvent, TicketKindSetting


def _tickets(stores, user=None) -> QuerySet[Ticket]:
    qs = Ticket.objects.filter(store__in=store_ids(stores))
    return qs.filter(assignee=user) if user is not None else qs


# The populations behind each figure, as querysets: `targets` drills down into the same rows it counts.


def settled_repair_orders(*, stores, month: dt.date, user=None) -> QuerySet[Ticket]:
    """Every repair order settled in the month: the denominator of 准时交车率. Only `on_time=True`
    counts as on time, so one settled without a promise (on_time empty on older rows) is late."""
    start, end = month_bounds(month)
    return _tickets(stores, user).filter(
        kind=Ticket.Kind.REPAIR_ORDER, settled_at__gte=start, settled_at__lt=end
    )


# Answered by the policy deadline (2 business days by default, see AnswerPolicy).
ANSWERED_IN_TIME = Q(answered_at__isnull=False) & (
    Q(answer_due_at__isnull=True) | Q(answered_at__lte=F("answer_due_at"))
)


def complaints_raised(*, stores, month: dt.date, user=None) -> QuerySet[Ticket]:
    start, end = month_bounds(month)
    return _tickets(stores, user).filter(
        kind=Ticket.Kind.COMPLAINT, created_at__gte=start, created_at__lt=end
    )


# 保修内服务 answered in time: by the policy deadline; a repair order, delivered by its promise.
WARRANTY_SERVICE_IN_TIME = (Q(kind=Ticket.Kind.REPAIR_ORDER) & Q(on_time=True)) | (
    ~Q(kind=Ticket.Kind.REPAIR_ORDER) & ANSWERED_IN_TIME
)


def warranty_service_requests(*, stores, month: dt.date, user=None) -> QuerySet[Ticket]:
    """Service tickets (not complaints) opened in the month on an asset under warranty that day."""
    start, end = month_bounds(month)
    opened_on = TruncDate("created_at", tzinfo=timezone.get_current_timezone())
    return (
        _tickets(stores, user)
        .filter(created_at__gte=start, created_at__lt=end)
        .exclude(kind=Ticket.Kind.COMPLAINT)
        .annotate(opened_on=opened_on)
        .filter(asset__warranty_ends_on__gte=F("opened_on"))
        .filter(Q(asset__delivery_date__isnull=True) | Q(asset__delivery_date__lte=F("opened_on")))
    )


def warranty_service_in_time(*, stores, month: dt.date, user=None) -> tuple[int, int]:
    agg = warranty_service_requests(stores=stores, month=month, user=user).aggregate(
        total=Count("pk"), in_time=Count("pk", filter=WARRANTY_SERVICE_IN_TIME)
    )
    return agg["in_time"], agg["total"]


def settled_tickets(*, stores, month: dt.date, user=None) -> QuerySet[Ticket]:
    start, end = month_bounds(month)
    return _tickets(stores, user).filter(settled_at__gte=start, settled_at__lt=end)


def on_time_rate(*, stores, month: dt.date, user=None) -> tuple[int, int]:
    agg = settled_repair_orders(stores=stores, month=month, user=user).aggregate(
        settled=Count("pk"), on_time=Count("pk", filter=Q(on_time=True))
    )
    return agg["on_time"], agg["settled"]


def complaints_answered_within(*, stores, month: dt.date, user=None) -> tuple[int, int]:
    agg = complaints_raised(stores=stores, month=month, user=user).aggregate(
        total=Count("pk"), in_time=Count("pk", filter=ANSWERED_IN_TIME)
    )
    return agg["in_time"], agg["total"]


def output_value(*, stores, month: dt.date, user=None) -> Decimal:
    total = settled_tickets(stores=stores, month=month, user=user).aggregate(total=Sum("settlement_amount"))
    return total["total"] or Decimal("0.00")


def same_day_answers(*, stores, month: dt.date) -> tuple[int, int]:
    start, end = month_bounds(month)
    rows = list(
        _tickets(stores)
        .filter(solution_found_at__gte=start, solution_found_at__lt=end)
        .values_list("solution_found_at", "solution_told_at")
    )
    same = sum(
        1
        for found, told in rows
        if told and timezone.localtime(told).date() == timezone.localtime(found).date()
    )
    return same, len(rows)


def ticket_list_for(*, user) -> QuerySet[Ticket]:
    return Ticket.objects.for_user(user).select_related("store", "customer", "assignee", "asset")


def ticket_get_for(*, user, pk: int) -> Ticket:
    return get_object_or_404(
        Ticket.objects.for_user(user).select_related("store", "customer", "assignee", "asset", "created_by"),
        pk=pk,
    )


def open_tickets_for(*, user, store) -> QuerySet[Ticket]:
    return (
        Ticket.objects.open()
        .filter(store=store)
        .filter(Q(assignee=user) | Q(escalated_to=user))
        .distinct()
        .select_related("customer")
        .order_by("created_at")
    )


MY_TICKETS_ORDER = (
    F("answer_due_at").asc(nulls_last=True),
    F("promised_at").asc(nulls_last=True),
    F("created_at").asc(),
    F("pk").asc(),
)


def _my_tickets_key(ticket: Ticket) -> tuple:
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    return (ticket.answer_due_at or far, ticket.promised_at or far, ticket.created_at, ticket.pk)


def my_tickets(*, user, limit: int = 8) -> list[Ticket]:
    """The user's open tickets, soonest due first: those assigned to them and those escalated to
    them, each read from its own index (LIMIT `limit`) and merged here. One query over
    `assignee OR escalated_to` would need DISTINCT across the M2M before the LIMIT, which sorts
    every open ticket."""
    base = Ticket.objects.for_user(user).open().select_related("customer", "store")
    assigned = list(base.filter(assignee=user).order_by(*MY_TICKETS_ORDER)[:limit])
    # Every ticket ever escalated to the user is a row of the M2M: the first `limit` open ones are
    # picked from a covering index of the open tickets (`ticket_open_cover_idx`), and only those
    # are read with their customer and store.
    first_escalated = (
        Ticket.objects.for_user(user)
        .open()
        .filter(escalated_to=user)
        .order_by(*MY_TICKETS_ORDER)
        .values("pk")
    )
    escalated = list(base.filter(pk__in=first_escalated[:limit]).order_by(*MY_TICKETS_ORDER))
    merged = {t.pk: t for t in assigned + escalated}
    return sorted(merged.values(), key=_my_tickets_key)[:limit]


def tickets_for_review(*, user) -> QuerySet[Ticket]:
    """Orders waiting for the manager's review, in the stores where the user may assign tickets."""
    from apps.org.access import stores_where

    return (
        Ticket.objects.filter(
            store__in=stores_where(user, "tickets.assign"),
            review_flagged_at__isnull=False,
            review_resolved_at__isnull=True,
        )
        .select_related("customer", "store")
        .order_by("review_flagged_at", "pk")
    )


def ticket_events(*, ticket: Ticket) -> QuerySet[TicketEvent]:
    return ticket.events.select_related("by").order_by("at", "pk")


# --- for other apps (followups, targets): the vocabulary and the rows they start from ------------

TicketKind = Ticket.Kind
TicketPriority = Ticket.Priority


def ticket_kind_choices(store_kinds=None) -> list[tuple[str, str | Promise]]:
    """The ticket kinds as (value, label); with `store_kinds`, only those offered at a store of
    one of these kinds (`ticket_kinds_offered`)."""
    if store_kinds is None:
        return list(Ticket.Kind.choices)
    offered = ticket_kinds_offered(store_kinds)
    return [(value, label) for value, label in Ticket.Kind.choices if value in offered]


def ticket_kinds_offered(store_kinds) -> set[str]:
    """The ticket kinds stores of any of `store_kinds` take: the admin's TicketKindSetting rows,
    and for a pair without a row the default of DEFAULT_TICKET_KINDS."""
    store_kinds = {store_kinds} if isinstance(store_kinds, str) else set(store_kinds)
    rows = {
        (row.store_kind, row.kind): row.is_offered
        for row in TicketKindSetting.objects.filter(store_kind__in=store_kinds)
    }
    return {
        kind
        for store_kind in store_kinds
        for kind in Ticket.Kind.values
        if rows.get((store_kind, kind), kind in DEFAULT_TICKET_KINDS.get(store_kind, ()))
    }


def repair_order_open(*, customer_id: int, asset_id: int | None) -> bool:
    """Is a repair order still open for the asset (or, with no asset, for the customer)?"""
    orders = Ticket.objects.open().filter(kind=Ticket.Kind.REPAIR_ORDER)
    if asset_id:
        return orders.filter(asset_id=asset_id).exists()
    return orders.filter(customer_id=customer_id).exists()


def tickets_closed_between(*, start: dt.datetime, end: dt.datetime, major: bool = False, kinds=()):
    """Tickets closed from `start` (included) to `end` (excluded), with customer, store and asset;
    only major repairs when `major`, only these kinds when given."""
    tickets = Ticket.objects.filter(closed_at__gte=start, closed_at__lt=end).select_related(
        "customer", "store", "asset", "customer__owner"
    )
    if major:
        tickets = tickets.filter(is_major_repair=True)
    return tickets.filter(kind__in=kinds) if kinds else tickets


def tickets_of_customer_for(*, user, customer) -> QuerySet[Ticket]:
    """The customer's tickets the user may see, newest first."""
    return Ticket.objects.for_user(user).filter(customer=customer).order_by("-created_at")


def escalated_complaints(*, store_ids) -> QuerySet[Ticket]:
    """Complaints escalated and not yet resolved in these stores (ids: the plan walks the partial
    index of escalated complaints), the one to answer first first."""
    return (
        Ticket.objects.filter(store__in=store_ids, kind=Ticket.Kind.COMPLAINT, escalation_level__gt=0)
        .exclude(state__in=[Ticket.State.RESOLVED, Ticket.State.CLOSED])
        .select_related("store", "assignee")
        .order_by("answer_due_at", "pk")
    )


def complaints_between(*, store, start: dt.date, end: dt.date) -> QuerySet[Ticket]:
    """Complaints raised in the store from `start` to `end` (dates, both included)."""
    first, after = days_bounds(start, end)
    return (
        Ticket.objects.filter(
            store=store, kind=Ticket.Kind.COMPLAINT, created_at__gte=first, created_at__lt=after
        )
        .select_related("customer", "assignee")
        .order_by("created_at", "pk")
    )


def repair_orders_settled_between(*, store, start: dt.date, end: dt.date) -> QuerySet[Ticket]:
    """Repair orders settled from `start` to `end`; one without a known on-time outcome counts as late."""
    first, after = days_bounds(start, end)
    return Ticket.objects.filter(
        store=store, kind=Ticket.Kind.REPAIR_ORDER, settled_at__gte=first, settled_at__lt=after
    )


# --- for the API: the list's filters and the page's forms, so that the rules are the page's -----


def ticket_filter(data, *, queryset, user, stores):
    """The ticket list's filters (search, kind, state, priority, store, view, sort) over `queryset`."""
    from .filters import TicketFilter

    return TicketFilter(data, queryset=queryset, user=user, stores=stores)


def ticket_form(data, *, customer):
    """The page's form for a new ticket of `customer`, bound to `data`."""
    from .forms import TicketForm

    return TicketForm(data, customer=customer)


def ticket_transition_form(data):
    from .forms import TransitionForm

    return TransitionForm(data)


def ticket_comment_form(data):
    from .forms import CommentForm

    return CommentForm(data)


def ticket_transitions(*, ticket: Ticket) -> set[str]:
    """The states the ticket may move to next."""
    from .services import TRANSITIONS

    return set(TRANSITIONS.get(ticket.state, ()))
