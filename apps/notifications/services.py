"""Writes on the inbox: send (idempotent by key), mark read."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.org.models import Store, User

from .models import Level, Notification

TITLE_MAX = Notification._meta.get_field("title").max_length
URL_MAX = Notification._meta.get_field("url").max_length


def _row(*, recipient, key, title, url, body, store, level, source, store_id=None) -> Notification:
    if level not in Level.values:
        raise ValueError(f"unknown notification level: {level!r}")
    return Notification(
        recipient=recipient,
        key=key,
        title=str(title)[:TITLE_MAX],
        url=url[:URL_MAX] if url else "",
        body=str(body or ""),
        store_id=store.pk if store is not None else store_id,
        level=level,
        source=source,
    )


def notification_send(
    *,
    recipient: User,
    key: str,
    title: str,
    url: str = "",
    body: str = "",
    store: Store | None = None,
    level: str = Level.INFO,
    source: str = "",
) -> Notification | None:
    """Put one message in `recipient`'s inbox. A second send with the same key creates nothing
    and returns None. Safe inside an outer transaction: a duplicate only rolls back its savepoint,
    and the row commits or rolls back with the caller's transaction."""
    row = _row(
        recipient=recipient, key=key, title=title, url=url, body=body, store=store, level=level, source=source
    )
    try:
        with transaction.atomic():
            row.save(force_insert=True)
    except IntegrityError:
        if Notification.objects.filter(recipient=recipient, key=key).exists():
            return None
        raise
    return row


def notifications_send_many(
    *,
    recipients: Iterable[User],
    key: str,
    title: str,
    url: str = "",
    body: str = "",
    store: Store | None = None,
    level: str = Level.INFO,
    source: str = "",
) -> int:
    """The same message to several people in one INSERT; existing (recipient, key) rows are kept.
    Returns how many recipients were addressed."""
    rows = [
        _row(recipient=u, key=key, title=title, url=url, body=body, store=store, level=level, source=source)
        for u in {u.pk: u for u in recipients if u is not None}.values()
    ]
    return len(Notification.objects.bulk_create(rows, ignore_conflicts=True))


def notifications_send_batch(messages: Iterable[dict], *, batch_size: int = 1000) -> int:
    """Many different messages (each a dict of `notification_send`'s arguments, `store_id` allowed
    instead of `store`) in few INSERTs,
    for batch jobs that run inside their own transaction. Duplicates are skipped."""
    rows = [
        _row(**{"url": "", "body": "", "store": None, "level": Level.INFO, "source": "", **m})
        for m in messages
    ]
    return len(Notification.objects.bulk_create(rows, batch_size=batch_size, ignore_conflicts=True))


@transaction.atomic
def notifications_mark_read(*, user: User, pks: Iterable[int] | None = None) -> int:
    """Mark the user's unread notifications read (all, or those in `pks`). Others' are untouched."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if pks is not None:
        qs = qs.filter(pk__in=list(pks))
    return qs.update(read_at=timezone.now())
