"""Batch inserts: the array literals written for PostgreSQL, whatever the column's values."""

import datetime as dt

import pytest

from apps.bulk_inserts import _array_literal, _element
from apps.followups.models import SendLog

NOW = dt.datetime(2026, 11, 29, 17, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    "values",
    [
        [1, 2, None, 40],
        ["plain", 'with "quotes"', "back\\slash", "", "中文"],
        [SendLog.ChannelKind.INAPP, SendLog.ChannelKind.EMAIL, "text"],
        [NOW, NOW, NOW],
        [NOW, None, NOW],
        [NOW] * 7 + [None] * 5,
        ["queued"] * 6 + [SendLog.Status.SENT] * 6,
        [1, 1, 1, 1, 1, 2, None, None],
        [True, False, None],
        [None, None],
        [dt.date(2026, 1, 1), "x", 3, None],
    ],
)
def test_array_literal_quotes_every_kind_of_column_like_one_element_at_a_time(values):
    assert _array_literal(values) == "{" + ",".join(map(_element, values)) + "}"


def test_array_literal_escapes_quotes_and_backslashes():
    assert _array_literal(['a"b', "c\\d"]) == '{"a\\"b","c\\\\d"}'


def test_an_array_of_json_values_is_written_one_by_one():
    """A JSONField's values (dicts, as a notification's message parameters) cannot be counted as
    repeated values: each is written as its own JSON text."""
    from apps.bulk_inserts import _array_literal

    literal = _array_literal([{"a": 1}, {"a": 1}, None, {"b": "x"}])
    assert literal == '{"{\\"a\\": 1}","{\\"a\\": 1}",NULL,"{\\"b\\": \\"x\\"}"}'
