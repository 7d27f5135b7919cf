"""What the handovers app prints into other documents: its section of checklists' 日清日结 report."""

from __future__ import annotations

import datetime as dt

from apps.checklists.closing_report import ClosingSection
from apps.org.models import Store

from .selectors import handovers_of_the_day


def closing_report_section(*, store: Store, day: dt.date) -> ClosingSection:
    """The day's handovers of the store and every counted difference."""
    handovers, differences = handovers_of_the_day(store=store, day=day)
    return ClosingSection(
        template="handovers/pdf/_closing_report_section.html",
        context={"handovers": handovers, "differences": differences},
    )
