"""The bank branch's registers (营业主管): suspected counterfeit notes verified by someone other than
the finder, large and suspicious transactions reported by a deadline in working days, cash box
handovers with the escort company naming both sides, voucher packets sent to audit, teller card
password reminders; only bank branches have them, and only their own staff see them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.bankdesk import services
from apps.bankdesk.models import (
    CashBoxHandover,
    CounterfeitNote,
    Outcome,
    PacketState,
    TellerPasswordChange,
    TransactionReport,
    VoucherPacket,
)
from apps.notifications.models import Notification
from apps.org.models import RoleTier, StoreKind
from apps.roster.models import CalendarDay, DayKind
from tests.factories.org import StoreFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def branch(organisation):
    return StoreFactory(
        organisation=organisation, name="滨江支行营业网点", code="branch", kind=StoreKind.BANK_BRANCH
    )


@pytest.fixture
def teller(branch):
    return member(branch, RoleTier.CLERK, "teller", display_name="吴琳")


@pytest.fixture
def teller2(branch):
    return member(branch, RoleTier.CLERK, "teller2", display_name="钱敏")


@pytest.fixture
def supervisor(branch):
    return member(branch, RoleTier.MANAGER, "supervisor", display_name="郑华")


def test_a_teller_records_a_suspected_note_and_the_supervisor_verifies_it(
    client_for, branch, teller, supervisor
):
    url = reverse("bankdesk:counterfeit", args=[branch.pk])
    response = client_for(teller).post(
        url,
        {
            "found_at": "2026-11-20T10:15",
            "denomination": 100,
            "pieces": 2,
            "serials": "HD90",
            "customer": "",
            "note": "",
        },
    )
    assert response.status_code == 302
    note = CounterfeitNote.objects.get()
    assert note.found_by == teller
    assert Notification.objects.filter(recipient=supervisor, source="bankdesk").exists()
    verify = reverse("bankdesk:counterfeit_verify", args=[branch.pk, note.pk])
    assert (
        client_for(teller).post(verify, {"outcome": "counterfeit", "receipt_number": "X1"}).status_code == 404
    )
    client = client_for(supervisor)
    client.post(verify, {"outcome": "counterfeit", "receipt_number": ""})
    note.refresh_from_db()
    assert note.outcome == Outcome.PENDING  # a confiscation needs its receipt number
    client.post(verify, {"outcome": "counterfeit", "receipt_number": "没收-0091"})
    note.refresh_from_db()
    assert (note.outcome, note.verified_by, note.receipt_number) == (
        Outcome.COUNTERFEIT,
        supervisor,
        "没收-0091",
    )


def test_the_finder_never_verifies_their_own_note(branch, supervisor):
    note = services.counterfeit_record(
        by=supervisor, store=branch, found_at=timezone.now(), denomination=50, pieces=1
    )
    with pytest.raises(ValidationError):
        services.counterfeit_verify(by=supervisor, note=note, outcome=Outcome.GENUINE)


def test_a_report_is_due_five_working_days_later_skipping_holidays(branch, teller, supervisor):
    CalendarDay.objects.create(date=dt.date(2026, 10, 1), kind=DayKind.HOLIDAY, name="国庆节")
    CalendarDay.objects.create(date=dt.date(2026, 10, 2), kind=DayKind.HOLIDAY, name="国庆节")
    report = services.transaction_report_record(
        by=teller,
        store=branch,
        kind="large",
        occurred_on=dt.date(2026, 9, 29),
        account_name="某公司",
        amount=Decimal("500000"),
        description="单笔转出",
    )
    # Wed 30 Sep, (1-2 Oct holidays, 3-4 weekend), Mon 5, Tue 6, Wed 7, Thu 8
    assert report.due_on == dt.date(2026, 10, 8)


def test_the_supervisor_marks_a_report_done_with_its_reference_and_the_desk_counts_overdue(
    client_for, branch, teller, supervisor
):
    report = TransactionReport.objects.create(
        store=branch,
        kind="suspicious",
        occurred_on=dt.date(2026, 1, 5),
        account_name="张某",
        amount=Decimal("90000"),
        description="频繁分拆存现",
        due_on=dt.date(2026, 1, 12),
        recorded_by=teller,
    )
    desk = client_for(supervisor).get(reverse("bankdesk:desk", args=[branch.pk]))
    assert desk.context["counts"]["reports_overdue"] == 1
    done = reverse("bankdesk:report_done", args=[branch.pk, report.pk])
    assert client_for(teller).post(done, {"reference": "R1"}).status_code == 404
    client_for(supervisor).post(done, {"reference": "AML-2026-0007"})
    report.refresh_from_db()
    assert report.reported_by == supervisor and report.reference == "AML-2026-0007"


def test_a_cash_box_handover_names_two_different_people_of_the_branch(
    client_for, branch, teller, teller2, supervisor
):
    url = reverse("bankdesk:cash_boxes", args=[branch.pk])
    data = {
        "at": "2026-11-20T08:10",
        "direction": "in",
        "boxes": "XJ-01",
        "seals": "F1",
        "escort_company": "押运公司",
        "escort_names": "李强",
        "branch_first": teller.pk,
        "branch_second": teller.pk,
        "note": "",
    }
    same = client_for(supervisor).post(url, data)
    assert same.status_code == 200 and same.context["form"].errors
    assert "押运公司" in same.content.decode()
    assert client_for(supervisor).post(url, {**data, "branch_second": teller2.pk}).status_code == 302
    assert CashBoxHandover.objects.get().recorded_by == supervisor


def test_voucher_packets_are_packed_and_sent_by_the_supervisor_only(client_for, branch, teller, supervisor):
    url = reverse("bankdesk:packets", args=[branch.pk])
    data = {"number": "PZ-01", "covers_from": "2026-11-01", "covers_to": "2026-11-07", "vouchers": 120}
    assert client_for(teller).post(url, data).status_code == 403
    assert client_for(supervisor).post(url, data).status_code == 302
    again = client_for(supervisor).post(url, data)
    assert again.status_code == 200 and VoucherPacket.objects.count() == 1
    packet = VoucherPacket.objects.get()
    client_for(supervisor).post(
        reverse("bankdesk:packet_sent", args=[branch.pk, packet.pk]), {"received_by": "稽核部 周"}
    )
    packet.refresh_from_db()
    assert packet.state == PacketState.SENT


def test_password_reminders_go_once_per_due_date_to_the_teller_and_the_supervisor(
    branch, teller, teller2, supervisor
):
    today = timezone.localdate()
    TellerPasswordChange.objects.create(
        store=branch, teller=teller, changed_on=today - dt.timedelta(days=40), recorded_by=supervisor
    )
    TellerPasswordChange.objects.create(
        store=branch, teller=teller2, changed_on=today - dt.timedelta(days=3), recorded_by=supervisor
    )
    assert services.password_reminders_send(today=today) == 1
    assert services.password_reminders_send(today=today) == 0
    assert Notification.objects.filter(recipient=teller, source="bankdesk").count() == 1
    assert not Notification.objects.filter(recipient=teller2).exists()
    assert Notification.objects.filter(recipient=supervisor, source="bankdesk").count() == 1


def test_a_teller_records_only_their_own_password_change(client_for, branch, teller, teller2):
    url = reverse("bankdesk:passwords", args=[branch.pk])
    client_for(teller).post(url, {"teller": teller2.pk, "changed_on": timezone.localdate().isoformat()})
    assert not TellerPasswordChange.objects.exists()
    client_for(teller).post(url, {"teller": teller.pk, "changed_on": timezone.localdate().isoformat()})
    assert TellerPasswordChange.objects.get().teller == teller


def test_other_kinds_of_store_have_no_registers(client_for, manager, store, branch):
    assert client_for(manager).get(reverse("bankdesk:desk", args=[store.pk])).status_code == 404
    assert client_for(manager).get(reverse("bankdesk:home")).status_code == 404
    assert "bankdesk" not in client_for(manager).get("/").content.decode()
    with pytest.raises(ValidationError):
        services.counterfeit_record(
            by=manager, store=store, found_at=timezone.now(), denomination=100, pieces=1
        )


def test_the_bank_sees_the_registers_in_its_menu_and_another_branch_does_not_see_them(
    client_for, organisation, branch, supervisor
):
    assert reverse("bankdesk:home") in client_for(supervisor).get("/").content.decode()
    other = StoreFactory(organisation=organisation, kind=StoreKind.BANK_BRANCH)
    stranger = member(other, RoleTier.MANAGER, "other_supervisor")
    assert client_for(stranger).get(reverse("bankdesk:desk", args=[branch.pk])).status_code == 404
