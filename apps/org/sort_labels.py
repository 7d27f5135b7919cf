"""Labels of the sort options of a list's filter (django-filter's `OrderingFilter`), both ways,
translated whole: "创建时间（新→旧）", never the library's untranslated "创建 (descending)".

    o = OrderingFilter(fields=(("created_at", "created"),),
                       field_labels=sort_labels(("created_at", "created", _("Created"), DATE)))
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

StrOrPromise = str | Promise

TEXT, DATE, PLAIN = "text", "date", "plain"

WAYS = {
    TEXT: (_("{field} (A → Z)"), _("{field} (Z → A)")),
    DATE: (_("{field} (oldest first)"), _("{field} (newest first)")),
    PLAIN: (_("{field} (ascending)"), _("{field} (descending)")),
}


def sort_labels(*fields: tuple[str, str, StrOrPromise, str]) -> dict:
    """`field_labels` for an OrderingFilter from (model field, parameter, label, kind) tuples."""
    labels = {}
    for field, param, label, kind in fields:
        up, down = WAYS[kind]
        labels[field] = format_lazy(up, field=label)
        labels[f"-{param}"] = format_lazy(down, field=label)
    return labels
