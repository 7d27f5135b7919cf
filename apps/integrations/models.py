"""Doors to the systems an outlet already has: endpoints that hear a store's events (a signed JSON
webhook, a WeCom or DingTalk group robot), the outbox of their deliveries, and personal calendar
feeds."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.notifications.events import (
    CHECKLIST_ITEM_FAILED,
    EVENTS,
    HANDOVER_SIGNED_WITH_DIFFERENCE,
    TICKET_ESCALATED,
)
from apps.org.access import ScopedQuerySet
from apps.org.models import Store


class EndpointKind(models.TextChoices):
    WEBHOOK = "webhook", _("Webhook (signed JSON)")
    WECOM = "wecom", _("WeCom group robot")
    DINGTALK = "dingtalk", _("DingTalk group robot")


# What a chat group hears: the matters a manager acts on at once. Webhooks may hear every event.
ROBOT_EVENTS = (TICKET_ESCALATED, CHECKLIST_ITEM_FAILED, HANDOVER_SIGNED_WITH_DIFFERENCE)


def events_for_kind(kind: str) -> list[str]:
    return list(EVENTS) if kind == EndpointKind.WEBHOOK else list(ROBOT_EVENTS)


class Endpoint(models.Model):
    """Where a store's events go. A webhook's secret signs every body (HMAC-SHA256); it is kept to
    sign with, shown once when made or rotated, and never copied into the history."""

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+", verbose_name=_("store"))
    kind = models.CharField(_("kind"), max_length=10, choices=EndpointKind, default=EndpointKind.WEBHOOK)
    name = models.CharField(_("name"), max_length=80)
    url = models.CharField(_("address"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=80, blank=True)
    events = models.JSONField(_("events"), default=list)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    secret_rotated_at = models.DateTimeField(_("secret rotated at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["secret"])

    class Meta:
        verbose_name = _("integration endpoint")
        verbose_name_plural = _("integration endpoints")
        ordering = ["store", "name", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("integrations:detail", args=[self.pk])

    @property
    def is_webhook(self) -> bool:
        return self.kind == EndpointKind.WEBHOOK

    @property
    def shown_url(self) -> str:
        """A robot's address carries its token: only the start and the last four characters are shown."""
        if self.is_webhook:
            return self.url
        scheme, _sep, rest = self.url.partition("://")
        return f"{scheme}://…{rest[-4:]}" if len(rest) > 8 else f"{scheme}://…"

    def event_labels(self) -> list[str]:
        return [str(EVENTS[e]) for e in self.events if e in EVENTS]


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Given up")


class DeliveryQuerySet(ScopedQuerySet):
    store_lookup = "endpoint__store"


class Delivery(models.Model):
    """One event for one endpoint (the outbox row), written in the transaction of the event and
    delivered at least once afterwards; `idempotency_key` is the same on every attempt, so a
    receiver drops the repeats."""

    endpoint = models.ForeignKey(
        Endpoint, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("endpoint")
    )
    event = models.CharField(_("event"), max_length=40)
    key = models.CharField(_("occurrence"), max_length=200)
    idempotency_key = models.UUIDField(_("idempotency key"), default=uuid.uuid4, unique=True, editable=False)
    payload = models.JSONField(_("payload"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    response_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"))
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event", "key"], name="integrations_delivery_once")
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="integrations_delivery_due")]

    def __str__(self):
        return f"{self.event} → {self.endpoint}"


class CalendarFeed(models.Model):
    """A person's secret calendar address. Only the token's SHA-256 is kept: the address is shown
    once; a new one replaces it, and revoking deletes it (the old address answers 404)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.user)
