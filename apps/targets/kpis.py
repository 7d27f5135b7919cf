"""The KPI catalogue: every KPI is defined once, with a formula bound to live data.

    @kpi_formula("tickets.on_time_rate", name=_("On-time delivery rate"), unit="%")
    def on_time_rate(stores, user, month) -> Tally: ...

A formula takes the stores (a queryset, stores or ids), an optional person and the first day of a
month, and answers a `Tally`: the rows counted, the aggregates over them and how they make the
value. One tally serves both readings of a KPI: `KpiEntry.compute` (one figure over a set of
stores, with the records behind it for the drill-down page) and `KpiEntry.compute_by_store` (every
store's figure in one grouped query, for the snapshot job). Either answers a `KpiValue`: numerator,
denominator and value (None when there is nothing to count: shown as "—", never as 0 %).

No target lives here: which KPIs a kind of store is measured by, and their default targets, are data
(`models.KindKpi`, read through `profiles`). Other apps register their formulas into this registry
(the bank's desk: `bank.*` in `apps/bankdesk/kpis.py`); a profile row whose formula is not registered
is skipped by every reader.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.months import next_month
from apps.org.selectors import store_ids

HUNDRED = Decimal(100)


@dataclass
class KpiValue:
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    value: Decimal | None = None
    records: QuerySet | None = None
    note: str = ""

    @property
    def is_empty(self) -> bool:
        return self.value is None


@dataclass
class Tally:
    """A KPI's count: `rows` (a queryset with a `store` foreign key), `aggregates` over them
    (name -> aggregate expression), `value` turning the aggregated dict into a KpiValue, and the
    `records` listed on the drill-down page (lazy: no query unless read)."""

    rows: QuerySet
    aggregates: dict
    value: Callable[[dict], KpiValue]
    records: QuerySet | None = None


@dataclass
class KpiEntry:
    key: str
    name: str
    unit: str
    source: str  # tickets, followups, checklists, manual
    fn: Callable[..., Tally] | None = None
    higher_is_better: bool = True
    # A count or an amount is summed over stores (otherwise rates are re-divided, scores averaged).
    summed: bool = False
    description: str = ""
    columns: list[tuple[str, str]] = field(default_factory=list)

    @property
    def is_manual(self) -> bool:
        return self.source == "manual"

    def compute(self, stores, user, month: dt.date) -> KpiValue:
        assert self.fn is not None
        tally = self.fn(stores, user, month)
        result = tally.value(tally.rows.aggregate(**tally.aggregates))
        result.records = tally.records
        return result

    def compute_by_store(self, stores, month: dt.date) -> dict[int, KpiValue]:
        """{store id: the store's KpiValue} for every store given, from one grouped query: the
        same rows and aggregates as `compute([store], None, month)`, store by store."""
        ids = store_ids(stores)
        assert self.fn is not None
        tally = self.fn(ids, None, month)
        grouped = tally.rows.order_by().values("store_id").annotate(**tally.aggregates)
        by_store = {row.pop("store_id"): row for row in grouped}
        # What an aggregate over no rows answers (0 for counts, None for sums), without a query.
        empty = tally.rows.none().aggregate(**tally.aggregates)
        return {pk: tally.value(by_store.get(pk, empty)) for pk in ids}

    def format(self, value: Decimal | None) -> str:
        return format_value(value, self.unit)


_catalogue: dict[str, KpiEntry] = {}


def kpi_formula(
    key: str,
    *,
    name,
    unit: str = "",
    source: str = "",
    higher_is_better=True,
    summed=False,
    description="",
    columns=None,
):
    def decorator(fn):
        _catalogue[key] = KpiEntry(
            key=key,
            name=name,
            unit=unit,
            source=source or key.split(".")[0],
            fn=fn,
            higher_is_better=higher_is_better,
            summed=summed or unit in ("元", "yuan"),
            description=description,
            columns=columns or [],
        )
        return fn

    return decorator


def catalogue() -> list[KpiEntry]:
    return list(_catalogue.values())


def get_kpi(key: str) -> KpiEntry | None:
    return _catalogue.get(key)


def validate_kpi_key(value: str) -> None:
    """A stored KPI key names a KPI of the catalogue (links and figures are looked up by it)."""
    if value and value not in _catalogue:
        raise ValidationError(
            _("%(value)s is not a KPI of the catalogue."), code="kpi_key", params={"value": value}
        )


def format_value(value: Decimal | None, unit: str = "") -> str:
    if value is None:
        return "—"
    if unit == "%":
        return f"{value.quantize(Decimal('0.1'), ROUND_HALF_UP)}%"
    if unit in ("元", "yuan"):
        return f"{value.quantize(Decimal('0.01'), ROUND_HALF_UP):,}"
    q = value.quantize(Decimal("0.01"), ROUND_HALF_UP)
    return f"{q.normalize():f}" if q == q.to_integral() else f"{q}"


def ratio(numerator, denominator) -> KpiValue:
    num = Decimal(numerator or 0)
    den = Decimal(denominator or 0)
    if not den:
        return KpiValue(numerator=num, denominator=den, value=None)
    return KpiValue(
        numerator=num, denominator=den, value=(num * HUNDRED / den).quantize(Decimal("0.01"), ROUND_HALF_UP)
    )


def rate_of(num: str, den: str) -> Callable[[dict], KpiValue]:
    """The value of a rate tally: aggregate `num` ÷ aggregate `den`."""
    return lambda agg: ratio(agg[num], agg[den])


def _store_filter(stores, lookup: str = "store") -> Q:
    return Q(**{f"{lookup}__in": store_ids(stores)})


# ---- tickets ---------------------------------------------------------------------------------


def _ticket_records(qs, date_field: str):
    return qs.select_related("store", "assignee", "customer").order_by(date_field, "pk")


TICKET_COLUMNS = [
    ("number", _("Number")),
    ("title", _("Title")),
    ("store", _("Store")),
    ("assignee", _("Assignee")),
]


@kpi_formula(
    "tickets.on_time_rate",
    name=_("On-time delivery rate"),
    unit="%",
    description=_("Repair orders delivered on time ÷ repair orders settled in the month."),
    columns=[
        *TICKET_COLUMNS,
        ("promised_at", _("Promised")),
        ("settled_at", _("Settled")),
        ("on_time", _("On time")),
    ],
)
def on_time_rate(stores, user, month):
    from apps.tickets.selectors import settled_repair_orders

    qs = settled_repair_orders(stores=stores, month=month, user=user)
    return Tally(
        rows=qs,
        aggregates={"settled": Count("pk"), "on_time": Count("pk", filter=Q(on_time=True))},
        value=rate_of("on_time", "settled"),
        records=_ticket_records(qs, "settled_at"),
    )


COMPLAINT_ANSWER_COLUMNS = [
    *TICKET_COLUMNS,
    ("created_at", _("Raised")),
    ("answer_due_at", _("Answer due")),
    ("answered_at", _("Answered")),
]


@kpi_formula(
    "tickets.complaints_answered_2d",
    name=_("Complaints answered within 2 days"),
    unit="%",
    description=_(
        "Complaints raised in the month and answered by their deadline (2 business days) ÷ complaints raised."
    ),
    columns=COMPLAINT_ANSWER_COLUMNS,
)
def complaints_answered(stores, user, month):
    from apps.tickets.selectors import ANSWERED_IN_TIME, complaints_raised

    qs = complaints_raised(stores=stores, month=month, user=user)
    return Tally(
        rows=qs,
        aggregates={"raised": Count("pk"), "answered": Count("pk", filter=ANSWERED_IN_TIME)},
        value=rate_of("answered", "raised"),
        records=_ticket_records(qs, "created_at"),
    )


@kpi_formula(
    "tickets.complaints_handled_rate",
    name=_("Complaint handling rate"),
    unit="%",
    description=_("Complaints raised in the month and answered ÷ complaints raised in the month."),
    columns=[*TICKET_COLUMNS, ("created_at", _("Raised")), ("answered_at", _("Answered"))],
)
def complaints_handled(stores, user, month):
    from apps.tickets.selectors import complaints_raised

    qs = complaints_raised(stores=stores, month=month, user=user)
    return Tally(
        rows=qs,
        aggregates={"raised": Count("pk"), "handled": Count("pk", filter=Q(answered_at__isnull=False))},
        value=rate_of("handled", "raised"),
        records=_ticket_records(qs, "created_at"),
    )


@kpi_formula(
    "tickets.warranty_service_timeliness",
    name=_("In-warranty service timeliness rate"),
    unit="%",
    description=_(
        "Service asked for in the month on a vehicle or product under warranty and answered in time "
        "(by the answer deadline; a repair order: delivered by the promise) ÷ such service requests. "
        "Not the follow-up calls: those are the follow-up timeliness rate."
    ),
    columns=[
        *TICKET_COLUMNS,
        ("created_at", _("Raised")),
        ("answer_due_at", _("Answer due")),
        ("answered_at", _("Answered")),
        ("on_time", _("On time")),
    ],
)
def warranty_service_timeliness(stores, user, month):
    from apps.tickets.selectors import WARRANTY_SERVICE_IN_TIME, warranty_service_requests

    qs = warranty_service_requests(stores=stores, month=month, user=user).select_related(
        "store", "assignee", "customer"
    )
    return Tally(
        rows=qs,
        aggregates={"total": Count("pk"), "in_time": Count("pk", filter=WARRANTY_SERVICE_IN_TIME)},
        value=rate_of("in_time", "total"),
        records=qs.order_by("created_at", "pk"),
    )


@kpi_formula(
    "tickets.output_value",
    name=_("Output value"),
    unit="元",
    description=_("Sum of the settlement amounts of the tickets settled in the month."),
    columns=[*TICKET_COLUMNS, ("settled_at", _("Settled")), ("settlement_amount", _("Amount"))],
)
def output_value(stores, user, month):
    from apps.tickets.selectors import settled_tickets

    def value(agg):
        total = Decimal(agg["total"] or 0) if agg["n"] else None
        return KpiValue(numerator=total, denominator=Decimal(agg["n"]), value=total)

    qs = settled_tickets(stores=stores, month=month, user=user)
    return Tally(
        rows=qs,
        aggregates={"n": Count("pk"), "total": Sum("settlement_amount")},
        value=value,
        records=_ticket_records(qs, "settled_at"),
    )


# ---- manual ----------------------------------------------------------------------------------


def _manual_value(agg) -> KpiValue:
    value = Decimal(agg["avg"]).quantize(Decimal("0.01")) if agg["n"] else None
    return KpiValue(numerator=value, denominator=Decimal(agg["n"]), value=value)


def _manual(key: str):
    def compute(stores, user, month):
        from .models import ManualKpiValue

        qs = ManualKpiValue.objects.filter(_store_filter(stores), kpi_key=key, month=month)
        qs = qs.filter(user=user) if user is not None else qs.filter(user__isnull=True)
        return Tally(
            rows=qs,
            aggregates={"n": Count("pk"), "avg": Avg("value")},
            value=_manual_value,
            records=qs.select_related("store", "user", "entered_by"),
        )

    return compute


MANUAL_COLUMNS = [
    ("store", _("Store")),
    ("value", _("Value")),
    ("note", _("Source / note")),
    ("entered_by", _("Entered by")),
    ("entered_at", _("Entered at")),
]

for _key, _name, _desc in [
    ("manual.csi", _("CSI score"), _("Customer satisfaction index reported by the manufacturer.")),
    ("manual.ten_item_survey", _("Ten-item survey score"), _("The manufacturer's ten-item customer survey.")),
]:
    kpi_formula(_key, name=_name, unit="", source="manual", description=_desc, columns=MANUAL_COLUMNS)(
        _manual(_key)
    )


# ---- sources that register once their apps exist -------------------------------------------

FOLLOWUP_COLUMNS = [
    ("customer", _("Customer")),
    ("rule", _("Rule")),
    ("store", _("Store")),
    ("assignee", _("Assignee")),
    ("window_start", _("Window opens")),
    ("window_end", _("Window closes")),
    ("completed_at", _("Done at")),
    ("satisfaction", _("Satisfaction")),
]


def _followup_rows(qs):
    return qs.select_related("customer", "rule", "store", "assignee").order_by("window_end", "pk")


def _followup_ratio(rate: str):
    """A follow-up KPI counted as the home panel counts it: `followups.selectors.FOLLOWUP_RATES[rate]`
    names the population, its aggregates and which of them are the numerator and denominator."""

    def compute(stores, user, month):
        from apps.followups import selectors

        population, num, den = selectors.FOLLOWUP_RATES[rate]
        qs = getattr(selectors, population)(stores=stores, month=month, user=user)
        records = qs.filter(satisfaction__isnull=False) if rate == "satisfaction" else qs
        return Tally(
            rows=qs,
            aggregates=selectors.followup_kpi_aggregates(population),
            value=rate_of(num, den),
            records=_followup_rows(records),
        )

    return compute


kpi_formula(
    "followups.return_visit_rate",
    name=_("Return-visit rate"),
    unit="%",
    description=_("Follow-ups done within their window ÷ follow-ups whose window closes in the month."),
    columns=FOLLOWUP_COLUMNS,
)(_followup_ratio("return_visit"))
kpi_formula(
    "followups.timeliness_rate",
    name=_("Follow-up timeliness rate"),
    unit="%",
    description=_(
        "Follow-up calls done before their window closed ÷ follow-ups done in the month. Not the "
        "in-warranty service timeliness rate (保修内服务及时率): that counts service requests."
    ),
    columns=FOLLOWUP_COLUMNS,
)(_followup_ratio("timeliness"))
kpi_formula(
    "followups.satisfaction_rate",
    name=_("Satisfaction rate"),
    unit="%",
    description=_("Customers rating 4 or 5 ÷ customers who gave a rating in the month."),
    columns=FOLLOWUP_COLUMNS,
)(_followup_ratio("satisfaction"))


# ---- checklists ------------------------------------------------------------------------------

RUN_COLUMNS = [
    ("template", _("Checklist")),
    ("store", _("Store")),
    ("assignee", _("Person")),
    ("date", _("Date")),
    ("get_state_display", _("State")),
    ("answered_count", _("Answered")),
    ("failed_count", _("Failed")),
]


def _runs(stores, user, month):
    from apps.checklists.selectors import runs_between

    return runs_between(stores=stores, start=month, end=next_month(month), assignee=user)


def _run_records(qs):
    return qs.select_related("template", "store", "assignee").order_by("date", "due_at", "pk")


@kpi_formula(
    "checklists.completion_rate",
    name=_("Checklist completion rate"),
    unit="%",
    description=_("Checklist runs completed ÷ runs due in the month."),
    columns=RUN_COLUMNS,
)
def checklist_completion(stores, user, month):
    qs = _runs(stores, user, month).filter(due_at__lte=timezone.now())
    return Tally(
        rows=qs,
        aggregates={"due": Count("pk"), "done": Count("pk", filter=Q(completed_at__isnull=False))},
        value=rate_of("done", "due"),
        records=_run_records(qs),
    )


@kpi_formula(
    "checklists.failure_rate",
    name=_("Checklist failure rate"),
    unit="%",
    higher_is_better=False,
    description=_("Checklist items failed ÷ items checked in the month."),
    columns=RUN_COLUMNS,
)
def checklist_failure_rate(stores, user, month):
    qs = _runs(stores, user, month)
    return Tally(
        rows=qs,
        aggregates={"answered": Sum("answered_count"), "failed": Sum("failed_count")},
        value=rate_of("failed", "answered"),
        records=_run_records(qs.filter(failed_count__gt=0)),
    )


HANDOVER_COLUMNS = [
    ("business_date", _("Business date")),
    ("store", _("Store")),
    ("counter", _("Counter")),
    ("outgoing", _("Outgoing")),
    ("incoming", _("Incoming")),
    ("get_state_display", _("State")),
]


@kpi_formula(
    "checklists.handover_differences",
    name=_("Handover differences"),
    unit="",
    higher_is_better=False,
    summed=True,
    description=_("Signed handovers with a counted difference in the month."),
    columns=HANDOVER_COLUMNS,
)
def handover_differences(stores, user, month):
    from apps.handovers.selectors import signed_handovers

    qs, differing = signed_handovers(stores=stores, start=month, end=next_month(month), outgoing=user)

    def value(agg):
        return KpiValue(
            numerator=Decimal(agg["differing"]),
            denominator=Decimal(agg["total"]),
            value=Decimal(agg["differing"]) if agg["total"] else None,
        )

    return Tally(
        rows=qs,
        aggregates={"total": Count("pk"), "differing": Count("pk", filter=differing)},
        value=value,
        records=qs.filter(differing).order_by("business_date", "pk"),
    )


def key_for_name(name: str, keys=None) -> str:
    """Guess the catalogue KPI behind a position KPI's name (the letter's author can change it),
    among `keys` when given (the store kind's profile): the first hint that matches and is one of them."""
    hints = [
        # The two 及时率 first: call timeliness (回访及时率) and in-warranty service (保修内服务及时率).
        ("回访及时", "followups.timeliness_rate"),
        ("follow-up timel", "followups.timeliness_rate"),
        ("保修", "tickets.warranty_service_timeliness"),
        ("warranty", "tickets.warranty_service_timeliness"),
        ("准时", "tickets.on_time_rate"),
        ("on-time", "tickets.on_time_rate"),
        ("产值", "tickets.output_value"),
        ("output", "tickets.output_value"),
        ("柜面差错", "bank.counter_error_rate"),
        ("counter error", "bank.counter_error_rate"),
        ("尾箱", "bank.tail_box_match_rate"),
        ("tail box", "bank.tail_box_match_rate"),
        ("单证", "bank.voucher_over_limit"),
        ("voucher", "bank.voucher_over_limit"),
        ("大额", "bank.large_report_on_time"),
        ("可疑", "bank.large_report_on_time"),
        ("suspicious", "bank.large_report_on_time"),
        ("投诉处理", "tickets.complaints_handled_rate"),
        ("complaint handling", "tickets.complaints_handled_rate"),
        ("投诉", "tickets.complaints_answered_2d"),
        ("complaint", "tickets.complaints_answered_2d"),
        ("投诉", "hall.complaints_answered_2d"),
        ("complaint", "hall.complaints_answered_2d"),
        ("投诉", "tickets.complaints_handled_rate"),
        ("complaint", "tickets.complaints_handled_rate"),
        ("CSI", "manual.csi"),
        ("十项", "manual.ten_item_survey"),
        ("回访", "followups.return_visit_rate"),
        ("return", "followups.return_visit_rate"),
        ("满意", "followups.satisfaction_rate"),
        ("satisf", "followups.satisfaction_rate"),
        ("满意", "hall.customer_satisfaction"),
        ("satisf", "hall.customer_satisfaction"),
        ("营业款", "hall.takings_errors"),
        ("差错", "hall.takings_errors"),
        ("takings", "hall.takings_errors"),
        ("交接", "hall.handover_differences"),
        ("handover", "hall.handover_differences"),
        ("交接", "checklists.handover_differences"),
        ("handover", "checklists.handover_differences"),
        ("检查", "hall.checklist_completion"),
        ("checklist", "hall.checklist_completion"),
        ("检查", "checklists.completion_rate"),
        ("checklist", "checklists.completion_rate"),
        # A bare 及时率 is the product plan's 保修内服务及时率 (the only one in the source documents).
        ("及时", "tickets.warranty_service_timeliness"),
        ("timel", "tickets.warranty_service_timeliness"),
    ]
    allowed = set(_catalogue) if keys is None else set(keys) & set(_catalogue)
    lowered = name.lower()
    for hint, key in hints:
        if hint.lower() in lowered and key in allowed:
            return key
    return ""


def monthly_target(line, entry: KpiEntry | None, which: str = "base") -> Decimal | None:
    """A letter line's target for one month: amounts are yearly (in 元 or 万元) and spread evenly."""
    value = getattr(line, which)
    if value is None:
        return None
    if entry is not None and entry.unit == "元":
        if "万" in (line.unit or ""):
            value = value * 10000
        letter = line.letter
        months = max(
            1,
            (letter.period_end.year - letter.period_start.year) * 12
            + letter.period_end.month
            - letter.period_start.month
            + 1,
        )
        value = value / months
    return value.quantize(Decimal("0.01"), ROUND_HALF_UP)
