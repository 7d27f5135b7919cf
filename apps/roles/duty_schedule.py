"""When a duty is done, read from its words: the part of the shift (班前 / 班中 / 班后) and, for a
weekly or monthly duty, the day (每周六, 每月5日, 月底).

The frequency itself is stored on the duty (`DutyTask.frequency`); these words only place it. A duty
that names no part of the shift, nor its area, is done during business (班中); a weekly duty that
names no weekday falls on Monday, a monthly one that names no day on the 1st.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .models import Frequency
from .reading.classify import phase_of

WEEKDAY_RE = re.compile(r"(?:每周|每星期|每礼拜|周|星期|礼拜)([一二三四五六日天1-7])")
WEEKDAY_NUMBERS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "日": 7, "天": 7}
MONTH_DAY_RE = re.compile(r"每月\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*[日号]")
MONTH_END_RE = re.compile(r"月底|月末")
CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# The duty's day of the month when it says 月底: the template's last-day rule takes it from there.
LAST_DAY = 31
# A weekly duty that is a report to the superior is ticked by the store's weekly report.
REPORT_RE = re.compile(r"周报|工作总结|投诉报告|周总结")


@dataclass(frozen=True)
class DutySchedule:
    frequency: str
    phase: str  # opening / during / closing (the values of checklists.Phase)
    weekday: int | None  # ISO weekday of a weekly duty
    month_day: int | None  # day of the month of a monthly duty
    is_weekly_report: bool = False


def _chinese_number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + CHINESE_DIGITS.get(text[1:], 0)
    if "十" in text:
        tens, _sep, ones = text.partition("十")
        return CHINESE_DIGITS.get(tens, 0) * 10 + (CHINESE_DIGITS.get(ones, 0) if ones else 0)
    return CHINESE_DIGITS.get(text)


def weekday_of(text: str) -> int | None:
    m = WEEKDAY_RE.search(text)
    if not m:
        return None
    value = m.group(1)
    return int(value) if value.isdigit() else WEEKDAY_NUMBERS[value]


def month_day_of(text: str) -> int | None:
    m = MONTH_DAY_RE.search(text)
    if m:
        day = _chinese_number(m.group(1))
        return day if day and 1 <= day <= 31 else None
    if MONTH_END_RE.search(text):
        return LAST_DAY
    if "月初" in text:
        return 1
    return None


def duty_schedule(*, text: str, frequency: str, area: str = "") -> DutySchedule:
    """Where a duty goes: its phase (its own words first, then its area's name, else 班中) and day."""
    phase = phase_of(text) or phase_of(area) or "during"
    weekday = month_day = None
    if frequency == Frequency.WEEKLY:
        weekday = weekday_of(text) or 1
    elif frequency == Frequency.MONTHLY:
        month_day = month_day_of(text) or 1
    return DutySchedule(
        frequency=frequency,
        phase=phase,
        weekday=weekday,
        month_day=month_day,
        is_weekly_report=frequency == Frequency.WEEKLY and bool(REPORT_RE.search(text)),
    )
