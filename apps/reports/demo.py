"""Demo weekly reports: last week's report of the business hall, submitted and waiting for the
admin's review. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from .models import WeeklyReport
from .selectors import week_start
from .services import report_save, report_submit


def seed(ctx) -> None:
    hall, manager = ctx.stores.get("hall-central"), ctx.users.get("manager")
    if hall is None or manager is None:
        return
    monday = week_start(timezone.localdate()) - dt.timedelta(days=7)
    if WeeklyReport.objects.filter(store=hall, week_start=monday).exists():
        return
    report = report_save(
        by=manager,
        store=hall,
        monday=monday,
        summary="本周受理投诉均在两日内答复；周三高峰时段排队较长，已增开一个台席。",
        plans="周六前完成新业务培训；跟进两位 VIP 客户的回访。",
    )
    report_submit(by=manager, report=report)
    ctx.count(True)
