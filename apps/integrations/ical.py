"""iCalendar (RFC 5545) written by hand: text escaped (backslash, semicolon, comma, newlines),
lines folded at 75 octets without splitting a UTF-8 character, CRLF line ends, times in UTC."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

PRODID = "-//DutyDesk//Calendar feed//ZH"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    summary: str
    start: dt.datetime | dt.date
    end: dt.datetime | dt.date  # exclusive; a date for all-day events
    description: str = ""
    location: str = ""
    url: str = ""


def escape_text(value: str) -> str:
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    # Other control characters are not allowed in a TEXT value (RFC 5545 3.3.11).
    return "".join(ch for ch in value if ch == "\t" or ord(ch) >= 32 and ord(ch) != 127)


def fold(line: str, limit: int = 75) -> str:
    """One content line folded into lines of at most `limit` octets (continuations start with a space)."""
    out: list[str] = []
    current, size = "", 0
    for ch in line:
        width = len(ch.encode())
        budget = limit if not out else limit - 1
        if size + width > budget:
            out.append(current)
            current, size = "", 0
        current += ch
        size += width
    out.append(current)
    return "\r\n ".join(out)


def _when(value: dt.datetime | dt.date) -> tuple[str, str]:
    """(parameters, value) of a DTSTART / DTEND."""
    if isinstance(value, dt.datetime):
        return "", value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return ";VALUE=DATE", value.strftime("%Y%m%d")


def calendar(events: list[CalendarEvent], *, name: str, now: dt.datetime) -> str:
    stamp = now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for event in events:
        start_params, start = _when(event.start)
        end_params, end = _when(event.end)
        lines += [
            "BEGIN:VEVENT",
            f"UID:{escape_text(event.uid)}",
            f"DTSTAMP:{stamp}",
            f"DTSTART{start_params}:{start}",
            f"DTEND{end_params}:{end}",
            f"SUMMARY:{escape_text(event.summary)}",
        ]
        if event.description:
            lines.append(f"DESCRIPTION:{escape_text(event.description)}")
        if event.location:
            lines.append(f"LOCATION:{escape_text(event.location)}")
        if event.url:
            lines.append("URL:" + "".join(ch for ch in event.url if ord(ch) > 32 and ord(ch) != 127))
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
