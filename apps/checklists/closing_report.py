"""Sections other apps add to the 日清日结 report (closing report) of a store's day.

Checklists prints the day's runs and failed items; an app above it (handovers) registers a section
in its AppConfig.ready(), so that the report shows its records without checklists reading its tables:

    from apps.checklists.closing_report import ClosingSection, register_section

    def handovers_of_the_day(*, store, day):
        return ClosingSection(template="handovers/pdf/_closing_report_section.html", context={...})

    register_section("handovers", handovers_of_the_day)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ClosingSection:
    template: str  # included in the report's PDF with `section` in its context
    context: dict = field(default_factory=dict)


_sections: dict[str, Callable[..., ClosingSection]] = {}


def register_section(name: str, provider: Callable[..., ClosingSection]) -> None:
    _sections[name] = provider


def closing_sections_for(*, store, day: dt.date) -> list[ClosingSection]:
    return [_sections[name](store=store, day=day) for name in sorted(_sections)]
