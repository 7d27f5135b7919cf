"""The KPI snapshot job: every store's figures of its kind's KPI profile for the recent months,
counted together (one grouped query a kind, KPI and month, `kpis.KpiEntry.compute_by_store`) and
written only where a figure changed."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from apps.org.models import Store
from apps.org.selectors import store_ids

from . import profiles
from .models import KpiSnapshot


def snapshot_refresh(*, stores, months: list[dt.date]) -> int:
    """(Re)compute the store-level snapshot of the stores' KPIs for the months: a store only its
    kind's profile (`KindKpi`; a KPI whose formula is not registered is skipped).

    Each KPI is counted for all the stores of a kind at once (one grouped query a KPI and month, the same
    rows and aggregates as its figure for one store); only rows whose figures changed are written
    (an upsert by store, KPI and month), and `computed_at` of every row checked moves to now, so
    the dashboard's "computed at" says how fresh the figures are. Idempotent; answers the number
    of rows written."""
    ids = store_ids(stores)
    if not ids or not months:
        return 0
    now = timezone.now()
    stored = {
        (row[0], row[1], row[2]): row[3:]
        for row in KpiSnapshot.objects.filter(store_id__in=ids, month__in=months).values_list(
            "store_id", "kpi_key", "month", "numerator", "denominator", "value"
        )
    }
    by_kind: dict[str, list[int]] = {}
    for pk, kind in Store.objects.filter(pk__in=ids).values_list("pk", "kind"):
        by_kind.setdefault(kind, []).append(pk)
    entries = profiles.entries_by_kind()
    work = [(entry, kind_ids) for kind, kind_ids in by_kind.items() for entry in entries.get(kind, [])]
    changed = []
    for month in months:
        for entry, kind_ids in work:
            for store_id, v in entry.compute_by_store(kind_ids, month).items():
                figures = (v.numerator, v.denominator, v.value)
                if stored.get((store_id, entry.key, month)) == figures:
                    continue
                changed.append(
                    KpiSnapshot(
                        kpi_key=entry.key,
                        store_id=store_id,
                        month=month,
                        numerator=v.numerator,
                        denominator=v.denominator,
                        value=v.value,
                        computed_at=now,
                    )
                )
    KpiSnapshot.objects.bulk_create(
        changed,
        update_conflicts=True,
        unique_fields=["store", "kpi_key", "month"],
        update_fields=["numerator", "denominator", "value", "computed_at"],
        batch_size=1000,
    )
    KpiSnapshot.objects.filter(store_id__in=ids, month__in=months, computed_at__lt=now).update(
        computed_at=now
    )
    return len(changed)


def snapshot_months(today: dt.date | None = None, n: int = 12) -> list[dt.date]:
    today = today or timezone.localdate()
    month = today.replace(day=1)
    months = []
    for _i in range(n):
        months.append(month)
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return list(reversed(months))


def snapshot_refresh_due(*, today: dt.date | None = None) -> int:
    """The beat job: this month and last for every active store, and any month of the last 12 missing.

    Stores are refreshed together, grouped by the months they need (in steady state one group:
    this month and last), so the job's queries do not grow with the number of stores."""
    months = snapshot_months(today)
    stores = list(Store.objects.filter(is_active=True).values_list("pk", flat=True))
    have: dict[int, set[dt.date]] = {}
    for store_id, month in (
        KpiSnapshot.objects.filter(store_id__in=stores, month__in=months)
        .values_list("store_id", "month")
        .distinct()
    ):
        have.setdefault(store_id, set()).add(month)
    groups: dict[tuple[dt.date, ...], list[int]] = {}
    for store_id in stores:
        known = have.get(store_id, set())
        due = tuple(sorted({*months[-2:], *(m for m in months if m not in known)}))
        groups.setdefault(due, []).append(store_id)
    return sum(snapshot_refresh(stores=ids, months=list(due)) for due, ids in groups.items())
