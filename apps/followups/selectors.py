"""Store-scoped reads of follow-ups, and the KPIs other apps use.

KPI contract (the targets app calls this; keep it stable)::

    followup_kpis(*, stores, user=None, month: datetime.date) -> dict

`stores`: a queryset or list of stores (or ids); `user`: only that assignee's follow-ups; `month`:
any day of the month measured. Returns::

    {
      "return_visit": {"num": done in window, "den": due, "rate": num/den or None, "percent": ...},
      "timeliness":   {"num": done before the window closed, "den": done, "rate": ..., "percent": ...},
      "satisfaction": {"num": rated 4 or 5, "den": rated, "rate": ..., "percent": ...},
      "avg_score": mean satisfaction (1–5) or None,
    }

`percent` is 100 × num / den as a Decimal rounded to 0.01 (None when den is 0). It is the one
source of these three figures: the after-sales panel shows it live, and the KPI catalogue's
formulas (`targets.kpis`, hence the dashboard's snapshot) compute through this same function.

- due: follow-ups whose window closes in the month (skipped ones do not count);
- done: follow-ups completed with the customer reached (state done) in the month;
- a rate is None when its denominator is 0 (nothing to measure, not 0%).

The rows behind them: `followups_due` (with `DONE_IN_WINDOW`) and `followups_done` (with
`DONE_ON_TIME` and `SATISFIED_Q`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Avg, Count, F, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.shortcuts import get_object_or_404
from django.utils import timezone

from apps.checklists.open_matters import OpenMatter
from apps.customers.selectors import customer_filter, customer_list_for, visits_of_customer_for
from apps.customers.timeline import TimelineEntry
from apps.months import month_days
from apps.org.access import store_kinds_for, stores_where
from apps.org.models import RoleTier
from apps.org.selectors import people_with_tier, store_ids
from apps.pagination import BoundedPage, BoundedPaginator
from apps.tickets.selectors import tickets_of_customer_for

from .models import Attempt, Campaign, FollowUp, FollowUpRule, Reminder, SendLog
from .surveys import QuestionKind, questions

SATISFIED = 4


def _rate(num: int, den: int) -> dict:
    percent = (Decimal(num) * 100 / Decimal(den)).quantize(Decimal("0.01"), ROUND_HALF_UP) if den else None
    return {"num": num, "den": den, "rate": (num / den) if den else None, "percent": percent}


# The populations behind each KPI, as querysets: `targets` drills down into the same rows it counts.


def followups_due(*, stores, month: dt.date, user=None):
    """Follow-ups whose window closes in the month (skipped ones do not count)."""
    first, nxt = month_days(month)
    return (
        _kpi_base(stores, user)
        .filter(window_end__gte=first, window_end__lt=nxt)
        .exclude(state=FollowUp.State.SKIPPED)
    )


# Dates against dates: `completed_on` is the stored local date of `completed_at` (no per-row time
# zone conversion, so the counts read from the KPI indexes alone).
DONE_IN_WINDOW = Q(
    state=FollowUp.State.DONE,
    completed_on__gte=F("window_start"),
    completed_on__lte=F("window_end"),
)


def followups_done(*, stores, month: dt.date, user=None):
    """Follow-ups completed with the customer reached in the month; `day` is the local completion date."""
    first, nxt = month_days(month)
    return (
        _kpi_base(stores, user)
        .filter(state=FollowUp.State.DONE, completed_on__gte=first, completed_on__lt=nxt)
        .annotate(day=F("completed_on"))
    )


DONE_ON_TIME = Q(day__lte=F("window_end"))
SATISFIED_Q = Q(satisfaction__gte=SATISFIED)


def _kpi_base(stores, user):
    base = FollowUp.objects.filter(store__in=store_ids(stores))
    return base.filter(Q(assignee=user) | Q(completed_by=user)) if user is not None else base


def followup_kpi_aggregates(population: str) -> dict:
    """The aggregates counted over `followups_due` or `followups_done` rows: the home panel and the
    targets app's KPI catalogue (its snapshots and the dashboard) both count with these."""
    if population == "followups_due":
        return {"due": Count("pk"), "done_in_window": Count("pk", filter=DONE_IN_WINDOW)}
    return {
        "done": Count("pk"),
        "done_on_time": Count("pk", filter=DONE_ON_TIME),
        "rated": Count("pk", filter=Q(satisfaction__isnull=False)),
        "satisfied": Count("pk", filter=SATISFIED_Q),
        "avg": Avg("satisfaction"),
    }


# rate -> (population, numerator, denominator), the names of `followup_kpi_aggregates(population)`.
FOLLOWUP_RATES = {
    "return_visit": ("followups_due", "done_in_window", "due"),
    "timeliness": ("followups_done", "done_on_time", "done"),
    "satisfaction": ("followups_done", "satisfied", "rated"),
}


def followup_kpis(*, stores, user=None, month: dt.date) -> dict:
    populations = {"followups_due": followups_due, "followups_done": followups_done}
    counts = {
        name: rows(stores=stores, month=month, user=user).aggregate(**followup_kpi_aggregates(name))
        for name, rows in populations.items()
    }
    kpis = {
        rate: _rate(counts[population][num], counts[population][den])
        for rate, (population, num, den) in FOLLOWUP_RATES.items()
    }
    return {**kpis, "avg_score": counts["followups_done"]["avg"]}


def _queue_sections(today: dt.date) -> dict[str, Q]:
    """`today` (window open, not snoozed, no later call-back today), `overdue` (window closed, not
    yet expired); `upcoming` is the rest (not yet open, snoozed, or a call-back on a later day): see
    `_upcoming_parts`."""
    end_of_today = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min))
    ready = (
        Q(state=FollowUp.State.OPEN, window_start__lte=today)
        & (Q(snoozed_until__isnull=True) | Q(snoozed_until__lte=today))
        & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lt=end_of_today))
    )
    return {
        "today": ready & Q(window_end__gte=today),
        "overdue": ready & Q(window_end__lt=today),
    }


def _queue_base(*, user, mine: bool):
    qs = FollowUp.objects.for_perm(user, "followups.view").filter(state__in=FollowUp.ACTIVE)
    return qs.filter(assignee=user) if mine else qs


def _upcoming_parts(today: dt.date) -> list[Q]:
    """ "upcoming" as two parts, each read in its order from its own index (see `queue_page`): those
    open or snoozed until a later day, or with a call-back on a later day, whose window has opened
    (few), and those whose window opens after today. Together: every active follow-up that is
    neither `today` nor `overdue`."""
    end_of_today = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min))
    waiting = (
        Q(state=FollowUp.State.SCHEDULED) | Q(snoozed_until__gt=today) | Q(next_attempt_at__gte=end_of_today)
    )
    return [Q(window_start__lte=today) & waiting, Q(window_start__gt=today)]


QUEUE_ORDER = {"upcoming": ("window_start", "pk")}
QUEUE_DEFAULT_ORDER = ("priority", "window_end", "pk")
QUEUE_RELATED = ("customer", "rule", "assignee", "store", "asset")


def _queue_parts(
    *, user, section: str, mine: bool, q: str, today: dt.date | None
) -> list[QuerySet[FollowUp]]:
    today = today or timezone.localdate()
    base = _queue_base(user=user, mine=mine)
    if q:
        base = base.filter(Q(customer__name__icontains=q) | Q(rule__name__icontains=q))
    base = base.order_by()
    if section == "upcoming":
        return [base.filter(part) for part in _upcoming_parts(today)]
    sections = _queue_sections(today)
    return [base.filter(sections.get(section, sections["today"]))]


def _all_of(parts: list[QuerySet[FollowUp]]) -> QuerySet[FollowUp]:
    return parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]


def queue_for(*, user, section: str = "today", mine: bool = True, q: str = "", today: dt.date | None = None):
    """One tab of the queue, in its order; `q` narrows it to a customer's or a rule's name."""
    parts = _queue_parts(user=user, section=section, mine=mine, q=q, today=today)
    return _all_of([part.select_related(*QUEUE_RELATED) for part in parts]).order_by(
        *QUEUE_ORDER.get(section, QUEUE_DEFAULT_ORDER)
    )


def queue_page(
    *,
    user,
    number,
    section: str = "today",
    mine: bool = True,
    q: str = "",
    today: dt.date | None = None,
    per_page: int = 25,
) -> BoundedPage:
    """Page `number` of a tab, counted over the follow-ups alone (no joins). A tab in two parts
    (upcoming) reads its page in one query: the page's ids, each part stopping at the page's end in
    its index order and the database merging them, then those rows with their customer, rule etc.
    (Slicing the union of the joined parts would join and sort every upcoming follow-up first, and
    planning it costs more than running it.)"""
    parts = _queue_parts(user=user, section=section, mine=mine, q=q, today=today)
    order = QUEUE_ORDER.get(section, QUEUE_DEFAULT_ORDER)

    def rows(bottom: int, top: int):
        if top <= bottom:
            return []
        related = FollowUp.objects.select_related(*QUEUE_RELATED).order_by(*order)
        if len(parts) == 1:
            return parts[0].select_related(*QUEUE_RELATED).order_by(*order)[bottom:top]
        ids = [part.values(*order) for part in parts]
        if connections[parts[0].db].features.supports_slicing_ordering_in_compound:  # not SQLite
            ids = [part.order_by(*order)[:top] for part in ids]
        page = _all_of(ids).order_by(*order)
        try:
            sql, params = page[bottom:top].query.sql_with_params()
        except EmptyResultSet:  # no store to look in
            return []
        return related.filter(pk__in=RawSQL(f"SELECT pk FROM ({sql}) AS page", params))

    counted = _all_of([part.values(*order) for part in parts]).order_by(*order)
    return BoundedPaginator(counted, per_page, rows=rows).get_page(number)


QUEUE_COUNT_CAP = 999


class CappedCount(int):
    """A tab's size: exact up to the cap, shown as "999+" above it."""

    def __str__(self):
        return f"{QUEUE_COUNT_CAP}+" if self > QUEUE_COUNT_CAP else super().__str__()


def queue_counts(*, user, mine: bool = True, today: dt.date | None = None) -> dict:
    """The three tabs' sizes, each counted up to the cap (index scans that stop there), in one
    query."""
    today = today or timezone.localdate()
    sections = _queue_sections(today)
    tabs = {
        "today": [sections["today"]],
        "overdue": [sections["overdue"]],
        "upcoming": _upcoming_parts(today),
    }
    base = _queue_base(user=user, mine=mine)
    parts, params = [], []
    for conditions in tabs.values():
        rows = [base.filter(condition).order_by().values("pk") for condition in conditions]
        capped = rows[0].union(*rows[1:], all=True) if len(rows) > 1 else rows[0]
        try:
            sql, part_params = capped[: QUEUE_COUNT_CAP + 1].query.sql_with_params()
        except EmptyResultSet:  # no store to look in
            sql, part_params = "SELECT 1 WHERE 1 = 0", []
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS capped)")
        params.extend(part_params)
    with connections[base.db].cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        row = cursor.fetchone()
    return {name: CappedCount(n) for name, n in zip(tabs, row, strict=True)}


def followup_get_for(*, user, pk: int) -> FollowUp:
    return get_object_or_404(
        FollowUp.objects.for_perm(user, "followups.view").select_related(
            "customer", "rule", "assignee", "store", "asset", "ticket", "campaign", "previous"
        ),
        pk=pk,
    )


def followup_timeline_source(*, customer, asset=None) -> list[TimelineEntry]:
    """The customer's (or asset's) follow-ups for the customers app's timeline."""
    rows = FollowUp.objects.filter(customer=customer).select_related("rule", "assignee")
    if asset is not None:
        rows = rows.filter(asset=asset)
    return [
        TimelineEntry(
            at=fu.completed_at or timezone.make_aware(dt.datetime.combine(fu.window_start, dt.time(9))),
            kind="followup",
            title=f"{fu.rule.name} · {fu.get_state_display()}",
            text=fu.outcome or fu.reason,
            url=fu.get_absolute_url(),
            perm="followups.view",
            icon="bi-telephone",
            by=str(fu.assignee) if fu.assignee else "",
        )
        for fu in rows.order_by("-window_start")[:50]
    ]


def followup_open_matters(*, user, store) -> list[OpenMatter]:
    """Follow-ups of `user` in `store` that are open now, for the shift handover (交接班)."""
    rows = (
        FollowUp.objects.filter(store=store, assignee=user, state=FollowUp.State.OPEN)
        .select_related("customer", "rule")
        .order_by("window_end", "pk")
    )
    return [
        OpenMatter(
            kind="followup",
            label=f"{fu.rule.name} · {fu.customer.name}",
            url=fu.get_absolute_url(),
            since=timezone.make_aware(dt.datetime.combine(fu.window_start, dt.time(0))),
            ref=f"followup:{fu.pk}",
        )
        for fu in rows
    ]


def customer_timeline(*, user, followup: FollowUp, limit: int = 12) -> list[dict]:
    """What the caller needs at hand: visits, tickets, earlier follow-ups and calls of the customer."""
    customer = followup.customer
    entries: list[dict] = []
    for visit in visits_of_customer_for(user=user, customer=customer)[:limit]:
        entries.append(
            {
                "at": timezone.make_aware(dt.datetime.combine(visit.visited_on, dt.time(12))),
                "kind": "visit",
                "title": str(visit.asset or ""),
                "text": visit.work_done,
                "url": "",
            }
        )
    for ticket in tickets_of_customer_for(user=user, customer=customer)[:limit]:
        entries.append(
            {
                "at": ticket.created_at,
                "kind": "ticket",
                "title": f"{ticket.number} {ticket.title}",
                "text": ticket.get_state_display(),
                "url": "",
            }
        )
    for attempt in (
        Attempt.objects.filter(followup__customer=customer)
        .exclude(followup=followup)
        .select_related("followup__rule", "by")
        .order_by("-at")[:limit]
    ):
        entries.append(
            {
                "at": attempt.at,
                "kind": "call",
                "title": f"{attempt.followup.rule.name} · {attempt.get_result_display()}",
                "text": attempt.outcome,
                "url": attempt.followup.get_absolute_url(),
            }
        )
    entries.sort(key=lambda e: e["at"], reverse=True)
    return entries[:limit]


# Who may be given a follow-up: the store's after-sales staff and managers.
ASSIGNEE_TIERS = [RoleTier.AFTERSALES, RoleTier.MANAGER]


def assignable_users(*, store):
    return people_with_tier(store=store, tiers=ASSIGNEE_TIERS)


def assign_users_for(*, user):
    """Everyone the user may hand follow-ups to: after-sales staff and managers of the stores where
    the user assigns."""
    return people_with_tier(stores=stores_where(user, "followups.assign"), tiers=ASSIGNEE_TIERS).order_by(
        "username"
    )


def followups_assignable_by(*, user):
    """The follow-ups the user may hand to someone (those of the stores where the user assigns)."""
    return FollowUp.objects.for_perm(user, "followups.assign")


def _rules_of_own_kinds(user):
    """The rules the user may see that call for a kind of store they see (a rule of another kind
    of store speaks that kind's language: 是否准时交车 is the station's)."""
    rules = FollowUpRule.objects.for_user(user)
    kinds = store_kinds_for(user)
    mine = [
        pk
        for pk, rule_kinds in rules.values_list("pk", "store_kinds")
        if not rule_kinds or kinds & set(rule_kinds)
    ]
    return rules.filter(pk__in=mine)


def rule_list_for(*, user):
    return _rules_of_own_kinds(user).select_related("store", "next_rule", "position")


def rule_get_for(*, user, pk: int) -> FollowUpRule:
    return get_object_or_404(_rules_of_own_kinds(user), pk=pk)


def campaign_list_for(*, user):
    return Campaign.objects.for_perm(user, "followups.view").select_related("store")


def campaign_get_for(*, user, pk: int) -> Campaign:
    return get_object_or_404(Campaign.objects.for_perm(user, "followups.view"), pk=pk)


def campaign_followups(*, campaign: Campaign):
    """The campaign's calls and letters, grouped by channel, by customer name."""
    return campaign.followups.select_related("customer", "assignee").order_by("channel", "customer__name")


def campaign_letters_open(*, campaign: Campaign) -> int:
    return campaign.followups.filter(channel="letter", state__in=FollowUp.ACTIVE).count()


@dataclass
class CampaignPick:
    """The customers a campaign would invite, picked with the customer list's filters."""

    filterset: object
    valid: bool  # a filter that does not validate picks nobody (django-filter would drop the field)
    customers: QuerySet
    store: object  # the store the filters pick in (or the user's only one), else None
    params: dict  # the filters as given: what the campaign was picked with


def campaign_pick(*, user, data) -> CampaignPick:
    stores = stores_where(user, "followups.assign")
    filterset = customer_filter(data, queryset=campaign_candidates_for(user=user), user=user, stores=stores)
    valid = filterset.is_valid()
    store = filterset.form.cleaned_data.get("store") if valid else None
    if store is None and len(stores) == 1:
        store = stores[0]
    return CampaignPick(
        filterset=filterset,
        valid=valid,
        customers=filterset.qs if valid else filterset.queryset.none(),
        store=store,
        params={name: data[name] for name in filterset.filters if data.get(name)},
    )


def assign_stores(*, user):
    return stores_where(user, "followups.assign")


def campaign_candidates_for(*, user):
    """The customers a campaign of this user may invite: those of the stores where the user may create
    campaigns, who agree to be contacted and whose file is not anonymised (the customer filters narrow
    this further)."""
    return customer_list_for(user=user).filter(
        store__in=stores_where(user, "followups.assign"),
        contact_consent=True,
        anonymised_at__isnull=True,
    )


def overdue_counts(*, stores, today: dt.date) -> dict:
    """Open follow-ups of these stores past their window and not yet expired (`overdue`), and how
    many of them nobody is assigned (`unassigned`): one aggregate query."""
    return FollowUp.objects.filter(
        store__in=stores, state=FollowUp.State.OPEN, window_end__lt=today, expires_on__gte=today
    ).aggregate(overdue=Count("pk"), unassigned=Count("pk", filter=Q(assignee__isnull=True)))


# ---------------------------------------------------------------- operations (gauges, /healthz)


def reminders_due_count(*, overdue_by: dt.timedelta = dt.timedelta(0)) -> int:
    """Reminders due (and not sent or cancelled) for at least `overdue_by`."""
    return Reminder.objects.filter(
        sent_at__isnull=True, cancelled_at__isnull=True, due_at__lte=timezone.now() - overdue_by
    ).count()


def oldest_due_reminder_age() -> float:
    """Seconds since the oldest unsent reminder fell due (0 when none is waiting): the worker's lag."""
    oldest = (
        Reminder.objects.filter(sent_at__isnull=True, cancelled_at__isnull=True, due_at__lte=timezone.now())
        .order_by("due_at")
        .values_list("due_at", flat=True)
        .first()
    )
    return max(0.0, (timezone.now() - oldest).total_seconds()) if oldest else 0.0


def outbox_length() -> int:
    """E-mails and group messages queued and not yet delivered."""
    return SendLog.objects.filter(status=SendLog.Status.QUEUED).count()


def week_figures(*, store, start: dt.date, end: dt.date) -> dict:
    """The follow-up figures of one store for the days `start`..`end`: calls due (window closing in
    those days, skipped ones left out), done within their window, done in those days, satisfied
    among the rated, and still open past their window."""
    base = FollowUp.objects.filter(store=store)
    due = base.filter(window_end__gte=start, window_end__lte=end).exclude(state=FollowUp.State.SKIPPED)
    due_stats = due.aggregate(den=Count("pk"), num=Count("pk", filter=DONE_IN_WINDOW))
    done = base.filter(state=FollowUp.State.DONE, completed_on__gte=start, completed_on__lte=end).aggregate(
        n=Count("pk"),
        rated=Count("pk", filter=Q(satisfaction__isnull=False)),
        happy=Count("pk", filter=SATISFIED_Q),
    )
    missed = due.filter(state=FollowUp.State.MISSED).count()
    return {
        "due": due_stats["den"],
        "done_in_window": due_stats["num"],
        "done": done["n"],
        "rated": done["rated"],
        "satisfied": done["happy"],
        "missed": missed,
    }


# --- for the API: the vocabulary of a call and the page's form ------------------------------------

AttemptResult = Attempt.Result
SurveyQuestionKind = QuestionKind


def survey_questions_of(*, followup: FollowUp) -> list[dict]:
    """The follow-up's survey questions ({text, kind}), in the order the call form asks them."""
    return [{"text": q.text, "kind": str(q.kind)} for q in questions(followup.survey_items)]


def attempt_form(data, *, followup: FollowUp):
    """The page's form for logging a call on `followup`, bound to `data`."""
    from .forms import AttemptForm

    return AttemptForm(data, survey_items=followup.survey_items)


def calls_due_for(*, user, start: dt.date, end: dt.date):
    """The person's own open and scheduled follow-ups whose call window meets `start`..`end` (their
    calendar feed)."""
    return (
        FollowUp.objects.for_perm(user, "followups.view")
        .filter(state__in=FollowUp.ACTIVE, assignee=user, window_start__lte=end, window_end__gte=start)
        .select_related("customer", "rule", "store")
        .order_by("window_start", "pk")
    )
