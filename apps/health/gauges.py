"""DutyDesk's own gauges: what an operator watches, registered by the app that owns the rows.

An app registers a gauge in its `AppConfig.ready()` (the health app sits below every app, so it
cannot import them): `register_gauge("reminders_due", _("..."), fn)`, where `fn()` returns a number
read from the database when `/metrics` or `/healthz` asks. A gauge with `unhealthy_above` also makes
`/healthz` answer 503 while its value is past that limit (a worker that has fallen behind).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class GaugeSpec:
    name: str
    help: str  # English: for operators and Prometheus, not translated
    read: Callable[[], float]
    unhealthy_above: Callable[[], float | None] | None = None  # read at check time (settings may change)


_GAUGES: dict[str, GaugeSpec] = {}


def register_gauge(
    name: str,
    help: str,
    read: Callable[[], float],
    *,
    unhealthy_above: Callable[[], float | None] | None = None,
) -> None:
    _GAUGES[name] = GaugeSpec(name, help, read, unhealthy_above)


def gauges() -> list[GaugeSpec]:
    return sorted(_GAUGES.values(), key=lambda g: g.name)


def read_gauges() -> list[tuple[GaugeSpec, float | Exception]]:
    """Every gauge read now: its value, or the exception that reading it raised."""
    out: list[tuple[GaugeSpec, float | Exception]] = []
    for spec in gauges():
        try:
            out.append((spec, float(spec.read())))
        except Exception as exc:
            out.append((spec, exc))
    return out
