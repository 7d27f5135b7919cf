"""Writes on the bank branch's registers. Tellers and the supervisor record; the supervisor
(`bank.supervise`) verifies, reports and sends, never verifying what they recorded themselves."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.notifications.services import Message, notification_send, notifications_send_many
from apps.org.access import people_who_can, require
from apps.org.models import Membership, Store, StoreKind, User
from apps.roster.selectors import add_working_days

from .models import (
    CashBoxHandover,
    CounterfeitNote,
    Outcome,
    PacketState,
    ReportKind,
    TellerPasswordChange,
    TransactionReport,
    VoucherPacket,
)
from .selectors import password_status


def report_working_days() -> int:
    return int(getattr(settings, "BANK_REPORT_WORKING_DAYS", 5))


def _bank(by: User, store: Store, perm: str) -> None:
    require(by, perm, store)
    if store.kind != StoreKind.BANK_BRANCH:
        raise ValidationError(_("These registers belong to bank branches."))


def _member(user: User | None, store: Store) -> bool:
    return user is not None and Membership.objects.filter(store=store, user=user, is_active=True).exists()


def _clean(obj) -> None:
    obj.full_clean(exclude=["store"])


def counterfeit_record(*, by: User, store: Store, **fields) -> CounterfeitNote:
    _bank(by, store, "bank.record")
    note = CounterfeitNote(store=store, found_by=by, **fields)
    _clean(note)
    note.save()
    notifications_send_many(
        recipients=[u for u in people_who_can("bank.supervise", store) if u.pk != by.pk],
        key=f"bank-counterfeit-{note.pk}",
        title=Message(gettext_noop("A suspected counterfeit note waits for your verification")),
        url=reverse("bankdesk:counterfeit", args=[store.pk]),
        store=store,
        source="bankdesk",
    )
    return note


def counterfeit_verify(
    *, by: User, note: CounterfeitNote, outcome: str, receipt_number: str = ""
) -> CounterfeitNote:
    _bank(by, note.store, "bank.supervise")
    if note.found_by_id == by.pk:
        raise ValidationError(_("Someone other than the finder verifies a suspected note."))
    if outcome not in (Outcome.COUNTERFEIT, Outcome.GENUINE):
        raise ValidationError(_("Choose counterfeit or genuine."))
    if outcome == Outcome.COUNTERFEIT and not receipt_number.strip():
        raise ValidationError(_("A confiscated note needs the number of the confiscation receipt."))
    updated = CounterfeitNote.objects.filter(pk=note.pk, outcome=Outcome.PENDING).update(
        outcome=outcome, receipt_number=receipt_number.strip(), verified_by=by, verified_at=timezone.now()
    )
    if not updated:
        raise ValidationError(_("This note has already been verified."))
    note.refresh_from_db()
    return note


def transaction_report_record(*, by: User, store: Store, **fields) -> TransactionReport:
    _bank(by, store, "bank.record")
    occurred = fields.get("occurred_on")
    if occurred and occurred > timezone.localdate():
        raise ValidationError({"occurred_on": _("The date cannot be in the future.")})
    report = TransactionReport(store=store, recorded_by=by, **fields)
    report.due_on = add_working_days(occurred or timezone.localdate(), report_working_days())
    _clean(report)
    report.save()
    notifications_send_many(
        recipients=[u for u in people_who_can("bank.supervise", store) if u.pk != by.pk],
        key=f"bank-report-{report.pk}",
        title=Message(
            gettext_noop("A large-value transaction to report by %(date)s")
            if report.kind == ReportKind.LARGE
            else gettext_noop("A suspicious transaction to report by %(date)s"),
            date=f"{report.due_on:%Y-%m-%d}",
        ),
        url=reverse("bankdesk:reports", args=[store.pk]),
        store=store,
        source="bankdesk",
    )
    return report


def transaction_report_done(*, by: User, report: TransactionReport, reference: str) -> TransactionReport:
    _bank(by, report.store, "bank.supervise")
    if not reference.strip():
        raise ValidationError(_("Enter the reference the reporting system gave."))
    updated = TransactionReport.objects.filter(pk=report.pk, reported_at__isnull=True).update(
        reported_at=timezone.now(), reported_by=by, reference=reference.strip()
    )
    if not updated:
        raise ValidationError(_("This transaction has already been reported."))
    report.refresh_from_db()
    return report


def cash_box_record(*, by: User, store: Store, **fields) -> CashBoxHandover:
    _bank(by, store, "bank.record")
    first, second = fields.get("branch_first"), fields.get("branch_second")
    if first is not None and first == second:
        raise ValidationError(
            {"branch_second": _("Two different people of the branch hand over cash boxes.")}
        )
    if not (_member(first, store) and _member(second, store)):
        raise ValidationError(_("Both people must work in this branch."))
    handover = CashBoxHandover(store=store, recorded_by=by, **fields)
    _clean(handover)
    handover.save()
    return handover


def voucher_packet_record(*, by: User, store: Store, **fields) -> VoucherPacket:
    _bank(by, store, "bank.supervise")
    if fields.get("covers_from") and fields.get("covers_to") and fields["covers_to"] < fields["covers_from"]:
        raise ValidationError({"covers_to": _("The last day cannot be before the first.")})
    packet = VoucherPacket(store=store, packed_by=by, packed_at=timezone.now(), **fields)
    _clean(packet)
    if VoucherPacket.objects.filter(store=store, number=packet.number).exists():
        raise ValidationError({"number": _("This packet number is already in the register.")})
    packet.save()
    return packet


def voucher_packet_sent(*, by: User, packet: VoucherPacket, received_by: str) -> VoucherPacket:
    _bank(by, packet.store, "bank.supervise")
    if not received_by.strip():
        raise ValidationError(_("Name who received the packet at the audit department."))
    updated = VoucherPacket.objects.filter(pk=packet.pk, state=PacketState.PACKED).update(
        state=PacketState.SENT, sent_at=timezone.now(), received_by=received_by.strip()
    )
    if not updated:
        raise ValidationError(_("This packet has already been sent."))
    packet.refresh_from_db()
    return packet


def password_change_record(
    *, by: User, store: Store, teller: User, changed_on: dt.date
) -> TellerPasswordChange:
    _bank(by, store, "bank.record")
    if teller.pk != by.pk:
        require(by, "bank.supervise", store)
    if not _member(teller, store):
        raise ValidationError({"teller": _("Choose a teller of this branch.")})
    if changed_on > timezone.localdate():
        raise ValidationError({"changed_on": _("The date cannot be in the future.")})
    return TellerPasswordChange.objects.create(
        store=store, teller=teller, changed_on=changed_on, recorded_by=by
    )


def password_reminders_send(*, today: dt.date | None = None) -> int:
    """Remind each teller whose teller-card password is due (every BANK_TELLER_PASSWORD_DAYS days),
    once per due date; the supervisors get one line per teller. Returns how many were reminded."""
    today = today or timezone.localdate()
    sent = 0
    for store in Store.objects.filter(kind=StoreKind.BANK_BRANCH, is_active=True):
        supervisors = list(people_who_can("bank.supervise", store))
        for row in password_status(store=store, today=today):
            if not row["overdue"]:
                continue
            teller, due = row["teller"], row["due_on"]
            url = reverse("bankdesk:passwords", args=[store.pk])
            with transaction.atomic():
                if notification_send(
                    recipient=teller,
                    key=f"bank-password-{store.pk}-{due:%Y%m%d}",
                    title=Message(gettext_noop("Time to change your teller card password")),
                    url=url,
                    store=store,
                    source="bankdesk",
                ):
                    sent += 1
                    notifications_send_many(
                        recipients=[u for u in supervisors if u.pk != teller.pk],
                        key=f"bank-password-{store.pk}-{teller.pk}-{due:%Y%m%d}",
                        title=Message(
                            gettext_noop("%(teller)s's teller card password is due for a change"),
                            teller=str(teller),
                        ),
                        url=url,
                        store=store,
                        source="bankdesk",
                    )
    return sent
