"""The registry of what happens elsewhere when a weekly report is submitted.

    from apps.reports.submissions import register_on_submit

    def tick_report_duty(*, store_id, week_start, by_id, at) -> None: ...
    register_on_submit("checklists", tick_report_duty)

The listeners run inside the submission's transaction, so a duty is ticked with the report or not
at all. Apps to the right of reports (checklists: the weekly duty 每周六做好投诉报告与工作总结上传直管领导)
register here, because reports never imports them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

_listeners: dict[str, Callable[..., object]] = {}


def register_on_submit(key: str, fn: Callable[..., object]) -> None:
    _listeners[key] = fn


def report_submitted(*, store_id: int, week_start: dt.date, by_id: int, at: dt.datetime) -> None:
    for key in sorted(_listeners):
        _listeners[key](store_id=store_id, week_start=week_start, by_id=by_id, at=at)
