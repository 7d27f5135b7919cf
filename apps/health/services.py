from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import Heartbeat


@transaction.atomic
def heartbeat_record(*, name: str = "beat") -> Heartbeat:
    now = timezone.now()
    updated = Heartbeat.objects.filter(name=name).update(last_seen=now, count=F("count") + 1)
    if not updated:
        Heartbeat.objects.get_or_create(name=name, defaults={"last_seen": now, "count": 1})
    return Heartbeat.objects.get(name=name)


def broker_reachable(timeout: float = 2.0) -> tuple[bool, str]:
    """Open a connection to the Celery broker (Redis, or the embedded filesystem transport)."""
    from django.conf import settings

    from config.celery_app import app

    try:
        with app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
            conn.default_channel  # noqa: B018 - opening the channel is the check
        return True, "ok"
    except Exception as exc:  # any failure means "not reachable"
        return False, exc.__class__.__name__


def database_reachable() -> tuple[bool, str]:
    from django.db import connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True, "ok"
    except Exception as exc:
        return False, exc.__class__.__name__
