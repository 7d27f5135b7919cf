"""Cells that can never run as formulas, and that read back as they were written."""

import datetime as dt

import pytest

from apps.spreadsheets import cell_date, cell_text, safe_cell


@pytest.mark.parametrize("text", ["=1+1", "+86 138", "-检查消防器材", "@SUM(A1)", "\tx"])
def test_text_that_looks_like_a_formula_is_written_as_text_and_read_back_unchanged(text):
    assert safe_cell(text).startswith("'")
    assert cell_text(safe_cell(text)) == text.strip()


def test_ordinary_values_pass_untouched():
    assert safe_cell("营业员") == "营业员"
    assert safe_cell(12) == 12
    assert cell_text(3.0) == "3"
    assert cell_text("'ok") == "'ok"  # an apostrophe DutyDesk did not add stays


def test_dates_from_cells_and_text():
    assert cell_date(dt.datetime(2026, 3, 1, 9)) == dt.date(2026, 3, 1)
    assert cell_date("2026/03/01") == dt.date(2026, 3, 1)
    assert cell_date("") is None
    with pytest.raises(ValueError):
        cell_date("三月一日")
