"""Demo registers of the bank branch: a note waiting for verification, a large transaction to
report, a cash box handover, a packet to send, and one teller's password overdue. Idempotent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from apps.org.models import Membership, RoleTier
from apps.roster.selectors import add_working_days

from .models import (
    CashBoxHandover,
    CounterfeitNote,
    Direction,
    ReportKind,
    TellerPasswordChange,
    TransactionReport,
    VoucherPacket,
)
from .services import report_working_days


def seed(ctx) -> None:
    branch, teller, supervisor = (
        ctx.stores.get("branch-riverside"),
        ctx.users.get("teller"),
        ctx.users.get("supervisor"),
    )
    if (
        branch is None
        or teller is None
        or supervisor is None
        or CounterfeitNote.objects.filter(store=branch).exists()
    ):
        return
    now = timezone.now()
    today = timezone.localdate()
    CounterfeitNote.objects.create(
        store=branch,
        found_at=now - dt.timedelta(hours=2),
        found_by=teller,
        denomination=100,
        pieces=1,
        serials="HD90****12",
        customer="客户存款",
    )
    TransactionReport.objects.create(
        store=branch,
        kind=ReportKind.LARGE,
        occurred_on=today - dt.timedelta(days=1),
        account_name="滨江建材有限公司",
        amount=Decimal("680000.00"),
        description="对公账户单笔转出",
        recorded_by=teller,
        due_on=add_working_days(today - dt.timedelta(days=1), report_working_days()),
    )
    tellers = list(
        Membership.objects.filter(store=branch, tier=RoleTier.CLERK, is_active=True).values_list(
            "user_id", flat=True
        )
    )
    second = next((u for u in tellers if u != teller.pk), supervisor.pk)
    CashBoxHandover.objects.create(
        store=branch,
        at=now.replace(hour=1, minute=0),
        direction=Direction.IN,
        boxes="XJ-0231, XJ-0232",
        seals="F1180231",
        escort_company="滨江押运服务公司",
        escort_names="李强 (押0457)、王军 (押0512)",
        branch_first=teller,
        branch_second_id=second,
        recorded_by=supervisor,
    )
    VoucherPacket.objects.create(
        store=branch,
        number=f"PZ{today:%Y%m}-01",
        covers_from=today - dt.timedelta(days=7),
        covers_to=today - dt.timedelta(days=1),
        vouchers=214,
        packed_by=supervisor,
        packed_at=now - dt.timedelta(hours=20),
    )
    TellerPasswordChange.objects.create(
        store=branch, teller=teller, changed_on=today - dt.timedelta(days=45), recorded_by=supervisor
    )
    ctx.count(True)
