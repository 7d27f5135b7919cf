"""Store-scoped reads of customer files."""

from __future__ import annotations

import datetime as dt
import re

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from apps.org.access import can, stores_where

from .models import Asset, Customer, CustomerPhone, Visit
from .phones import mask_digits, mask_id_number

SORTS = {
    "name": "name",
    "-name": "-name",
    "tier": "tier",
    "-tier": "-tier",
    "created": "created_at",
    "-created": "-created_at",
    "owner": "owner__username",
    "-owner": "-owner__username",
}


def customer_list_for(*, user) -> QuerySet[Customer]:
    """The customers the user may see, with what a list row shows (constant query count)."""
    return (
        Customer.objects.for_user(user)
        .select_related("store", "owner")
        .prefetch_related(Prefetch("phones", queryset=CustomerPhone.objects.order_by("-is_primary", "pk")))
    )


def customer_search(queryset: QuerySet[Customer], text: str) -> QuerySet[Customer]:
    """Name, phone (any part), plate, VIN or serial. A UNION of narrow matches, so that each part can
    use its own (trigram) index on PostgreSQL."""
    text = (text or "").strip()
    if not text:
        return queryset
    compact = re.sub(r"[\s\-]", "", text)
    parts = [Customer.objects.filter(name__icontains=text).order_by().values("pk")]
    assets = Q(plate__icontains=compact.upper()) | Q(serial_number__icontains=text.replace(" ", ""))
    if len(compact) >= 4:
        assets |= Q(vin__icontains=compact.upper())
    parts.append(Asset.objects.filter(assets).order_by().values("customer_id"))
    digits = compact.removeprefix("+86") if compact.startswith("+86") else compact
    if len(digits) >= 3 and digits.isdigit():
        parts.append(CustomerPhone.objects.filter(digits__contains=digits).order_by().values("customer_id"))
    return queryset.filter(pk__in=parts[0].union(*parts[1:]))


def customer_get_for(*, user, pk: int) -> Customer:
    """One customer the user may see, else 404."""
    return get_object_or_404(Customer.objects.for_user(user).select_related("store", "owner"), pk=pk)


def asset_get_for(*, user, customer: Customer, pk: int) -> Asset:
    return get_object_or_404(Asset.objects.for_user(user).filter(customer=customer), pk=pk)


def visit_get_for(*, user, customer: Customer, pk: int) -> Visit:
    return get_object_or_404(Visit.objects.for_user(user).filter(customer=customer), pk=pk)


def _late_files(*, user) -> QuerySet[Visit]:
    managed = stores_where(user, "tickets.assign")
    return (
        Visit.objects.for_user(user)
        .filter(late_file_flagged_at__isnull=False, file_completed_at__isnull=True)
        .filter(Q(customer__owner=user) | Q(store__in=managed))
    )


def late_files_for(*, user, limit: int = 10) -> QuerySet[Visit]:
    """Visits flagged by the two-day rule that the user must see: files they own, and every flagged
    file of the stores they manage."""
    return (
        _late_files(user=user)
        .select_related("customer", "store", "asset")
        .order_by("visited_on", "pk")[:limit]
    )


LATE_FILES_RECENT_DAYS = 30


def late_files_summary(*, user, today: dt.date | None = None, limit: int = 8) -> dict:
    """The late files worth acting on now: those of visits in the last `LATE_FILES_RECENT_DAYS` days,
    longest overdue first, at most `limit`; older ones only counted (a file ten months late is a
    matter for the full list, not the home page)."""
    today = today or timezone.localdate()
    since = today - dt.timedelta(days=LATE_FILES_RECENT_DAYS)
    counts = _late_files(user=user).aggregate(
        total=Count("pk"), older=Count("pk", filter=Q(visited_on__lt=since))
    )
    recent = list(
        _late_files(user=user)
        .filter(visited_on__gte=since)
        .select_related("customer", "store", "asset")
        .order_by("visited_on", "pk")[:limit]
    )
    return {
        "recent": recent,
        "recent_more": counts["total"] - counts["older"] - len(recent),
        "older": counts["older"],
        "total": counts["total"],
        "days": LATE_FILES_RECENT_DAYS,
    }


def customers_due_for_maintenance(*, user, before, limit: int = 10) -> QuerySet[Asset]:
    return (
        Asset.objects.for_user(user)
        .filter(next_due_date__lte=before)
        .select_related("customer")
        .order_by("next_due_date")[:limit]
    )


def may_view_pii(user, customer: Customer) -> bool:
    return can(user, "customers.view_pii", customer.store)


# --- for other apps (followups, tickets): the vocabulary and the rows they start from ------------

CustomerTier = Customer.Tier
AssetKind = Asset.Kind


def customer_filter(data, *, queryset, user, stores):
    """The customer list's filters (search, tier, kind, store, mine, sort) over `queryset`."""
    from .filters import CustomerFilter

    return CustomerFilter(data, queryset=queryset, user=user, stores=stores)


def customer_tier_choices():
    return Customer.Tier.choices


def customers_of_store(*, store) -> QuerySet[Customer]:
    """Every customer file of the store, oldest first (seeds and demo data)."""
    return Customer.objects.filter(store=store).order_by("pk")


def customers_to_contact(*, tiers=()) -> QuerySet[Customer]:
    """Customers not anonymised (of these tiers, when given), with their store and owner."""
    customers = Customer.objects.filter(anonymised_at__isnull=True).select_related("store", "owner")
    return customers.filter(tier__in=tiers) if tiers else customers


def assets_delivered_between(*, first, last, kind: str = "") -> QuerySet[Asset]:
    """Assets delivered from `first` to `last` (both included), with their customer, its store and owner."""
    assets = Asset.objects.filter(delivery_date__range=(first, last)).select_related(
        "customer", "customer__store", "customer__owner"
    )
    return assets.filter(kind=kind) if kind else assets


def assets_maybe_due_between(*, earliest, latest, kind: str = "") -> QuerySet[Asset]:
    """Assets whose stored maintenance date falls from `earliest` to `latest`, and those with no
    stored date yet that have a cycle and a date to count it from (the caller computes theirs)."""
    assets = Asset.objects.filter(
        Q(next_due_date__range=(earliest, latest))
        | Q(next_due_date__isnull=True)
        & (Q(maintenance_months__isnull=False) | Q(maintenance_km__isnull=False))
        & (Q(delivery_date__isnull=False) | Q(last_service_date__isnull=False))
    ).select_related("customer", "customer__store", "customer__owner")
    return assets.filter(kind=kind) if kind else assets


def visits_of_customer_for(*, user, customer: Customer) -> QuerySet[Visit]:
    """The customer's visits the user may see, with their asset."""
    return Visit.objects.for_user(user).filter(customer=customer).select_related("asset")


def assets_of(*, customer: Customer) -> QuerySet[Asset]:
    return customer.assets.all()


def phone_masked(*, customer: Customer) -> str:
    """The customer's first phone, masked (138****8000), for print; empty when there is none."""
    phone = customer.phones.first()
    return mask_digits(phone.digits) if phone else ""


def customer_phones_masked(*, customer: Customer) -> list[dict]:
    """The customer's phones as every page shows them: masked (138****8000), primary first."""
    return [
        {"id": p.pk, "number": mask_digits(p.digits), "label": p.label, "is_primary": p.is_primary}
        for p in customer.phones.all()
    ]


def customer_phone_get(*, customer: Customer, pk: int) -> CustomerPhone:
    """One of the customer's phones (else 404)."""
    return get_object_or_404(CustomerPhone, customer=customer, pk=pk)


def id_number_masked(*, customer: Customer) -> str:
    """The customer's ID number as every page shows it: masked (110***********1234)."""
    return mask_id_number(customer.id_number)


def customer_form(data, *, user, customer: Customer | None = None, phones=None):
    """The customer page's form and its phone rows, bound to `data` (the API checks input with the
    same rules as the page): (form, phone formset)."""
    from .forms import CustomerForm, PhoneFormSet, phones_for_edit

    if customer is None:
        form = CustomerForm(data, stores=stores_where(user, "customers.edit"))
        return form, PhoneFormSet(phones, prefix="phones")
    stored, initial = phones_for_edit(customer)
    form = CustomerForm(data, instance=customer)
    return form, PhoneFormSet(phones, prefix="phones", initial=initial, stored=stored)  # type: ignore[call-arg]
