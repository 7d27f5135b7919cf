"""Excel (.xlsx) in and out, shared by every app that exports or imports a sheet.

- `safe_cell(value)`: text a spreadsheet would run as a formula (= + - @, tab, CR) gets a leading
  apostrophe, so an exported cell is always shown as text; `cell_text(value)` reads a cell back as
  text, dropping that apostrophe again (an exported sheet imports unchanged).
- `cell_date(value)`: a date cell, or text as YYYY-MM-DD / YYYY/MM/DD; ValueError otherwise.
- `xlsx_response(content, filename)`: the download; `table_response(title=, headers=, rows=, filename=)`
  writes one sheet of rows (every cell through `safe_cell`) and answers its download. A list export
  stops at `EXPORT_MAX_ROWS` rows.
"""

from __future__ import annotations

import datetime as dt
import io

from django.http import HttpResponse
from django.utils.encoding import escape_uri_path

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXPORT_MAX_ROWS = 10_000


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        text = text[1:].strip()
    return text


def cell_date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(cell_text(value).replace("/", "-"))


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(filename)}"
    return response


def table_response(*, title: str, headers: list[str], rows, filename: str) -> HttpResponse:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31])
    ws.append([safe_cell(h) for h in headers])
    for row in rows:
        ws.append([safe_cell(v) for v in row])
    buffer = io.BytesIO()
    wb.save(buffer)
    return xlsx_response(buffer.getvalue(), filename)
