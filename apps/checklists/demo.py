"""Demo checklists: the business hall's 营业员 / 台席 / 保安 templates, the service station's
opening checklist, a week of completed runs with a few failures (handovers: apps/handovers/demo.py).
Keyed on natural keys and on dates relative to today."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from apps.roles.selectors import positions_current_in
from apps.roles.services import holder_ensure, position_ensure
from apps.roster.selectors import shift_bounds, shift_of

from .models import (
    ChecklistRun,
    ChecklistTemplate,
    FailureAction,
    FailureState,
    ItemFailure,
    ItemKind,
    ItemResult,
    Phase,
    RunState,
    Shift,
    TemplateItem,
)
from .services import templates_generate_for_position
from .services.beat import run_window

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
    ("GW-DEMO-CL-05", "柜员", "bank_branch"),
    ("GW-DEMO-CL-06", "银行网点营业主管", "bank_branch"),
]
HOLDERS = [
    ("clerk", "营业员", "hall-central"),
    ("clerk2", "营业员", "hall-central"),
    ("advisor", "服务顾问", "station-east"),
    ("teller", "柜员", "branch-riverside"),
    ("supervisor", "银行网点营业主管", "branch-riverside"),
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
# Each store's templates are its own kind's (a template's position is of the kind of its stores):
# the bank branch's from 银行网点营业主管岗位职责 and the teller's duties.
TEMPLATES += [
    (
        "网点营业前准备",
        "柜员",
        Phase.OPENING,
        ["branch-riverside"],
        dt.time(8, 25),
        [
            ("领取尾箱，核对现金和重要单证", T, {"on_fail": FailureAction.BLOCK}),
            ("柜员令牌、个人名章已领用登记", T, {"on_fail": FailureAction.MATTER}),
            (
                "自助设备运行",
                CH,
                {"choices": "正常|异常", "fail_choices": "异常", "on_fail": FailureAction.NOTIFY},
            ),
            ("营业网点监控运行", CH, {"choices": "正常|异常", "fail_choices": "异常"}),
        ],
    ),
    (
        "网点日终检查",
        "银行网点营业主管",
        Phase.CLOSING,
        ["branch-riverside"],
        dt.time(17, 30),
        [
            ("各岗位尾箱现金、重要单证帐实相符", T, {"on_fail": FailureAction.BLOCK}),
            ("重要单证、印章、账簿已入库上锁", T, {"on_fail": FailureAction.BLOCK}),
            ("主机、自助设备已按规定关闭", T, {}),
            ("当日遗留事项", TX, {"required": False}),
        ],
    ),
]
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
    positions = {}
    for code, title, kind in POSITIONS:
        position, created = position_ensure(organisation=org, code=code, title=title, store_kind=kind)
        ctx.count(created)
        positions[title] = position
    for username, title, store_code in HOLDERS:
        ctx.count(
            holder_ensure(position=positions[title], user=ctx.users[username], store=ctx.stores[store_code])
        )

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
    _seed_duty_templates(ctx)


def _seed_duty_templates(ctx) -> None:
    """The hall manager's scheduled duties as templates (daily by phase, weekly on the weekday,
    monthly on the day), among them 每周六做好投诉报告与工作总结上传直管领导, ticked by the weekly report."""
    for position in positions_current_in(organisations=[ctx.organisation]).filter(code="GW-HALL-OPS-001"):
        touched = templates_generate_for_position(position=position, user=ctx.users["admin"])
        ctx.count(any(n for _t, n in touched))


def _today_window(template, store, user) -> tuple[dt.datetime, dt.datetime, dt.datetime]:
    """(starts, due, ends) of today's demo run: as the beat makes it from the person's shift today
    (apps.roster's demo leaves everyone a shift not over yet); when that part of the shift is over
    already, the whole shift with the run due half an hour from now. Never a run that is over
    before the demo is opened."""
    now = timezone.now()
    today = timezone.localdate(now)
    shift = shift_of(user=user, store=store, day=today)
    bounds = shift_bounds(shift) if shift else None
    window = run_window(template, store, today, bounds)
    if window is None or window[2] <= now:
        start, end = bounds or (now - dt.timedelta(minutes=30), now + dt.timedelta(hours=3))
        window = (start, min(end, max(start, now) + dt.timedelta(minutes=30)), end)
    return window


def _today_still_open(templates, plan, today) -> None:
    """Seeded again later in the day: today's demo runs not done and over by now (or missed) move
    into the person's shift, open again."""
    now = timezone.now()
    names = {name: (store_code, usernames) for name, store_code, usernames in plan}
    over = ChecklistRun.objects.filter(
        template__in=[templates[n] for n in names], date=today, completed_at__isnull=True
    ).filter(Q(ends_at__lte=now) | Q(state=RunState.MISSED))
    for run in over.select_related("template", "store", "assignee"):
        run.starts_at, run.due_at, run.ends_at = _today_window(run.template, run.store, run.assignee)
        run.state = RunState.IN_PROGRESS if run.answered_count else RunState.NOT_STARTED
        run.reminded_person_at = run.reminded_manager_at = None
        run.save(
            update_fields=[
                "starts_at",
                "due_at",
                "ends_at",
                "state",
                "reminded_person_at",
                "reminded_manager_at",
            ]
        )


def _seed_runs(ctx, templates, today) -> None:
    """A week of completed runs for the hall's clerks and the station's advisor, and today's runs."""
    plan = [
        ("营业员班前准备", "hall-central", ["clerk", "clerk2"]),
        ("营业员班后收尾", "hall-central", ["clerk", "clerk2"]),
        ("服务站班前准备", "station-east", ["advisor"]),
        ("网点营业前准备", "branch-riverside", ["teller"]),
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
                starts_at, ends_at = _at(day, 8, 30), _at(day, 18, 0)
                if not back:
                    starts_at, due, ends_at = _today_window(template, store, user)
                run = ChecklistRun(
                    template=template,
                    store=store,
                    assignee=user,
                    date=day,
                    starts_at=starts_at,
                    due_at=due,
                    ends_at=ends_at,
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
    _today_still_open(templates, plan, today)

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
