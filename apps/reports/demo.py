"""Demo reports: last week's report of the business hall, submitted and waiting for the admin's
review; the station's corrective actions of its monthly quality meeting. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from .models import ActionStatus, CorrectiveAction, WeeklyReport
from .selectors import week_start
from .services import action_create, action_update, report_save, report_submit


def seed(ctx) -> None:
    hall, manager = ctx.stores.get("hall-central"), ctx.users.get("manager")
    monday = week_start(timezone.localdate()) - dt.timedelta(days=7)
    if hall and manager and not WeeklyReport.objects.filter(store=hall, week_start=monday).exists():
        _seed_weekly_report(ctx, hall, manager, monday)
    _seed_corrective_actions(ctx)


def _seed_weekly_report(ctx, hall, manager, monday) -> None:
    report = report_save(
        by=manager,
        store=hall,
        monday=monday,
        summary="本周受理投诉均在两日内答复；周三高峰时段排队较长，已增开一个台席。",
        plans="周六前完成新业务培训；跟进两位 VIP 客户的回访。",
    )
    report_submit(by=manager, report=report)
    ctx.count(True)


# title, cause, owner, months back, due in days from the month's first, status, outcome
ACTIONS = [
    ("配件预订提前到接车时确认", "等待配件", "manager2", 1, 20, ActionStatus.DONE, "常用配件备货清单已更新"),
    ("增项须当场电话确认并记录", "增项未确认", "advisor", 1, 25, ActionStatus.IN_PROGRESS, ""),
    ("周末技师排班增加一人", "技师排班不足", "manager2", 0, 15, ActionStatus.OPEN, ""),
]


def _seed_corrective_actions(ctx) -> None:
    """The station's quality meeting: last month's actions (one done, one in progress) and this month's."""
    station, manager = ctx.stores.get("station-east"), ctx.users.get("manager2")
    if station is None or manager is None or CorrectiveAction.objects.filter(store=station).exists():
        return
    this_month = timezone.localdate().replace(day=1)
    for title, cause, owner, back, due, status, outcome in ACTIONS:
        month = this_month
        for _i in range(back):
            month = (month - dt.timedelta(days=1)).replace(day=1)
        action = action_create(
            by=manager,
            store=station,
            month=month,
            title=title,
            cause=cause,
            owner=ctx.users[owner],
            due_on=month + dt.timedelta(days=due),
        )
        if status != ActionStatus.OPEN:
            action_update(by=manager, action=action, status=status, outcome=outcome)
        ctx.count(True)
