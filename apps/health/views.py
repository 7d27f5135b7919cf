from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .gauges import read_gauges
from .models import Heartbeat
from .services import broker_reachable, database_reachable


def _lag() -> tuple[dict[str, float | str], list[str]]:
    """Every registered gauge's value, and the names of those past their limit."""
    values: dict[str, float | str] = {}
    behind: list[str] = []
    for spec, value in read_gauges():
        if isinstance(value, Exception):
            values[spec.name] = value.__class__.__name__
            continue
        values[spec.name] = value
        limit = spec.unhealthy_above() if spec.unhealthy_above else None
        if limit is not None and value > limit:
            behind.append(spec.name)
    return values, behind


@never_cache
@require_GET
def healthz(request):
    db_ok, db_detail = database_reachable()
    broker_ok, broker_detail = broker_reachable()
    beat: dict[str, object] | None = None
    lag: dict[str, float | str] = {}
    behind: list[str] = []
    if db_ok:
        hb = Heartbeat.objects.filter(name="beat").first()
        beat = {"last_seen": hb.last_seen.isoformat(), "count": hb.count} if hb else None
        lag, behind = _lag()
    ok = db_ok and broker_ok and not behind
    body = {
        "status": "ok" if ok else "unavailable",
        "database": db_detail,
        "broker": broker_detail,
        "heartbeat": beat,
        "lag": lag,
        "behind": behind,
    }
    return JsonResponse(body, status=200 if ok else 503)
