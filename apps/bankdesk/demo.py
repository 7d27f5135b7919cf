"""Demo registers of the bank branch: a note waiting for verification, a large transaction to
report, a cash box handover, a packet to send, and one teller's password overdue; the two tellers'
tail boxes with yesterday sealed, today a vault transfer that takes the branch's cash over its limit,
teller2's box signed and waiting for the second signature, and teller's box still to count.
Idempotent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from apps.handovers.selectors import counters_for, stock_items_for
from apps.handovers.services import balance_set
from apps.org.models import Membership, RoleTier
from apps.roster.selectors import add_working_days

from . import box_services
from .models import (
    CashBoxHandover,
    Channel,
    CounterfeitNote,
    Direction,
    Flow,
    ReportKind,
    TailBox,
    TellerPasswordChange,
    TransactionReport,
    VoucherPacket,
)
from .services import report_working_days


def seed(ctx) -> None:
    _registers(ctx)
    _tail_boxes(ctx)


def _registers(ctx) -> None:
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


# box number, teller, counter code, opening figures (cash in yuan, the rest in pieces)
BOXES = [
    ("W01", "teller", "g1", {"cash": 180000, "voucher-passbook": 50, "voucher-debit-card": 120}),
    ("W02", "teller2", "g2", {"cash": 150000, "voucher-passbook": 40, "voucher-debit-card": 100}),
]
OTHER = {"voucher-deposit": 60, "voucher-cheque": 10, "seal": 1, "token": 1, "keys": 2}
LIMITS = {"cash": 400000, "voucher-debit-card": 300}


def _tail_boxes(ctx) -> None:
    branch, supervisor = ctx.stores.get("branch-riverside"), ctx.users.get("supervisor")
    people = {name: ctx.users.get(name) for name in ("teller", "teller2", "lobby")}
    if branch is None or supervisor is None or None in people.values():
        return
    if TailBox.objects.filter(store=branch).exists():
        return
    items = {item.code: item for item in stock_items_for(store=branch)}
    counters = {c.code: c for c in counters_for(user=supervisor).filter(store=branch)}
    if not items or not {"g1", "g2"} <= set(counters):
        return
    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    opened = timezone.make_aware(dt.datetime.combine(yesterday, dt.time(8, 0)))
    boxes = {}
    for number, teller, counter, figures in BOXES:
        box = TailBox.objects.create(
            store=branch, number=number, teller=people[teller], counter=counters[counter]
        )
        boxes[teller] = box
        for code, quantity in {**figures, **OTHER}.items():
            if code in items:
                balance_set(
                    store=branch,
                    counter=box.counter,
                    item=items[code],
                    quantity=Decimal(quantity),
                    user=supervisor,
                    effective_at=opened,
                )
        ctx.created += 1
    # Yesterday: both boxes counted as the book says and sealed by two people.
    for teller, second in (("teller", people["lobby"]), ("teller2", supervisor)):
        check = box_services.tail_box_check_start(by=people[teller], box=boxes[teller], day=yesterday)
        box_services.tail_box_count_save(
            by=people[teller],
            check=check,
            counts={
                line.pk: {
                    "counted": line.expected,
                    "breakdown": {"100": int(line.expected // 100)} if line.item.denominations else None,
                }
                for line in check.lines.select_related("item")
            },
        )
        box_services._tail_box_sign(
            check=check, user=people[teller], seal_number=f"FX{yesterday:%m%d}-{teller}"
        )
        box_services._tail_box_seal(check=check, second=second)
        ctx.created += 1
    for code, limit in LIMITS.items():
        box_services.branch_limit_set(by=supervisor, store=branch, item=items[code], limit=Decimal(limit))
    # Today: a vault transfer into teller's box takes the branch's cash over its limit; debit cards
    # from the back office take the cards over theirs. The supervisor is told of both.
    box_services.branch_transfer_record(
        by=people["teller"],
        store=branch,
        box=boxes["teller"],
        item=items["cash"],
        channel=Channel.VAULT,
        flow=Flow.IN,
        quantity=Decimal(100000),
        note="早间金库调入",
    )
    box_services.branch_transfer_record(
        by=supervisor,
        store=branch,
        box=boxes["teller2"],
        item=items["voucher-debit-card"],
        channel=Channel.BACK_OFFICE,
        flow=Flow.IN,
        quantity=Decimal(100),
        note="运营中心下发借记卡",
    )
    # teller2 has counted and signed; one spoiled card explained; the seal waits for a second person.
    check = box_services.tail_box_check_start(by=people["teller2"], box=boxes["teller2"])
    counts = {}
    for line in check.lines.select_related("item"):
        entry: dict = {"counted": line.expected}
        if line.item.denominations:
            entry["breakdown"] = {"100": int(line.expected // 100)}
        if line.item.code == "voucher-debit-card":
            entry = {"counted": line.expected - 1, "explanation": "一张借记卡制卡失败已作废，作废卡已登记"}
        counts[line.pk] = entry
    box_services.tail_box_count_save(by=people["teller2"], check=check, counts=counts)
    box_services._tail_box_sign(check=check, user=people["teller2"], seal_number=f"FX{today:%m%d}-02")
    ctx.created += 1
