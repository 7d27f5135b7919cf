"""Reads of the integrations app: the endpoints and deliveries an admin may see, and a person's
calendar feed (its owner by token, its events)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.followups.selectors import calls_due_for
from apps.org.access import stores_where
from apps.org.models import Store, User
from apps.roster.selectors import shift_bounds, shifts_of_user

from .ical import CalendarEvent
from .models import CalendarFeed, Delivery, DeliveryStatus, Endpoint
from .services import token_hash

PERM = "integrations.manage"
FEED_DAYS_BACK = 7
FEED_DAYS_AHEAD = 60


def integration_stores_for(*, user) -> QuerySet[Store]:
    return stores_where(user, PERM).order_by("name")


def endpoints_for(*, user) -> QuerySet[Endpoint]:
    return Endpoint.objects.for_perm(user, PERM).select_related("store").order_by("store__name", "name", "pk")


def endpoint_get_for(*, user, pk: int) -> Endpoint:
    return get_object_or_404(Endpoint.objects.for_perm(user, PERM).select_related("store"), pk=pk)


def deliveries_of(*, endpoint: Endpoint, status: str = "") -> QuerySet[Delivery]:
    rows = Delivery.objects.filter(endpoint=endpoint)
    if status in DeliveryStatus.values:
        rows = rows.filter(status=status)
    return rows.order_by("-created_at", "-pk")


def delivery_get_for(*, user, endpoint_pk: int, pk: int) -> Delivery:
    return get_object_or_404(
        Delivery.objects.for_perm(user, PERM).select_related("endpoint__store"),
        endpoint_id=endpoint_pk,
        pk=pk,
    )


def deliveries_waiting_count() -> int:
    return Delivery.objects.filter(status=DeliveryStatus.PENDING).count()


def calendar_feed_of(*, user) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user).first()


def calendar_feed_owner(*, token: str) -> User | None:
    """The active person whose feed this token opens, or None (unknown, revoked or replaced)."""
    if not token or len(token) > 100:
        return None
    feed = CalendarFeed.objects.filter(token_hash=token_hash(token)).select_related("user").first()
    if feed is None or not feed.user.is_active:
        return None
    return feed.user


def calendar_events_for(*, user, today: dt.date | None = None) -> list[CalendarEvent]:
    """The person's roster shifts and follow-up calls due, a week back and two months ahead."""
    today = today or timezone.localdate()
    start, end = today - dt.timedelta(days=FEED_DAYS_BACK), today + dt.timedelta(days=FEED_DAYS_AHEAD)
    site = settings.SITE_URL.rstrip("/")
    host = site.split("://", 1)[-1].split("/", 1)[0] or "dutydesk"
    events: list[CalendarEvent] = []
    for shift in shifts_of_user(user=user, start=start, end=end):
        begins, ends = shift_bounds(shift)
        events.append(
            CalendarEvent(
                uid=f"shift-{shift.pk}@{host}",
                summary=_("Shift: %(shift)s") % {"shift": shift.shift_type.name},
                start=begins,
                end=ends,
                description=shift.note,
                location=shift.store.name,
            )
        )
    for followup in calls_due_for(user=user, start=start, end=end):
        url = site + followup.get_absolute_url()
        summary = _("Follow-up call: %(customer)s") % {"customer": followup.customer.name}
        description = f"{followup.rule.name} · {followup.reason}"
        if followup.next_attempt_at:
            events.append(
                CalendarEvent(
                    uid=f"followup-{followup.pk}-{int(followup.next_attempt_at.timestamp())}@{host}",
                    summary=summary,
                    start=followup.next_attempt_at,
                    end=followup.next_attempt_at + dt.timedelta(minutes=15),
                    description=description,
                    location=followup.store.name,
                    url=url,
                )
            )
        else:
            events.append(
                CalendarEvent(
                    uid=f"followup-{followup.pk}@{host}",
                    summary=summary,
                    start=followup.window_start,
                    end=followup.window_end + dt.timedelta(days=1),
                    description=description,
                    location=followup.store.name,
                    url=url,
                )
            )
    return events
