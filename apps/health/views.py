from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .models import Heartbeat
from .services import broker_reachable, database_reachable


@never_cache
@require_GET
def healthz(request):
    db_ok, db_detail = database_reachable()
    broker_ok, broker_detail = broker_reachable()
    beat = None
    if db_ok:
        hb = Heartbeat.objects.filter(name="beat").first()
        beat = {"last_seen": hb.last_seen.isoformat(), "count": hb.count} if hb else None
    ok = db_ok and broker_ok
    body = {
        "status": "ok" if ok else "unavailable",
        "database": db_detail,
        "broker": broker_detail,
        "heartbeat": beat,
    }
    return JsonResponse(body, status=200 if ok else 503)
