"""Notification texts kept language-neutral: the English msgid and its parameters are stored, and
the text is translated into the reader's language each time it is shown.

    from django.utils.translation import gettext_noop
    notification_send(..., title=Message(gettext_noop("Overdue follow-up: %(customer)s"), customer=name))

`gettext_noop` marks the msgid for the catalogues without translating it at send time. Parameters
are data (names, numbers, dates), stored as they are and never translated.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext


def _plain(value):
    """What JSON keeps: numbers stay numbers (for %d), everything else becomes its text."""
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int | float):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return str(value)


def render(msgid: str, params: dict | None) -> str:
    """The msgid in the active language, filled with `params`; a translation that does not fit
    its parameters falls back to the English text rather than failing the page."""
    params = params or {}
    translated = gettext(msgid)
    try:
        return translated % params if params else translated
    except (KeyError, TypeError, ValueError):
        try:
            return msgid % params if params else msgid
        except (KeyError, TypeError, ValueError):
            return msgid


class Message:
    """A message to translate when it is read, not when it is sent."""

    __slots__ = ("msgid", "params")

    def __init__(self, msgid: str, /, **params):
        self.msgid = str(msgid)
        self.params = {key: _plain(value) for key, value in params.items()}

    def __str__(self) -> str:
        return render(self.msgid, self.params)

    def __repr__(self) -> str:
        return f"Message({self.msgid!r}, **{self.params!r})"
