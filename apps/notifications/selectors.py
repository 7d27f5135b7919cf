"""Reads of the inbox: always the signed-in person's own notifications."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from apps.org.models import User

from .models import Notification


def unread_count(*, user: User) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def inbox_for(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs


def notification_get_for(*, user: User, pk: int) -> Notification:
    """The user's own notification; anyone else's answers 404."""
    return get_object_or_404(Notification, pk=pk, recipient=user)
