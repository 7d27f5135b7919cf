"""Pay sheets as an Excel workbook with Chinese headers (cells that look like formulas are quoted)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from apps.spreadsheets import safe_cell


def pay_sheets_xlsx(sheets) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = _("Pay sheets")
    headers = [
        _("Month"),
        _("Store"),
        _("Person"),
        _("Position"),
        _("Base pay"),
        _("Output value"),
        _("Commission rate"),
        _("Performance score"),
        _("Daily incentives"),
        _("Minimum guarantee"),
        _("Pay"),
        _("State"),
        _("Note"),
    ]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for s in sheets:
        ws.append(
            [
                s.month.strftime("%Y-%m"),
                safe_cell(s.store.name),
                safe_cell(str(s.user)),
                safe_cell(s.scheme.position.title),
                float(s.base),
                float(s.output_value),
                float(s.commission_rate),
                float(s.score) if s.score is not None else None,
                float(s.incentives),
                float(s.minimum),
                float(s.amount),
                str(s.get_state_display()),
                safe_cell(s.note),
            ]
        )
    for col, width in zip("ABCDEFGHIJKLM", [10, 18, 12, 16, 10, 14, 10, 10, 10, 10, 12, 8, 24], strict=True):
        ws.column_dimensions[col].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
