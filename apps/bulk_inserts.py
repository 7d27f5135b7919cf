"""Many rows into one table in one statement, without building a model object per row.

For batch jobs that write thousands of rows a second (reminder dispatch): `bulk_create` spends
most of its time building and preparing model instances. `rows_insert` takes plain column values.
On PostgreSQL it sends one `INSERT … SELECT FROM unnest(<one array per column>)`, each array
written as its text literal (psycopg's generic list adapter costs more than the insert itself);
elsewhere an `executemany`. Values go in as they are: the caller fills every column (defaults,
`auto_now_add`) and keeps to the fields' lengths.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

from django.db import connections, models


def rows_insert(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Sequence[Sequence],
    *,
    ignore_conflicts: bool = False,
    using: str = "default",
) -> None:
    """Insert `rows` (tuples in the order of `columns`, the fields' attnames) into `model`'s table.
    A row that breaks a unique constraint fails the statement, unless `ignore_conflicts`."""
    if not rows:
        return
    connection = connections[using]
    qn = connection.ops.quote_name
    fields = [model._meta.get_field(c) for c in columns]
    names = ", ".join(qn(f.column) for f in fields)
    table = qn(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            arrays = ", ".join(f"%s::{_array_type(f, connection)}" for f in fields)
            conflict = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
            cursor.execute(
                f"INSERT INTO {table} ({names}) SELECT * FROM unnest({arrays}){conflict}",
                [_array_literal(column) for column in zip(*rows, strict=True)],
            )
        else:
            verb = "INSERT OR IGNORE" if ignore_conflicts else "INSERT"
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(
                f"{verb} INTO {table} ({names}) VALUES ({marks})",
                [
                    [
                        f.get_db_prep_value(v, connection, prepared=False)
                        for f, v in zip(fields, row, strict=True)
                    ]
                    for row in rows
                ],
            )


def _element(value) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dict | list):  # a JSONField's value
        value = json.dumps(value, ensure_ascii=False)
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _array_literal(values) -> str:
    """A PostgreSQL array literal: {1,NULL,"text with \\"quotes\\""}."""
    kinds = set(map(type, values))
    if kinds <= {int, type(None)}:  # ids: the common column, without a call per element
        return "{" + ",".join(["NULL" if v is None else str(v) for v in values]) + "}"
    if all(issubclass(kind, str) for kind in kinds):  # text, choices
        return '{"' + '","'.join([v.replace("\\", "\\\\").replace('"', '\\"') for v in values]) + '"}'
    try:
        distinct = set(values)
    except TypeError:  # a JSONField's dicts and lists: written one by one
        return "{" + ",".join(map(_element, values)) + "}"
    if len(kinds - {type(None)}) == 1 and len(distinct) * 4 <= len(values):
        # few values repeated (a batch's timestamp, a channel, a status): each written once
        written = {value: _element(value) for value in distinct}
        return "{" + ",".join([written[value] for value in values]) + "}"
    return "{" + ",".join(map(_element, values)) + "}"


def _array_type(field: models.Field, connection) -> str:
    db_type = field.target_field.db_type(connection) if field.is_relation else field.db_type(connection)
    # serial types are column defaults, not types
    db_type = {"serial": "integer", "bigserial": "bigint", "smallserial": "smallint"}.get(db_type, db_type)
    return f"{db_type}[]"
