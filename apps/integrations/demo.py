"""Demo endpoints: the hall's CRM webhook with one delivery that gave up, and the station's WeCom
group robot. Written directly (the demo's addresses do not resolve, and nothing is sent). Idempotent."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from apps.notifications.events import TICKET_CREATED, TICKET_ESCALATED

from .models import ROBOT_EVENTS, Delivery, DeliveryStatus, Endpoint, EndpointKind
from .signing import new_secret


def seed(ctx) -> None:
    hall, station, admin = (
        ctx.stores.get("hall-central"),
        ctx.stores.get("station-east"),
        ctx.users.get("admin"),
    )
    if hall is None or Endpoint.objects.filter(store=hall).exists():
        return
    now = timezone.now()
    crm = Endpoint.objects.create(
        store=hall,
        kind=EndpointKind.WEBHOOK,
        name="CRM",
        url="https://crm.example.com/hooks/dutydesk",
        secret=new_secret(),
        events=[TICKET_CREATED, TICKET_ESCALATED],
        created_by=admin,
    )
    delivery = Delivery(
        endpoint=crm,
        event=TICKET_CREATED,
        key="demo",
        created_at=now - dt.timedelta(hours=3),
        status=DeliveryStatus.FAILED,
        attempts=8,
        last_attempt_at=now - dt.timedelta(minutes=10),
        response_code=503,
        last_error="HTTP 503",
    )
    delivery.payload = {
        "id": str(delivery.idempotency_key),
        "event": TICKET_CREATED,
        "occurred_at": delivery.created_at.isoformat(),
        "store": {"id": hall.pk, "code": hall.code, "name": hall.name},
        "data": {},
    }
    delivery.save()
    ctx.count(True)
    if station is not None:
        Endpoint.objects.create(
            store=station,
            kind=EndpointKind.WECOM,
            name="售后群",
            url="wecombot://demo0000demo0000demo0000demo0000",
            events=list(ROBOT_EVENTS),
            created_by=admin,
        )
        ctx.count(True)
