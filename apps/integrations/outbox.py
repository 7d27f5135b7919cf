"""Delivering the outbox: at least once, with exponential backoff.

A delivery is claimed in a short transaction (`FOR UPDATE SKIP LOCKED`) that pushes its
`next_attempt_at` out by a lease, then sent with no lock or transaction held, then its outcome is
recorded. A worker that dies mid-send leaves the row pending: it is sent again when the lease runs
out (the receiver drops the repeat by its `Idempotency-Key`). A failure waits
`BACKOFF_BASE * 2 ** (attempts - 1)` (at most `BACKOFF_CAP`) and gives up after `MAX_ATTEMPTS`; an
admin may retry a delivery by hand from its endpoint's page.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections import Counter

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.chat_robots import robot_notify
from apps.notifications.events import EVENTS

from . import transport
from .models import Delivery, DeliveryStatus, Endpoint
from .signing import EVENT_HEADER, IDEMPOTENCY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signature

log = logging.getLogger(__name__)
LEASE = dt.timedelta(minutes=5)
BACKOFF_BASE = dt.timedelta(minutes=1)
BACKOFF_CAP = dt.timedelta(hours=6)
MAX_ATTEMPTS = 8


def backoff(attempts: int) -> dt.timedelta:
    """How long to wait after the `attempts`-th failed attempt: 1, 2, 4, 8 … minutes, at most 6 h."""
    return min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_CAP)


def body_of(delivery: Delivery) -> bytes:
    """The JSON body: the same bytes on every attempt."""
    return json.dumps(delivery.payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def webhook_headers(
    endpoint: Endpoint, delivery: Delivery, body: bytes, *, now: dt.datetime
) -> dict[str, str]:
    timestamp = int(now.timestamp())
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "DutyDesk-Webhooks/1",
        EVENT_HEADER: delivery.event,
        IDEMPOTENCY_HEADER: str(delivery.idempotency_key),
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(endpoint.secret, timestamp=timestamp, body=body),
    }


def robot_message(delivery: Delivery) -> tuple[str, str]:
    """The group message: the event and the store as the title, the matter and its link below."""
    payload = delivery.payload
    data = payload.get("data", {})
    store = payload.get("store", {}).get("name", "")
    title = f"{EVENTS.get(delivery.event, delivery.event)} · {store}"
    lines: list[str] = []
    ticket = data.get("ticket")
    if ticket:
        lines.append(f"{ticket.get('number', '')} {ticket.get('title', '')}")
        if data.get("escalated_to"):
            lines.append(_("Escalated to %(people)s") % {"people": "、".join(data["escalated_to"])})
        url = ticket.get("url", "")
    elif data.get("failure"):
        failure, run = data["failure"], data.get("run", {})
        lines.append(f"{failure.get('item', '')}: {failure.get('note', '')} ({failure.get('raised_by', '')})")
        url = run.get("url", "")
    elif data.get("handover"):
        handover = data["handover"]
        lines.append(
            f"{handover.get('counter', '')} · {handover.get('outgoing', '')} → {handover.get('incoming', '')}"
        )
        lines.extend(
            f"{d.get('item', '')}: {d.get('counted', '')} / {d.get('expected', '')} ({d.get('difference', '')}) "
            f"{d.get('explanation', '')}".rstrip()
            for d in handover.get("differences", [])
        )
        url = handover.get("url", "")
    else:
        url = ""
    if url:
        lines.append(url)
    return title, "\n".join(lines)


def _send(delivery: Delivery, *, now: dt.datetime) -> int | None:
    """Send once; the HTTP status of a webhook (None for a robot); raises when it could not be sent."""
    endpoint = delivery.endpoint
    if endpoint.is_webhook:
        body = body_of(delivery)
        return transport.post(
            endpoint.url, body=body, headers=webhook_headers(endpoint, delivery, body, now=now)
        )
    with translation.override(settings.LANGUAGE_CODE):
        title, text = robot_message(delivery)
    robot_notify(endpoint.url, title=title, body=text)
    return None


def _claim(now: dt.datetime) -> Delivery | None:
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "pk")
            .first()
        )
        if delivery is None:
            return None
        delivery.next_attempt_at = now + LEASE
        delivery.save(update_fields=["next_attempt_at"])
    return Delivery.objects.select_related("endpoint__store").get(pk=delivery.pk)


def delivery_attempt(delivery: Delivery, *, now: dt.datetime) -> str:
    """One attempt at a claimed delivery; records and returns its outcome."""
    code: int | None = None
    error = ""
    if not delivery.endpoint.is_active:
        error = _("The endpoint is switched off.")
    else:
        try:
            code = _send(delivery, now=now)
        except Exception as exc:  # a receiver that is down, refuses, or times out: try again later
            error = f"{exc.__class__.__name__}: {exc}"
        else:
            if code is not None and not 200 <= code < 300:
                error = f"HTTP {code}"
    with transaction.atomic():
        row = Delivery.objects.select_for_update().get(pk=delivery.pk)
        row.attempts += 1
        row.last_attempt_at = now
        row.response_code = code
        row.last_error = error[:300]
        if not error:
            row.status = DeliveryStatus.DELIVERED
            row.delivered_at = now
            row.next_attempt_at = None
        elif row.attempts >= MAX_ATTEMPTS or not delivery.endpoint.is_active:
            row.status = DeliveryStatus.FAILED
            row.next_attempt_at = None
        else:
            row.next_attempt_at = now + backoff(row.attempts)
        row.save()
    if error:
        log.warning("integrations: delivery %s (%s) failed: %s", row.pk, row.event, error[:200])
    return row.status


def outbox_deliver(*, now: dt.datetime | None = None, limit: int = 100) -> dict[str, int]:
    """Send up to `limit` due deliveries; counts by outcome (the beat job, every minute)."""
    now = now or timezone.now()
    counts: Counter[str] = Counter()
    for _i in range(limit):
        delivery = _claim(now)
        if delivery is None:
            break
        counts[delivery_attempt(delivery, now=now)] += 1
    if counts:
        log.info("integrations: outbox %s", dict(counts))
    return dict(counts)
