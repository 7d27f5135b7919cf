"""The store kinds' KPI profiles (`KindKpi`): which catalogue KPIs each kind of outlet is measured by,
in what order, with what default monthly target; read by every consumer of the catalogue (home
dashboard, KPI pages, letters, pay, the snapshot job) and edited by admins on
`/targets/kpis/profiles/<kind>/`.

A row whose formula is not registered (e.g. the bank's, before `apps/bankdesk/kpis.py` registers
them) is kept and shown to the admin, and skipped by every reader of the figures.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils.translation import gettext as _

from apps.org.access import require
from apps.org.models import Store, StoreKind, User

from . import kpis
from .models import KindKpi

KIND_ORDER = list(StoreKind.values)
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class ProfileKpi:
    """A KPI as a store kind's profile lists it: the catalogue entry and the default monthly target."""

    entry: kpis.KpiEntry
    target: Decimal | None
    kind: str

    @property
    def key(self) -> str:
        return self.entry.key


def kinds_of(stores) -> list[str]:
    """The kinds of `stores` (a queryset, stores or ids): no query for store objects, else one."""
    if isinstance(stores, QuerySet):
        return list(stores.order_by().values_list("kind", flat=True).distinct())
    stores = list(stores)
    if all(isinstance(s, Store) for s in stores):
        return sorted({s.kind for s in stores})
    ids = [getattr(s, "pk", s) for s in stores]
    return list(Store.objects.filter(pk__in=ids).order_by().values_list("kind", flat=True).distinct())


def _rows(kinds: Iterable[str] | QuerySet) -> list[KindKpi]:
    """The active rows of `kinds` (names, or a query of them: then one query in all)."""
    kinds = kinds if isinstance(kinds, QuerySet) else list(kinds)
    rows = list(KindKpi.objects.filter(kind__in=kinds, is_active=True))
    return sorted(
        rows, key=lambda r: (KIND_ORDER.index(r.kind) if r.kind in KIND_ORDER else 99, r.order, r.pk)
    )


def profile_for_kinds(kinds: Iterable[str] | QuerySet) -> list[ProfileKpi]:
    """The active, registered KPIs of the kinds, in the kinds' order and each kind's order; a KPI two
    kinds share is listed once (with the first kind's default target). One query."""
    out: list[ProfileKpi] = []
    seen: set[str] = set()
    for row in _rows(kinds):
        entry = kpis.get_kpi(row.kpi_key)
        if entry is None or row.kpi_key in seen:
            continue
        seen.add(row.kpi_key)
        out.append(ProfileKpi(entry=entry, target=row.target, kind=row.kind))
    return out


def default_targets(store_ids: list[int], keys: list[str]) -> dict[str, Decimal | None]:
    """{KPI key: default target} of `keys` for the kinds of the stores `store_ids`, as their profile
    lists them (one query). Read by followups' home panel."""
    kinds = Store.objects.filter(pk__in=store_ids).values("kind")
    return {p.key: p.target for p in profile_for_kinds(kinds) if p.key in keys}


def profile_for_stores(stores) -> list[ProfileKpi]:
    """The KPIs of the kinds of `stores` (what a page over these stores shows)."""
    return profile_for_kinds(kinds_of(stores))


def profile_keys(kind: str) -> list[str]:
    return [p.key for p in profile_for_kinds([kind])]


def entries_by_kind() -> dict[str, list[kpis.KpiEntry]]:
    """{kind: its active, registered KPI entries}, for the snapshot job. One query."""
    out: dict[str, list[kpis.KpiEntry]] = {}
    for row in _rows(KIND_ORDER):
        entry = kpis.get_kpi(row.kpi_key)
        if entry is not None:
            out.setdefault(row.kind, []).append(entry)
    return out


def kind_profile_rows(*, kind: str) -> list[KindKpi]:
    """Every row of a kind's profile, inactive and unregistered ones too (the admin's page)."""
    return list(KindKpi.objects.filter(kind=kind).order_by("order", "pk"))


def kind_profile_counts() -> dict[str, int]:
    counts = dict.fromkeys(KIND_ORDER, 0)
    for kind in KindKpi.objects.filter(is_active=True).values_list("kind", flat=True):
        counts[kind] = counts.get(kind, 0) + 1
    return counts


# ---- writes ----------------------------------------------------------------------------------


def _check_target(entry: kpis.KpiEntry | None, target: Decimal | None, key: str) -> None:
    name = entry.name if entry is not None else key
    if target is None:
        return
    if target < 0:
        raise ValidationError({"target": _("The target of %(kpi)s cannot be negative.") % {"kpi": name}})
    if entry is not None and entry.unit == "%" and target > HUNDRED:
        raise ValidationError(
            {"target": _("The target of %(kpi)s is a rate: at most 100%%.") % {"kpi": name}}
        )


def _check_kind(kind: str) -> None:
    if kind not in KIND_ORDER:
        raise ValidationError(_("Unknown store kind."))


@transaction.atomic
def kind_kpi_add(*, by: User, kind: str, kpi_key: str, target: Decimal | None) -> KindKpi:
    """Add a catalogue KPI to a kind's profile, at its end. Admins only."""
    require(by, "targets.edit")
    _check_kind(kind)
    entry = kpis.get_kpi(kpi_key)
    if entry is None:
        raise ValidationError({"kpi_key": _("%(value)s is not a KPI of the catalogue.") % {"value": kpi_key}})
    if KindKpi.objects.filter(kind=kind, kpi_key=kpi_key).exists():
        raise ValidationError({"kpi_key": _("This KPI is already in the profile.")})
    _check_target(entry, target, kpi_key)
    last = KindKpi.objects.filter(kind=kind).aggregate(n=Max("order"))["n"] or 0
    return KindKpi.objects.create(kind=kind, kpi_key=kpi_key, target=target, order=last + 1)


@transaction.atomic
def kind_profile_save(*, by: User, kind: str, rows: list[dict]) -> list[KindKpi]:
    """Save a kind's profile as edited: each row {pk, target, order, is_active} of that kind's rows
    (a row of another kind is refused). Admins only; targets checked against the KPI's unit."""
    require(by, "targets.edit")
    _check_kind(kind)
    existing = {r.pk: r for r in KindKpi.objects.select_for_update().filter(kind=kind)}
    changed = []
    for row in rows:
        obj = existing.get(int(row.get("pk") or 0))
        if obj is None:
            raise ValidationError(_("This row is not part of the profile."))
        _check_target(kpis.get_kpi(obj.kpi_key), row.get("target"), obj.kpi_key)
        obj.target, obj.order, obj.is_active = row.get("target"), row["order"], row["is_active"]
        obj.save(update_fields=["target", "order", "is_active"])
        changed.append(obj)
    return changed
