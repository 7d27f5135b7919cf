"""Demo handovers: the stock items counted at a handover of each kind of store, the counters of the
demo stores, an opening balance and three days of accepted handovers at 1号台席 (one with an explained difference).
Keyed on natural keys and on dates relative to today."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from apps.org.models import StoreKind

from .item_defaults import DEFAULT_ITEMS
from .models import (
    Counter,
    Handover,
    HandoverLine,
    HandoverSignature,
    HandoverState,
    MovementKind,
    OpeningBalance,
    SignatureRole,
    StockItem,
    StockMovement,
)
from .services import expected_for

OPENING = {"float": 2000, "sim": 200, "recharge": 100, "handset": 12, "invoice": 500, "voucher": 50}


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def seed(ctx) -> None:
    today = timezone.localdate()
    org = ctx.organisation
    items = {}
    for kind, rows in DEFAULT_ITEMS.items():
        for i, (code, name, section, unit, denoms) in enumerate(rows):
            item, created = StockItem.objects.get_or_create(
                organisation=org,
                store_kind=kind,
                code=code,
                defaults={
                    "name": name,
                    "section": section,
                    "unit": unit,
                    "denominations": denoms,
                    "order": i * 10,
                },
            )
            if kind == StoreKind.BUSINESS_HALL:
                items[code] = item
            ctx.count(created)
    counters = {}
    for store_code, code, name in [
        ("hall-central", "t1", "1号台席"),
        ("hall-central", "t2", "2号台席"),
        ("branch-riverside", "g1", "1号柜台"),
        ("branch-riverside", "g2", "2号柜台"),
        ("station-east", "front", "服务前台"),
    ]:
        counters[code], created = Counter.objects.get_or_create(
            store=ctx.stores[store_code], code=code, defaults={"name": name}
        )
        ctx.count(created)
    desk = counters["t1"]
    store = ctx.stores["hall-central"]
    start = today - dt.timedelta(days=4)
    if not OpeningBalance.objects.filter(counter=desk).exists():
        OpeningBalance.objects.bulk_create(
            [
                OpeningBalance(
                    store=store,
                    counter=desk,
                    item=items[code],
                    quantity=Decimal(q),
                    effective_at=_at(start, 8, 0),
                    set_by=ctx.users["manager"],
                )
                for code, q in OPENING.items()
            ]
        )
        ctx.created += len(OPENING)
    # Three days of handovers at 1号台席, alternating the two clerks; the middle one has a difference.
    pairs = [("clerk", "clerk2"), ("clerk2", "clerk"), ("clerk", "clerk2")]
    for i, (out_name, in_name) in enumerate(pairs):
        day = start + dt.timedelta(days=i + 1)
        outgoing, incoming = ctx.users[out_name], ctx.users[in_name]
        if Handover.objects.filter(counter=desk, business_date=day, outgoing=outgoing).exists():
            continue
        for code, kind, qty, note in [
            ("sim", MovementKind.ISSUE, 6 + i, "开户售卡"),
            ("recharge", MovementKind.ISSUE, 10, "售出充值卡"),
            ("takings-cash", MovementKind.RECEIPT, 3200 + 150 * i, "BOSS 系统当班现金营收"),
            ("takings-card", MovementKind.RECEIPT, 5800, "BOSS 系统当班刷卡营收"),
            ("takings-mobile", MovementKind.RECEIPT, 2100, "BOSS 系统当班移动支付营收"),
            ("invoice", MovementKind.ISSUE, 15, "开具发票"),
        ]:
            StockMovement.objects.create(
                store=store,
                counter=desk,
                item=items[code],
                kind=kind,
                quantity=Decimal(qty),
                note=note,
                occurred_at=_at(day, 11, 0),
                recorded_by=outgoing,
            )
        signed_at = _at(day, 13, 0)
        expected, previous, since = expected_for(counter=desk, items=list(items.values()), now=signed_at)
        handover = Handover.objects.create(
            store=store,
            counter=desk,
            business_date=day,
            outgoing=outgoing,
            incoming=incoming,
            state=HandoverState.SIGNED,
            period_start=since or signed_at,
            previous=previous,
            signed_at=signed_at,
            notes="下午有两位预约办理宽带的客户，资料在抽屉内。" if i == 2 else "",
        )
        lines = []
        for item in items.values():
            exp = expected[item.pk]
            counted, explanation, breakdown = exp, "", {}
            if item.code == "sim" and i == 1:
                counted, explanation = exp - 1, "一张 SIM 卡写卡失败已作废，作废卡已登记并交经理"
            if item.code == "float":
                breakdown = {"100": 15, "50": 6, "20": 10}
            lines.append(
                HandoverLine(
                    handover=handover,
                    item=item,
                    order=item.order,
                    expected=exp,
                    counted=counted,
                    breakdown=breakdown,
                    explanation=explanation,
                )
            )
        HandoverLine.objects.bulk_create(lines)
        HandoverSignature.objects.bulk_create(
            [
                HandoverSignature(
                    handover=handover, role=SignatureRole.OUTGOING, user=outgoing, signed_at=signed_at
                ),
                HandoverSignature(
                    handover=handover,
                    role=SignatureRole.INCOMING,
                    user=incoming,
                    signed_at=signed_at + dt.timedelta(minutes=10),
                ),
            ]
        )
        handover.state = HandoverState.ACCEPTED
        handover.accepted_at = signed_at + dt.timedelta(minutes=10)
        handover.save()
        ctx.created += 2 + len(lines) + 6
