"""Demo checklists and handovers: the business hall's 营业员 / 台席 / 保安 templates, the service
station's opening checklist, a week of completed runs with a few failures, and accepted handovers
(one with an explained difference). Keyed on natural keys and on dates relative to today."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from apps.roles.models import Position, PositionHolder

from .models import (
    ChecklistRun,
    ChecklistTemplate,
    Counter,
    FailureAction,
    FailureState,
    Handover,
    HandoverLine,
    HandoverSignature,
    HandoverState,
    ItemFailure,
    ItemKind,
    ItemResult,
    MovementKind,
    OpeningBalance,
    Phase,
    RunState,
    Section,
    Shift,
    SignatureRole,
    StockItem,
    StockMovement,
    TemplateItem,
)
from .services import expected_for

T, N, C, CH, TX, P, SP = (
    ItemKind.TICK,
    ItemKind.NUMBER,
    ItemKind.COUNT,
    ItemKind.CHOICE,
    ItemKind.TEXT,
    ItemKind.PHOTO,
    ItemKind.SECOND_PERSON,
)
POSITIONS = [
    # code, title, store kind
    ("GW-DEMO-CL-01", "营业员", "business_hall"),
    ("GW-DEMO-CL-02", "台席岗", "business_hall"),
    ("GW-DEMO-CL-03", "营业厅保安", "business_hall"),
    ("GW-DEMO-CL-04", "服务顾问", "service_station"),
]
HOLDERS = [
    ("clerk", "营业员", "hall-central"),
    ("clerk2", "营业员", "hall-central"),
    ("advisor", "服务顾问", "station-east"),
]

# name, position, phase, store codes, shift, due, items: (text, kind, extra)
TEMPLATES = [
    (
        "营业员班前准备",
        "营业员",
        Phase.OPENING,
        ["hall-central"],
        dt.time(8, 50),
        [
            ("准备好发票、客户资料及各类业务单据", T, {"on_fail": FailureAction.MATTER}),
            ("找零备用金（元）", N, {"min_value": Decimal("1990"), "max_value": Decimal("2010")}),
            ("展示手机数量与展示清单一致（台）", C, {"expected_count": 12}),
            ("各类卡的摆放与价签正确", T, {}),
            (
                "视频监控设备运行",
                CH,
                {"choices": "正常|异常", "fail_choices": "异常", "on_fail": FailureAction.NOTIFY},
            ),
            (
                "自助服务设备运行",
                CH,
                {"choices": "正常|异常", "fail_choices": "异常", "on_fail": FailureAction.MATTER},
            ),
            ("营业环境整洁、宣传资料摆放到位", T, {}),
            ("营业厅环境照片", P, {"required": False}),
        ],
    ),
    (
        "营业员班后收尾",
        "营业员",
        Phase.CLOSING,
        ["hall-central"],
        dt.time(17, 55),
        [
            ("核对各类卡的销售、库存及营收款项一致", T, {"on_fail": FailureAction.BLOCK}),
            ("当日报表已完成（日清日结）", T, {"on_fail": FailureAction.BLOCK}),
            ("营业款已双人封箱交接", SP, {}),
            ("剩余发票份数", C, {"expected_count": 500, "on_fail": FailureAction.MATTER}),
            ("电脑、打印机等设备已关闭", T, {}),
            ("当班遗留事项", TX, {"required": False}),
        ],
    ),
    (
        "台席物品管理",
        "台席岗",
        Phase.DURING,
        ["hall-central"],
        dt.time(12, 0),
        [
            ("台席物品按定置图摆放", T, {}),
            ("重要单证存放在带锁抽屉", T, {"on_fail": FailureAction.MATTER}),
            ("POS 机、读卡器工作正常", CH, {"choices": "正常|异常", "fail_choices": "异常"}),
        ],
    ),
    (
        "营业厅消防安全巡查",
        "营业厅保安",
        Phase.SAFETY,
        ["hall-central"],
        dt.time(10, 0),
        [
            ("灭火器压力在绿区（具）", C, {"expected_count": 6}),
            ("安全出口畅通、应急灯完好", T, {"on_fail": FailureAction.NOTIFY}),
            ("消防栓无遮挡", T, {}),
            ("巡查照片", P, {"required": False}),
        ],
    ),
    (
        "服务站班前准备",
        "服务顾问",
        Phase.OPENING,
        ["station-east"],
        dt.time(8, 45),
        [
            ("接车区、客户休息区整洁", T, {}),
            ("预约客户名单已打印", T, {}),
            ("工单、委托书等单证充足", T, {"on_fail": FailureAction.MATTER}),
            ("饮水机、电视等设施正常", CH, {"choices": "正常|异常", "fail_choices": "异常"}),
        ],
    ),
]
STOCK = [
    # code, name, section, unit, denominations
    ("float", "备用金", Section.FLOAT, "元", "100,50,20,10,5,1"),
    ("takings-cash", "营业款（现金）", Section.TAKINGS, "元", ""),
    ("takings-card", "营业款（银行卡）", Section.TAKINGS, "元", ""),
    ("takings-mobile", "营业款（移动支付）", Section.TAKINGS, "元", ""),
    ("sim", "SIM 卡", Section.STOCK, "张", ""),
    ("recharge", "充值卡", Section.STOCK, "张", ""),
    ("handset", "手机", Section.STOCK, "台", ""),
    ("invoice", "发票", Section.STOCK, "份", ""),
    ("voucher", "重要单证（空白协议）", Section.STOCK, "份", ""),
]
OPENING = {"float": 2000, "sim": 200, "recharge": 100, "handset": 12, "invoice": 500, "voucher": 50}
# Failures in the week of demo runs: (days ago, username, template, item text, note)
FAILURES = [
    (5, "clerk", "营业员班前准备", "自助服务设备运行", "自助缴费机黑屏，已报修"),
    (3, "clerk2", "营业员班前准备", "视频监控设备运行", "3 号摄像头无画面"),
    (1, "clerk", "营业员班前准备", "自助服务设备运行", "自助缴费机卡纸"),
]


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def seed(ctx) -> None:
    org = ctx.organisation
    today = timezone.localdate()
    positions: dict[str, Position] = {}
    for code, title, kind in POSITIONS:
        position = Position.objects.filter(organisation=org, title=title, is_active=True).first()
        if position is None:
            position, created = Position.objects.get_or_create(
                code=code, defaults={"organisation": org, "title": title, "store_kind": kind}
            )
            ctx.count(created)
        positions[title] = position
    for username, title, store_code in HOLDERS:
        _h, created = PositionHolder.objects.get_or_create(
            position=positions[title], user=ctx.users[username], store=ctx.stores[store_code]
        )
        ctx.count(created)

    templates: dict[str, ChecklistTemplate] = {}
    for name, title, phase, store_codes, due, items in TEMPLATES:
        template, created = ChecklistTemplate.objects.get_or_create(
            organisation=org,
            name=name,
            defaults={"position": positions[title], "phase": phase, "due_time": due, "shift": Shift.DAY},
        )
        ctx.count(created)
        if created:
            template.stores.set([ctx.stores[c] for c in store_codes])
            TemplateItem.objects.bulk_create(
                [
                    TemplateItem(template=template, order=(i + 1) * 10, text=text, kind=kind, **extra)
                    for i, (text, kind, extra) in enumerate(items)
                ]
            )
        templates[name] = template

    _seed_runs(ctx, templates, today)
    _seed_handovers(ctx, today)


def _seed_runs(ctx, templates, today) -> None:
    """A week of completed runs for the hall's clerks and the station's advisor, and today's runs."""
    plan = [
        ("营业员班前准备", "hall-central", ["clerk", "clerk2"]),
        ("营业员班后收尾", "hall-central", ["clerk", "clerk2"]),
        ("服务站班前准备", "station-east", ["advisor"]),
    ]
    existing = set(
        ChecklistRun.objects.filter(
            template__in=templates.values(), date__gte=today - dt.timedelta(days=7)
        ).values_list("template_id", "assignee_id", "date")
    )
    failing = {(today - dt.timedelta(days=d), u, t, text): note for d, u, t, text, note in FAILURES}
    items_of = {t.pk: list(t.items.filter(is_active=True).order_by("order")) for t in templates.values()}
    new_runs: list[ChecklistRun] = []
    for back in range(7, -1, -1):
        day = today - dt.timedelta(days=back)
        for name, store_code, usernames in plan:
            template = templates[name]
            store = ctx.stores[store_code]
            for username in usernames:
                user = ctx.users[username]
                if (template.pk, user.pk, day) in existing:
                    continue
                due = _at(day, template.due_time.hour, template.due_time.minute)
                run = ChecklistRun(
                    template=template,
                    store=store,
                    assignee=user,
                    date=day,
                    starts_at=_at(day, 8, 30),
                    due_at=due,
                    ends_at=_at(day, 18, 0),
                    item_count=len(items_of[template.pk]),
                )
                if back:
                    run.state = RunState.DONE if back != 4 or username != "clerk2" else RunState.LATE
                    run.started_at = due - dt.timedelta(minutes=25)
                    run.completed_at = (
                        due - dt.timedelta(minutes=5)
                        if run.state == RunState.DONE
                        else due + dt.timedelta(minutes=20)
                    )
                new_runs.append(run)
    ChecklistRun.objects.bulk_create(new_runs)
    ctx.created += len(new_runs)

    results: list[ItemResult] = []
    fails: list[tuple[ChecklistRun, TemplateItem, str]] = []
    for run in new_runs:
        if not run.completed_at:
            continue
        answered_at = run.started_at
        for item in items_of[run.template_id]:
            answered_at += dt.timedelta(minutes=2)
            note = failing.get((run.date, run.assignee.username, run.template.name, item.text))
            result = ItemResult(
                run=run,
                item=item,
                item_text=item.text,
                ok=note is None,
                note=note or "",
                answered_by=run.assignee,
                answered_at=answered_at,
            )
            if item.kind == ItemKind.NUMBER:
                result.value_number = Decimal("2000")
            elif item.kind == ItemKind.COUNT:
                result.value_number = Decimal(item.expected_count or 0)
            elif item.kind == ItemKind.CHOICE:
                result.value_text = "异常" if note else "正常"
            elif item.kind == ItemKind.SECOND_PERSON:
                other = "clerk2" if run.assignee.username == "clerk" else "clerk"
                result.confirmed_by = ctx.users.get(other)
                result.confirmed_at = answered_at
            results.append(result)
            if note:
                fails.append((run, item, note))
        run.answered_count = len(items_of[run.template_id])
        run.failed_count = sum(1 for r, _i, _n in fails if r is run)
    ItemResult.objects.bulk_create(results)
    ChecklistRun.objects.bulk_update(
        [r for r in new_runs if r.completed_at], ["answered_count", "failed_count"]
    )
    by_key = {(r.run_id, r.item_id): r for r in results}
    failures = []
    for run, item, note in fails:
        resolved = run.date < today - dt.timedelta(days=2)
        failures.append(
            ItemFailure(
                store=run.store,
                run=run,
                item=item,
                result=by_key[(run.pk, item.pk)],
                raised_by=run.assignee,
                raised_at=by_key[(run.pk, item.pk)].answered_at,
                action=item.on_fail,
                note=note,
                state=FailureState.RESOLVED if resolved else FailureState.OPEN,
                resolved_by=ctx.users["manager"] if resolved else None,
                resolved_at=run.completed_at if resolved else None,
                resolution="厂家已上门维修" if resolved else "",
            )
        )
    ItemFailure.objects.bulk_create(failures)
    ctx.created += len(results) + len(failures)


def _seed_handovers(ctx, today) -> None:
    org = ctx.organisation
    items = {}
    for i, (code, name, section, unit, denoms) in enumerate(STOCK):
        items[code], created = StockItem.objects.get_or_create(
            organisation=org,
            code=code,
            defaults={
                "name": name,
                "section": section,
                "unit": unit,
                "denominations": denoms,
                "order": i * 10,
            },
        )
        ctx.count(created)
    counters = {}
    for store_code, code, name in [
        ("hall-central", "t1", "1号台席"),
        ("hall-central", "t2", "2号台席"),
        ("branch-riverside", "g1", "1号柜台"),
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
