"""The week's roster as an Excel workbook (formula-safe cells)."""

from __future__ import annotations

from io import BytesIO

from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from openpyxl import Workbook

from apps.spreadsheets import safe_cell

from .selectors import WeekGrid


def week_workbook(grid: WeekGrid) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = f"{grid.monday:%Y-%m-%d}"
    ws.append(
        [
            safe_cell(grid.store.name),
            safe_cell(_("Roster")),
            f"{grid.monday:%Y-%m-%d} – {grid.sunday:%Y-%m-%d}",
        ]
    )
    ws.append(
        [_("Person")]
        + [
            f"{d.date:%m-%d} {WEEKDAYS_ABBR[d.date.weekday()]}{' ' + d.holiday if d.holiday else ''}"
            for d in grid.days
        ]
        + [_("Hours")]
    )
    for row in grid.rows:
        cells = []
        for cell in row.cells:
            if cell.on_leave:
                cells.append(_("Leave"))
            elif cell.shift:
                t = cell.shift.shift_type
                cells.append(f"{t.name} {t.starts_at:%H:%M}-{t.ends_at:%H:%M}")
            else:
                cells.append("")
        ws.append([safe_cell(str(row.user))] + [safe_cell(c) for c in cells] + [round(row.hours, 1)])
    ws.column_dimensions["A"].width = 14
    for col in "BCDEFGH":
        ws.column_dimensions[col].width = 18
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
