"""Reads of the bank branch's registers, scoped to the bank branches the user works in."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Max, QuerySet
from django.shortcuts import get_object_or_404

from apps.org.access import stores_where
from apps.org.models import Membership, RoleTier, Store, StoreKind, User

from .models import (
    CashBoxHandover,
    CounterfeitNote,
    Outcome,
    PacketState,
    TellerPasswordChange,
    TransactionReport,
    VoucherPacket,
)


def password_days() -> int:
    return int(getattr(settings, "BANK_TELLER_PASSWORD_DAYS", 30))


def bank_stores_for(*, user, perm: str = "bank.record") -> QuerySet[Store]:
    return stores_where(user, perm).filter(kind=StoreKind.BANK_BRANCH, is_active=True).order_by("name")


def bank_store_for(*, user, pk: int, perm: str = "bank.record") -> Store:
    return get_object_or_404(bank_stores_for(user=user, perm=perm), pk=pk)


def counterfeit_notes(*, store: Store) -> QuerySet[CounterfeitNote]:
    return CounterfeitNote.objects.filter(store=store).select_related("found_by", "verified_by")


def transaction_reports(*, store: Store) -> QuerySet[TransactionReport]:
    return TransactionReport.objects.filter(store=store).select_related("recorded_by", "reported_by")


def cash_box_handovers(*, store: Store) -> QuerySet[CashBoxHandover]:
    return CashBoxHandover.objects.filter(store=store).select_related("branch_first", "branch_second")


def voucher_packets(*, store: Store) -> QuerySet[VoucherPacket]:
    return VoucherPacket.objects.filter(store=store).select_related("packed_by")


def tellers_of(store: Store) -> list[User]:
    return list(
        User.objects.filter(
            pk__in=Membership.objects.filter(store=store, tier=RoleTier.CLERK, is_active=True).values(
                "user_id"
            ),
            is_active=True,
        ).order_by("display_name", "username")
    )


def password_status(*, store: Store, today: dt.date) -> list[dict]:
    """Each teller with the last recorded password change and whether it is overdue."""
    last = dict(
        TellerPasswordChange.objects.filter(store=store)
        .values("teller_id")
        .annotate(last=Max("changed_on"))
        .values_list("teller_id", "last")
    )
    limit = password_days()
    out = []
    for teller in tellers_of(store):
        changed = last.get(teller.pk)
        due = changed + dt.timedelta(days=limit) if changed else today
        out.append({"teller": teller, "changed_on": changed, "due_on": due, "overdue": due <= today})
    return out


def desk_counts(*, store: Store, today: dt.date) -> dict:
    reports = TransactionReport.objects.filter(store=store, reported_at__isnull=True)
    return {
        "notes_pending": CounterfeitNote.objects.filter(store=store, outcome=Outcome.PENDING).count(),
        "reports_open": reports.count(),
        "reports_overdue": reports.filter(due_on__lt=today).count(),
        "packets_unsent": VoucherPacket.objects.filter(store=store, state=PacketState.PACKED).count(),
        "passwords_overdue": sum(1 for p in password_status(store=store, today=today) if p["overdue"]),
    }
