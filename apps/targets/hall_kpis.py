"""The business hall's KPIs (营业厅: 投诉两日内答复率, 客户满意率, 营业款差错, 检查表完成率, 交接差异),
counted from live data through the owning apps' selectors, in the hall's own words. Registered into
the catalogue (`kpis.kpi_formula`) when the app is ready; the hall's profile (`KindKpi`) picks them."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Abs
from django.utils.translation import gettext_lazy as _

from apps.months import next_month

from .kpis import (
    COMPLAINT_ANSWER_COLUMNS,
    FOLLOWUP_COLUMNS,
    HANDOVER_COLUMNS,
    RUN_COLUMNS,
    KpiValue,
    Tally,
    _followup_ratio,
    checklist_completion,
    complaints_answered,
    kpi_formula,
)

# The handover section of the takings (营业款: cash, bank card, mobile payment), as
# `handovers.models.Section.TAKINGS` stores it.
TAKINGS = "takings"


# The same count as the catalogue's `tickets.complaints_answered_2d`, in the hall's words.
kpi_formula(
    "hall.complaints_answered_2d",
    name=_("Complaints answered within two days"),
    unit="%",
    description=_(
        "Customer complaints raised at the hall in the month and answered within two business days "
        "÷ complaints raised."
    ),
    columns=COMPLAINT_ANSWER_COLUMNS,
)(complaints_answered)


kpi_formula(
    "hall.customer_satisfaction",
    name=_("Customer satisfaction rate"),
    unit="%",
    description=_("Customers rating the hall's service 4 or 5 ÷ customers who gave a rating in the month."),
    columns=FOLLOWUP_COLUMNS,
)(_followup_ratio("satisfaction"))


def _differs(prefix: str = "lines__") -> Q:
    return Q(**{f"{prefix}counted__isnull": False}) & ~Q(**{f"{prefix}counted": F(f"{prefix}expected")})


def _with(qs, lines: Q):
    """The handovers of `qs` with at least one line matching `lines` (counted line by line, as the
    aggregates count: a negated condition is not turned into "no such line at all")."""
    return (
        qs.annotate(matching=Count("lines", filter=lines))
        .filter(matching__gt=0)
        .order_by("business_date", "pk")
    )


def _handovers(stores, user, month):
    from apps.handovers.selectors import signed_handovers

    qs, _differing = signed_handovers(stores=stores, start=month, end=next_month(month), outgoing=user)
    return qs


def _count_of(name: str):
    def value(agg):
        counted = Decimal(agg[name] or 0)
        return KpiValue(
            numerator=counted,
            denominator=Decimal(agg["total"]),
            value=counted if agg["total"] else None,
        )

    return value


@kpi_formula(
    "hall.takings_errors",
    name=_("Takings errors"),
    unit="",
    higher_is_better=False,
    summed=True,
    description=_(
        "Takings lines (cash, bank card, mobile payment) counted at a signed handover in the month "
        "that differ from the books."
    ),
    columns=HANDOVER_COLUMNS,
)
def takings_errors(stores, user, month):
    qs = _handovers(stores, user, month)
    wrong = Q(lines__item__section=TAKINGS) & _differs()
    return Tally(
        rows=qs,
        aggregates={"total": Count("pk", distinct=True), "errors": Count("lines", filter=wrong)},
        value=_count_of("errors"),
        records=_with(qs, wrong),
    )


@kpi_formula(
    "hall.takings_error_amount",
    name=_("Takings error amount"),
    unit="元",
    higher_is_better=False,
    description=_(
        "The takings differences of the month's signed handovers, each counted as its size "
        "(over and short both count)."
    ),
    columns=HANDOVER_COLUMNS,
)
def takings_error_amount(stores, user, month):
    qs = _handovers(stores, user, month)
    wrong = Q(lines__item__section=TAKINGS) & _differs()

    def value(agg):
        amount = Decimal(agg["amount"] or 0)
        return KpiValue(
            numerator=amount, denominator=Decimal(agg["total"]), value=amount if agg["total"] else None
        )

    return Tally(
        rows=qs,
        aggregates={
            "total": Count("pk", distinct=True),
            "amount": Sum(Abs(F("lines__counted") - F("lines__expected")), filter=wrong),
        },
        value=value,
        records=_with(qs, wrong),
    )


@kpi_formula(
    "hall.handover_differences",
    name=_("Handover differences (float and stock)"),
    unit="",
    higher_is_better=False,
    summed=True,
    description=_(
        "Signed handovers of the month with a difference in the float or the stock (SIM cards, "
        "top-up cards, handsets, invoices, important documents); the takings are counted apart."
    ),
    columns=HANDOVER_COLUMNS,
)
def handover_differences(stores, user, month):
    qs = _handovers(stores, user, month)
    wrong = ~Q(lines__item__section=TAKINGS) & _differs()
    return Tally(
        rows=qs,
        aggregates={
            "total": Count("pk", distinct=True),
            "differing": Count("pk", distinct=True, filter=wrong),
        },
        value=_count_of("differing"),
        records=_with(qs, wrong),
    )


# The same count as the catalogue's `checklists.completion_rate`, in the hall's words.
kpi_formula(
    "hall.checklist_completion",
    name=_("Checklist completion rate"),
    unit="%",
    description=_("The hall's checklist runs (opening, shift, closing) completed ÷ runs due in the month."),
    columns=RUN_COLUMNS,
)(checklist_completion)
