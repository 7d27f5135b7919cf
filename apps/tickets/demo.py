"""Demo tickets in every state: repair orders settled on time, late with and without the
customer's confirmation, complaints answered, escalated, handed to the supervisor. Keyed on
Ticket.source = "demo:<n>": a second run adds nothing."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from apps.customers.selectors import customers_of_store

from .models import AddedItem, Confirmation, CustomerDelay, Ticket, TicketEvent
from .services import ticket_create

# Each kind of store's own titles: a hall's complaint is about its tariffs, never a car.
COMPLAINTS = {
    "station-east": ["等待时间过长", "维修后异响未排除", "结算金额与报价不符", "服务顾问态度不好"],
    "hall-central": ["等待时间过长", "宽带安装延误", "话费扣费有误", "营业员解释不清"],
}
LATE_REASONS = ["等待配件", "增项未确认", "技师排班不足"]
REPAIRS = ["常规保养", "更换刹车片", "空调不制冷", "事故车钣金", "更换正时皮带", "发动机异响检查"]
INQUIRIES = {
    "station-east": ["保养周期咨询", "延保政策咨询"],
    "hall-central": ["套餐资费咨询", "宽带资费咨询"],
}
FOLLOW_ONS = {
    "station-east": ["退款审批", "配件到货后通知客户", "跨店调车"],
    "hall-central": ["退款审批", "终端到货后通知客户", "携号转网资料补交"],
}


def seed(ctx) -> None:
    seed_history(ctx)
    if Ticket.objects.filter(source__startswith="demo:").exclude(source="demo:history").exists():
        return
    rng = random.Random(7)
    now = timezone.now()
    plans = []
    for code, staff, boss in [
        ("station-east", ["advisor", "tracker"], "manager2"),
        ("hall-central", ["clerk", "aftersales"], "manager"),
    ]:
        store = ctx.stores[code]
        customers = list(customers_of_store(store=store).prefetch_related("assets")[:60])
        if not customers:
            continue
        for n in range(36 if code == "station-east" else 24):
            kind = (
                "repair_order"
                if code == "station-east" and n % 3 != 2
                else rng.choice(["complaint", "complaint", "inquiry", "follow_on"])
            )
            plans.append(
                (
                    store,
                    customers[n % len(customers)],
                    kind,
                    ctx.users[staff[n % 2]],
                    ctx.users[boss],
                    n,
                    code,
                )
            )
    for i, (store, customer, kind, by, boss, n, code) in enumerate(plans):
        asset = next(iter(customer.assets.all()), None)
        days_ago = rng.randint(0, 50)
        created = now - dt.timedelta(days=days_ago, hours=rng.randint(0, 6))
        title = rng.choice(
            {
                "repair_order": REPAIRS,
                "complaint": COMPLAINTS[code],
                "inquiry": INQUIRIES[code],
                "follow_on": FOLLOW_ONS[code],
            }[kind]
        )
        promised = created + dt.timedelta(hours=rng.choice([3, 4, 6, 24])) if kind == "repair_order" else None
        t = ticket_create(
            store=store,
            customer=customer,
            kind=kind,
            title=title,
            created_by=by,
            asset=asset,
            priority=rng.choice(["normal", "normal", "high", "urgent"]),
            source=f"demo:{i}",
            promised_at=promised,
            is_major_repair=title == "事故车钣金",
        )
        shift = t.created_at - created
        fields: dict[str, Any] = {"created_at": created}
        if t.answer_due_at:
            fields["answer_due_at"] = t.answer_due_at - shift
        events = []
        state = [
            "new",
            "in_progress",
            "waiting_customer",
            "waiting_parts",
            "resolved",
            "closed",
            "closed",
            "closed",
        ][n % 8]
        if kind == "repair_order" and state in ("resolved", "closed"):
            assert promised is not None  # a repair order is created with a promised time
            late = n % 2 == 0
            confirmed_delay = n % 4 == 0
            settled = promised + (
                dt.timedelta(hours=2) if late else -dt.timedelta(minutes=rng.randint(5, 90))
            )
            if n % 4 == 1:
                item = AddedItem.objects.create(
                    ticket=t,
                    description="增项：更换空气滤芯",
                    amount=Decimal(180),
                    proposed_promised_at=promised + dt.timedelta(hours=1),
                )
                if n % 8 == 5:
                    item.customer_confirmed_at = created + dt.timedelta(hours=1)
                    item.confirmation_note = "客户电话确认"
                    item.save()
                    Confirmation.objects.create(
                        ticket=t,
                        added_item=item,
                        confirmed_by_name=customer.contact_person or customer.name,
                        channel=Confirmation.Channel.PHONE,
                        confirmed_at=item.customer_confirmed_at,
                        recorded_by=by,
                    )
                    fields["promised_at"] = promised = item.proposed_promised_at
            if late:
                delay = CustomerDelay.objects.create(
                    ticket=t,
                    reason="客户临时要求加做项目并推迟取车",
                    hours=Decimal(3),
                    customer_confirmed_at=settled if confirmed_delay else None,
                    confirmation_note="客户在结算单上签字确认" if confirmed_delay else "",
                )
                if confirmed_delay:
                    Confirmation.objects.create(
                        ticket=t,
                        delay=delay,
                        confirmed_by_name=customer.contact_person or customer.name,
                        channel=Confirmation.Channel.SIGNATURE,
                        confirmed_at=settled,
                        note="结算单签字",
                        recorded_by=by,
                    )
            on_time = settled <= promised + (
                dt.timedelta(hours=3) if late and confirmed_delay else dt.timedelta()
            )
            fields.update(
                settled_at=settled,
                settlement_amount=Decimal(rng.randint(300, 6000)),
                on_time=on_time,
                resolved_at=settled,
            )
            # Who did the work, and why a late order was late (the monthly quality meeting reads both).
            mechanic = ctx.users.get("tracker") if n % 2 else ctx.users.get("manager2")
            fields.update(
                mechanic=mechanic,
                late_reason="" if on_time else LATE_REASONS[n % len(LATE_REASONS)],
            )
            events.append(TicketEvent(ticket=t, kind="settled", by=by, data={"on_time": on_time}))
            if not on_time and n % 8 == 6:
                # The follow-up call heard 是否准时交车 = 否: the order waits for the manager's review.
                reason = "客户在回访电话中表示未准时交车。"
                fields.update(review_flagged_at=settled + dt.timedelta(days=4), review_reason=reason)
                events.append(TicketEvent(ticket=t, kind="review", by=by, text=reason, key="review:demo"))
        if kind != "repair_order":
            if state in ("resolved", "closed", "waiting_customer"):
                answered = created + dt.timedelta(hours=rng.randint(1, 30))
                fields.update(answered_at=answered, solution_found_at=answered, solution_told_at=answered)
                events.append(TicketEvent(ticket=t, kind="answered", by=by, text="已电话告知客户处理方案"))
            elif days_ago >= 3:
                # Unanswered past the deadline: escalated up the line.
                level = 2 if n % 2 else 1
                fields.update(escalation_level=level, next_escalation_at=None, warn_at=None)
                events.append(TicketEvent(ticket=t, kind="warning", key="warn:1", text="即将超过答复时限"))
                events.append(
                    TicketEvent(
                        ticket=t,
                        kind="escalated",
                        key="escalate:1",
                        text=f"未按时答复：已上报 {boss}",
                        data={"level": 1},
                    )
                )
                if level == 2:
                    events.append(
                        TicketEvent(
                            ticket=t,
                            kind="escalated",
                            key="escalate:2",
                            text="仍未答复：已上报上一级",
                            data={"level": 2},
                        )
                    )
                t.escalated_to.add(boss)
            if kind == "follow_on":
                fields["assignee"] = boss
                events.append(TicketEvent(ticket=t, kind="assigned", by=by, text="当场不能完成，交主管处理"))
        if state != "new":
            events.append(TicketEvent(ticket=t, kind="state", by=by, data={"from": "new", "to": state}))
        fields["state"] = state
        if state == "closed":
            fields["closed_at"] = created + dt.timedelta(days=1)
        if state in ("resolved", "closed") and "resolved_at" not in fields:
            fields["resolved_at"] = created + dt.timedelta(hours=20)
        if state == "closed" and kind == "repair_order" and "settled_at" not in fields:
            fields["state"] = "resolved"
        Ticket.objects.filter(pk=t.pk).update(**fields)
        TicketEvent.objects.bulk_create(events)
        TicketEvent.objects.filter(ticket=t).update(at=created)
    ctx.count(bool(plans))


def seed_history(ctx) -> None:
    """Eleven past months of settled repair orders and answered complaints, so that the KPI trends
    and the pay sheets have a year behind them (bulk: the live tickets above carry the detail)."""
    if Ticket.objects.filter(source="demo:history").exists():
        return
    rng = random.Random(11)
    today = timezone.localdate()
    rows = []
    for code, staff, per_month in [
        ("station-east", ["advisor", "tracker"], 14),
        ("hall-central", ["clerk"], 5),
    ]:
        store = ctx.stores[code]
        customers = list(customers_of_store(store=store)[:80])
        if not customers:
            continue
        for months_ago in range(1, 12):
            total = today.year * 12 + today.month - 1 - months_ago
            first = dt.date(total // 12, total % 12 + 1, 1)
            for n in range(per_month):
                kind = "repair_order" if code == "station-east" and n % 4 else "complaint"
                created = timezone.make_aware(
                    dt.datetime.combine(first + dt.timedelta(days=rng.randint(0, 26)), dt.time(9 + n % 8))
                )
                by = ctx.users[staff[n % len(staff)]]
                row = Ticket(
                    store=store,
                    number=f"{'WT' if kind == 'repair_order' else 'TS'}{store.pk:03d}-H{first:%Y%m}-{n + 1:04d}",
                    kind=kind,
                    title=rng.choice(REPAIRS if kind == "repair_order" else COMPLAINTS[code]),
                    customer=customers[(months_ago * per_month + n) % len(customers)],
                    state="closed",
                    assignee=by,
                    created_by=by,
                    source="demo:history",
                    created_at=created,
                    closed_at=created + dt.timedelta(days=1),
                    resolved_at=created + dt.timedelta(hours=20),
                )
                if kind == "repair_order":
                    promised = created + dt.timedelta(hours=rng.choice([4, 6, 24]))
                    late = rng.random() < 0.05
                    row.promised_at = promised
                    row.settled_at = promised + (dt.timedelta(hours=2) if late else -dt.timedelta(minutes=30))
                    row.settlement_amount = Decimal(rng.randint(800, 24000))
                    row.on_time = not late
                else:
                    row.answer_due_at = created + dt.timedelta(days=2)
                    row.answered_at = created + dt.timedelta(hours=rng.choice([2, 6, 20, 30, 60]))
                    row.solution_found_at = row.solution_told_at = row.answered_at
                rows.append(row)
    created_ats = [row.created_at for row in rows]
    Ticket.objects.bulk_create(rows)
    # created_at is auto_now_add, which bulk_create overwrites with "now": put the history back.
    for row, at in zip(rows, created_ats, strict=True):
        row.created_at = at
    Ticket.objects.bulk_update(rows, ["created_at"], batch_size=500)
    ctx.count(bool(rows))
