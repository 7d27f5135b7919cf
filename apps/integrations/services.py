"""Writes of the integrations app: endpoints (made, changed, secret rotated, switched off), the
outbox rows every published event leaves (`event_record`, called inside the event's transaction),
a delivery retried by hand, and personal calendar feeds."""

from __future__ import annotations

import hashlib
import logging
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.chat_robots import robot_url_problem
from apps.org.access import require
from apps.org.models import Store, User

from .addresses import webhook_url_problem
from .models import CalendarFeed, Delivery, DeliveryStatus, Endpoint, EndpointKind, events_for_kind
from .signing import new_secret

log = logging.getLogger(__name__)
ROBOT_SCHEME = {EndpointKind.WECOM: "wecombot", EndpointKind.DINGTALK: "dingtalk"}


def endpoint_problems(*, kind: str, url: str, events: list[str]) -> dict[str, str]:
    """What is wrong with an endpoint's settings, by field (empty when nothing is)."""
    problems: dict[str, str] = {}
    if kind not in EndpointKind.values:
        problems["kind"] = _("Choose a kind.")
        return problems
    problem = (
        webhook_url_problem(url)
        if kind == EndpointKind.WEBHOOK
        else robot_url_problem(url, scheme=ROBOT_SCHEME[EndpointKind(kind)])
    )
    if problem:
        problems["url"] = problem
    allowed = events_for_kind(kind)
    if not events:
        problems["events"] = _("Choose at least one event.")
    elif any(e not in allowed for e in events):
        problems["events"] = _(
            "A group robot hears escalations, failed checklist items and handover differences only."
        )
    return problems


def _check(*, kind: str, url: str, events: list[str]) -> None:
    problems = endpoint_problems(kind=kind, url=url, events=events)
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def endpoint_create(
    *, store: Store, kind: str, name: str, url: str, events: list[str], by: User
) -> tuple[Endpoint, str]:
    """A new endpoint and, for a webhook, its signing secret (shown to the admin once)."""
    require(by, "integrations.manage", store)
    url = url.strip()
    _check(kind=kind, url=url, events=events)
    secret = new_secret() if kind == EndpointKind.WEBHOOK else ""
    endpoint = Endpoint.objects.create(
        store=store,
        kind=kind,
        name=name.strip(),
        url=url,
        secret=secret,
        events=[e for e in events_for_kind(kind) if e in events],
        created_by=by,
    )
    return endpoint, secret


@transaction.atomic
def endpoint_update(
    *, endpoint: Endpoint, name: str, url: str, events: list[str], is_active: bool, by: User
) -> Endpoint:
    require(by, "integrations.manage", endpoint.store)
    url = url.strip()
    _check(kind=endpoint.kind, url=url, events=events)
    endpoint.name = name.strip()
    endpoint.url = url
    endpoint.events = [e for e in events_for_kind(endpoint.kind) if e in events]
    endpoint.is_active = is_active
    endpoint.save()
    return endpoint


@transaction.atomic
def endpoint_rotate_secret(*, endpoint: Endpoint, by: User) -> str:
    """A new signing secret; the old one stops signing at once (pending deliveries are signed with
    the new one when they go)."""
    require(by, "integrations.manage", endpoint.store)
    if not endpoint.is_webhook:
        raise ValidationError(_("Only a webhook has a signing secret."))
    endpoint.secret = new_secret()
    endpoint.secret_rotated_at = timezone.now()
    endpoint.save(update_fields=["secret", "secret_rotated_at"])
    return endpoint.secret


def _enqueue_delivery() -> None:
    from .tasks import outbox_deliver_task

    try:
        outbox_deliver_task.delay()
    except Exception:  # the broker is down: the beat job delivers within the minute
        log.warning("integrations: could not enqueue the outbox; the beat job will deliver it", exc_info=True)


def event_record(*, event: str, store: Store, key: str, payload: dict) -> int:
    """The subscriber of `apps.notifications.events`: one outbox row per active endpoint of the
    store that hears `event`, in the caller's transaction; the same occurrence (`key`) is kept
    once. Delivery starts when the transaction commits."""
    endpoints = [e for e in Endpoint.objects.filter(store=store, is_active=True) if event in e.events]
    if not endpoints:
        return 0
    now = timezone.now()
    rows = []
    for endpoint in endpoints:
        delivery = Delivery(
            endpoint=endpoint, event=event, key=key[:200], created_at=now, next_attempt_at=now
        )
        delivery.payload = {
            "id": str(delivery.idempotency_key),
            "event": event,
            "occurred_at": now.isoformat(),
            "store": {"id": store.pk, "code": store.code, "name": store.name},
            "data": payload,
        }
        rows.append(delivery)
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    transaction.on_commit(_enqueue_delivery)
    return len(rows)


@transaction.atomic
def delivery_retry(*, delivery: Delivery, by: User) -> Delivery:
    """Send a waiting or given-up delivery again now (same body, same idempotency key)."""
    delivery = Delivery.objects.select_for_update().select_related("endpoint__store").get(pk=delivery.pk)
    require(by, "integrations.manage", delivery.endpoint.store)
    if delivery.status == DeliveryStatus.DELIVERED:
        raise ValidationError(_("This delivery has already been received."))
    if not delivery.endpoint.is_active:
        raise ValidationError(_("Switch the endpoint on before retrying its deliveries."))
    delivery.status = DeliveryStatus.PENDING
    delivery.next_attempt_at = timezone.now()
    delivery.save(update_fields=["status", "next_attempt_at"])
    transaction.on_commit(_enqueue_delivery)
    return delivery


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_feed_issue(*, user: User) -> str:
    """A new secret calendar address for `user` (the token in it); any earlier address stops working."""
    if not user.is_authenticated or not user.is_active:
        raise ValidationError(_("Sign in first."))
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        user=user, defaults={"token_hash": token_hash(token), "issued_at": timezone.now()}
    )
    return token


@transaction.atomic
def calendar_feed_revoke(*, user: User) -> bool:
    deleted, _rows = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)
