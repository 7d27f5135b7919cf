"""Store-scoped reads of plans, letters, KPI values and pay sheets, and the manager's dashboard."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Max, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from apps.months import next_month
from apps.org.access import can, store_ids_for, stores_where

from . import kpis, profiles
from .models import (
    ActionStep,
    KpiSnapshot,
    LetterKpi,
    ManualKpiValue,
    PaySheet,
    ResponsibilityLetter,
    StepStatus,
    TargetPlan,
)
from .services import monthly_target, snapshot_months

# ---- plans and letters -----------------------------------------------------------------------


def plan_list_for(*, user):
    """Plans in the stores where the user sees targets, and the plans in which the user owns an
    action step (the list, each plan and its steps answer to this one rule)."""
    owned = ActionStep.objects.filter(owner=user).values("plan_id") if user.is_authenticated else []
    return TargetPlan.objects.filter(
        Q(store__in=stores_where(user, "targets.view")) | Q(pk__in=owned)
    ).select_related("department", "store", "responsible", "approved_by")


def may_see_plans(user) -> bool:
    return can(user, "targets.view") or ActionStep.objects.filter(owner=user).exists()


def plan_get_for(*, user, pk: int) -> TargetPlan:
    return get_object_or_404(plan_list_for(user=user), pk=pk)


def letter_list_for(*, user):
    """Letters in the stores where the user sees targets, and the user's own letters."""
    return ResponsibilityLetter.objects.filter(
        Q(store__in=stores_where(user, "targets.view")) | Q(holder=user)
    ).select_related("store", "holder", "issuer", "position")


def letter_get_for(*, user, pk: int) -> ResponsibilityLetter:
    return get_object_or_404(letter_list_for(user=user), pk=pk)


def pay_sheet_list_for(*, user):
    return PaySheet.objects.visible_to(user).select_related("store", "user", "scheme__position", "locked_by")


def pay_sheet_get_for(*, user, pk: int) -> PaySheet:
    return get_object_or_404(pay_sheet_list_for(user=user), pk=pk)


def steps_for_owner(*, user, today: dt.date | None = None):
    today = today or timezone.localdate()
    return (
        ActionStep.objects.filter(owner=user, plan__state=TargetPlan.State.APPROVED, plan__year=today.year)
        .exclude(status__in=[StepStatus.DONE, StepStatus.DROPPED])
        .select_related("plan__department")
        .order_by("quarter", "order")
    )


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


# ---- KPI values ------------------------------------------------------------------------------


def _combine(entry: kpis.KpiEntry, num, den, total, avg) -> Decimal | None:
    """A KPI over several stores from their snapshots: rates re-divided, counts and amounts summed,
    scores averaged."""
    if entry.unit == "%":
        return kpis.ratio(num, den).value
    if entry.summed:
        return Decimal(total).quantize(Decimal("0.01")) if total is not None else None
    return Decimal(avg).quantize(Decimal("0.01"), ROUND_HALF_UP) if avg is not None else None


def snapshot_series(*, stores, months: list[dt.date]) -> dict[str, dict[dt.date, Decimal | None]]:
    """{kpi_key: {month: value}} over the stores, in one aggregate query on the snapshot table."""
    rows = (
        KpiSnapshot.objects.filter(store__in=stores, month__in=months)
        .values("kpi_key", "month")
        .annotate(
            num=Sum("numerator"),
            den=Sum("denominator"),
            total=Sum("value"),
            avg=Avg("value"),
            n=Count("value"),
            at=Max("computed_at"),
        )
        .order_by()
    )
    out: dict[str, dict[dt.date, Decimal | None]] = {}
    for r in rows:
        entry = kpis.get_kpi(r["kpi_key"])
        if entry is None:
            continue
        out.setdefault(r["kpi_key"], {})[r["month"]] = (
            _combine(entry, r["num"], r["den"], r["total"], r["avg"]) if r["n"] else None
        )
    return out


def targets_for(*, stores, month: dt.date, profile: list | None = None) -> dict[str, Decimal]:
    """Each KPI's monthly target over the stores, from the signed letters in force, else the default
    target of the stores' kind profile (`KindKpi`)."""
    end = next_month(month) - dt.timedelta(days=1)
    lines = (
        LetterKpi.objects.filter(
            letter__store__in=stores,
            letter__period_start__lte=end,
            letter__period_end__gte=month,
            letter__holder_signed_at__isnull=False,
            letter__issuer_signed_at__isnull=False,
        )
        .exclude(kpi_key="")
        .select_related("letter")
    )
    per_store: dict[tuple[str, int], Decimal] = {}
    for line in lines:
        entry = kpis.get_kpi(line.kpi_key)
        target = monthly_target(line, entry)
        if target is not None:
            per_store.setdefault((line.kpi_key, line.letter.store_id), target)
    targets: dict[str, Decimal] = {}
    for (key, _store), target in per_store.items():
        entry = kpis.get_kpi(key)
        if entry and entry.summed:
            targets[key] = targets.get(key, Decimal(0)) + target
        else:
            targets.setdefault(key, target)
    if profile is None:
        profile = profiles.profile_for_stores(stores)
    for item in profile:
        if item.key not in targets and item.target is not None:
            targets[item.key] = item.target.quantize(Decimal("0.01"))
    return targets


def meets(entry: kpis.KpiEntry, value: Decimal | None, target: Decimal | None) -> bool | None:
    if value is None or target is None:
        return None
    return value >= target if entry.higher_is_better else value <= target


def kpi_table(*, stores, month: dt.date, months: list[dt.date] | None = None) -> list[dict]:
    """One row per KPI of the stores' kind profiles: this month's value vs target and the series for
    the trend chart (a store is measured only by its own kind's KPIs)."""
    months = months or [month]
    profile = profiles.profile_for_stores(stores)
    series = snapshot_series(stores=stores, months=months)
    targets = targets_for(stores=stores, month=month, profile=profile)
    rows = []
    for entry in (item.entry for item in profile):
        values = series.get(entry.key, {})
        value = values.get(month)
        target = targets.get(entry.key)
        rows.append(
            {
                "entry": entry,
                "value": value,
                "value_display": entry.format(value),
                "target": target,
                "target_display": entry.format(target),
                "meets": meets(entry, value, target),
                "series": [float(values[m]) if values.get(m) is not None else None for m in months],
            }
        )
    return rows


# ---- the manager's dashboard ----------------------------------------------------------------

# Other apps' figures for the dashboard, registered once their data exists: name -> fn(stores, today) -> dict.
dashboard_sources: dict[str, callable] = {}


def dashboard_for(*, user, today: dt.date | None = None) -> dict:
    from apps.tickets.selectors import escalated_complaints

    today = today or timezone.localdate()
    month = today.replace(day=1)
    stores = stores_where(user, "targets.view")
    months = snapshot_months(today)
    rows = kpi_table(stores=stores, month=month, months=months)
    computed_at = KpiSnapshot.objects.filter(store__in=stores, month=month).aggregate(at=Max("computed_at"))[
        "at"
    ]
    # Store ids, not a subquery: the plans walk the partial index of escalated complaints and the
    # other apps' (store, state, ...) indexes.
    ids = store_ids_for(user, "targets.view")
    escalated = escalated_complaints(store_ids=ids)
    quarter = quarter_of(today)
    steps = (
        ActionStep.objects.filter(
            plan__store__in=stores,
            plan__state=TargetPlan.State.APPROVED,
            plan__year=today.year,
            quarter__lte=quarter,
        )
        .exclude(status__in=[StepStatus.DONE, StepStatus.DROPPED])
        .select_related("owner", "plan__department")
        .order_by("quarter", "plan_id", "order")
    )
    sources = {name: fn(ids, today) for name, fn in dashboard_sources.items()}
    chart = {
        "title": gettext("12-month trend"),
        "months": [date_format(m, "YEAR_MONTH_FORMAT") for m in months],
        "amount_unit": gettext("yuan"),
        "series": [
            {
                "name": str(r["entry"].name),
                "type": "bar" if r["entry"].unit == "元" else "line",
                "yAxisIndex": 1 if r["entry"].unit == "元" else 0,
                "connectNulls": False,
                "showSymbol": True,
                "data": r["series"],
            }
            for r in rows
            if r["entry"].unit in ("%", "元")
        ],
    }
    return {
        "chart": chart,
        "month": month,
        "months": months,
        "rows": rows,
        "computed_at": computed_at,
        "escalated": list(escalated[:8]),
        "escalated_count": escalated.count(),
        "steps": list(steps[:10]),
        "quarter": quarter,
        "sources": sources,
        "store_count": stores.count(),
    }


def action_step_get_for(*, user, pk: int) -> ActionStep:
    """An action step of a plan the user may see, else 404."""
    return get_object_or_404(
        ActionStep.objects.filter(plan__in=plan_list_for(user=user)).select_related("plan__store"), pk=pk
    )


def plan_newer_version(*, plan: TargetPlan) -> TargetPlan | None:
    return TargetPlan.objects.filter(supersedes=plan).first()


def manual_kpi_values_for(*, user) -> QuerySet[ManualKpiValue]:
    return ManualKpiValue.objects.for_user(user).select_related("store", "entered_by")


def kpi_record_rows(*, entry, records) -> list[dict]:
    """The KPI's records as table rows: the entry's columns (a method is called) and the record's
    own page, for records that have one."""
    rows = []
    for obj in records:
        cells = []
        for attr, _label in entry.columns:
            v = getattr(obj, attr, "")
            if callable(v):
                v = v()
            cells.append("" if v is None else v)
        url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else None
        rows.append({"cells": cells, "url": url})
    return rows


def kpi_values_for(*, stores, month: dt.date) -> list[dict]:
    """Every catalogue KPI computed live for the stores and month, as the KPI page shows them, with
    the month's target (the store's responsibility letters, else the catalogue's default)."""
    targets = targets_for(stores=stores, month=month)
    rows = []
    for entry in kpis.catalogue():
        value = entry.compute(stores, None, month)
        rows.append(
            {
                "key": entry.key,
                "name": str(entry.name),
                "unit": entry.unit,
                "higher_is_better": entry.higher_is_better,
                "target": targets.get(entry.key),
                "value": value.value,
                "display": entry.format(value.value),
                "numerator": value.numerator,
                "denominator": value.denominator,
            }
        )
    return rows
