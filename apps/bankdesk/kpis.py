"""The bank branch's KPIs, computed from its own records and registered in the KPI catalogue
(`apps.targets.kpis`). Their targets are data (the store-kind profiles), never set here.

- bank.counter_error_rate (柜面差错率): tail-box lines counted with a difference ÷ lines counted
  at the checks signed in the month.
- bank.tail_box_match_rate (尾箱日终账实相符率): checks sealed by two people with every line matching
  the book ÷ every check of the month up to today.
- bank.voucher_over_limit (重要单证超限次数): days an important blank voucher was held over the
  branch's limit, per item.
- bank.large_report_on_time (大额可疑交易报告及时率): large / suspicious transactions reported by
  their deadline ÷ those due in the month (due already, or reported).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.handovers.selectors import voucher_sections
from apps.months import next_month
from apps.org.selectors import store_ids
from apps.targets.kpis import KpiValue, Tally, kpi_formula, rate_of

from .models import CheckState, OverLimit, TailBoxCheck, TailBoxLine, TransactionReport

CHECK_COLUMNS = [
    ("business_date", _("Business date")),
    ("store", _("Store")),
    ("box", _("Box")),
    ("teller", _("Teller")),
    ("get_state_display", _("State")),
    ("second", _("Second signature")),
]


def _checks(stores, user, month: dt.date):
    qs = TailBoxCheck.objects.filter(
        store__in=store_ids(stores),
        business_date__gte=month,
        business_date__lt=min(next_month(month), timezone.localdate() + dt.timedelta(days=1)),
    )
    return qs.filter(teller=user) if user is not None else qs


def _differing_lines():
    return TailBoxLine.objects.filter(counted__isnull=False).exclude(counted=F("expected"))


@kpi_formula(
    "bank.counter_error_rate",
    name=_("Counter error rate"),
    unit="%",
    higher_is_better=False,
    description=_(
        "Tail-box lines counted with a difference ÷ lines counted, at the checks signed in the month."
    ),
    columns=CHECK_COLUMNS,
)
def counter_error_rate(stores, user, month):
    qs = _checks(stores, user, month).filter(state__in=[CheckState.SIGNED, CheckState.SEALED])
    counted = Q(lines__counted__isnull=False)
    return Tally(
        rows=qs,
        aggregates={
            "counted": Count("lines", filter=counted),
            "differing": Count("lines", filter=counted & ~Q(lines__counted=F("lines__expected"))),
        },
        value=rate_of("differing", "counted"),
        records=qs.filter(pk__in=_differing_lines().values("box_check_id"))
        .select_related("store", "box", "teller", "second")
        .order_by("business_date", "pk"),
    )


@kpi_formula(
    "bank.tail_box_match_rate",
    name=_("Tail boxes matching the book at day end"),
    unit="%",
    description=_(
        "Tail-box checks sealed by two people with every line matching the book ÷ tail-box checks of "
        "the month up to today."
    ),
    columns=CHECK_COLUMNS,
)
def tail_box_match_rate(stores, user, month):
    qs = _checks(stores, user, month)
    matched = Q(state=CheckState.SEALED) & ~Q(pk__in=_differing_lines().values("box_check_id"))
    return Tally(
        rows=qs,
        aggregates={"total": Count("pk"), "matched": Count("pk", filter=matched)},
        value=rate_of("matched", "total"),
        records=qs.exclude(matched)
        .select_related("store", "box", "teller", "second")
        .order_by("business_date", "pk"),
    )


@kpi_formula(
    "bank.voucher_over_limit",
    name=_("Important vouchers over the limit"),
    unit="",
    higher_is_better=False,
    summed=True,
    description=_(
        "Days in the month on which the branch held more of an important blank voucher than its limit "
        "(库存限额), counted per kind of voucher."
    ),
    columns=[
        ("day", _("Day")),
        ("store", _("Store")),
        ("item", _("Item")),
        ("holding", _("Held")),
        ("limit", _("Limit")),
    ],
)
def voucher_over_limit(stores, user, month):
    qs = OverLimit.objects.filter(
        store__in=store_ids(stores),
        item__section__in=voucher_sections(),
        day__gte=month,
        day__lt=next_month(month),
    )

    def value(agg):
        n = Decimal(agg["n"])
        return KpiValue(numerator=n, denominator=None, value=n)

    return Tally(
        rows=qs,
        aggregates={"n": Count("pk")},
        value=value,
        records=qs.select_related("store", "item").order_by("day", "pk"),
    )


@kpi_formula(
    "bank.large_report_on_time",
    name=_("Large and suspicious transactions reported on time"),
    unit="%",
    description=_(
        "Large-value and suspicious transactions reported by their deadline ÷ those whose deadline "
        "falls in the month (already passed, or reported)."
    ),
    columns=[
        ("get_kind_display", _("Kind")),
        ("store", _("Store")),
        ("account_name", _("Account holder")),
        ("due_on", _("Report due")),
        ("reported_at", _("Reported at")),
    ],
)
def large_report_on_time(stores, user, month):
    today = timezone.localdate()
    qs = TransactionReport.objects.filter(
        Q(due_on__lt=today) | Q(reported_at__isnull=False),
        store__in=store_ids(stores),
        due_on__gte=month,
        due_on__lt=next_month(month),
    )
    if user is not None:
        qs = qs.filter(recorded_by=user)
    on_time = Q(reported_at__isnull=False, reported_at__date__lte=F("due_on"))
    return Tally(
        rows=qs,
        aggregates={"due": Count("pk"), "on_time": Count("pk", filter=on_time)},
        value=rate_of("on_time", "due"),
        records=qs.select_related("store", "recorded_by").order_by("due_on", "pk"),
    )
