"""Writes on the inbox: send (idempotent by key), mark read. `Level` (info, warning, danger) is the
vocabulary of a notification's level for the callers in other apps."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.bulk_inserts import rows_insert
from apps.org.models import Store, User

from .messages import Message
from .models import Level, Notification

TITLE_MAX = Notification._meta.get_field("title").max_length
URL_MAX = Notification._meta.get_field("url").max_length


def _title_columns(title: str | Message) -> tuple[str, str, dict]:
    """(the text as sent, the msgid, its parameters); a plain string has no msgid."""
    if isinstance(title, Message):
        return str(title)[:TITLE_MAX], title.msgid, title.params
    return str(title)[:TITLE_MAX], "", {}


def _row(*, recipient, key, title, url, body, store, level, source, store_id=None) -> Notification:
    if level not in Level.values:
        raise ValueError(f"unknown notification level: {level!r}")
    text, msgid, params = _title_columns(title)
    return Notification(
        recipient=recipient,
        key=key,
        title=text,
        title_msgid=msgid,
        title_params=params,
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
    title: str | Message,
    url: str = "",
    body: str = "",
    store: Store | None = None,
    level: str = Level.INFO,
    source: str = "",
) -> Notification | None:
    """Put one message in `recipient`'s inbox. Give the title as a `messages.Message` so that each
    reader sees it in their own language. A second send with the same key creates nothing
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
    title: str | Message,
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


NOTIFICATION_COLUMNS = (
    "recipient_id", "store_id", "key", "title", "title_msgid", "title_params", "body", "url", "level", "source",
    "created_at", "read_at",
)  # fmt: skip


def notifications_send_batch(messages: Iterable[dict], *, batch_size: int = 1000) -> int:
    """Many different messages (each a dict of `notification_send`'s arguments; `recipient_id`
    allowed instead of `recipient`, `store_id` instead of `store`) in few INSERTs, for batch jobs
    that run inside their own transaction. Duplicates are skipped. No model object is built per
    message (reminder dispatch sends thousands a second). Returns how many were addressed."""
    now = timezone.now()
    levels = set(Level.values)
    rows = []
    for m in messages:
        level = m.get("level", Level.INFO)
        if level not in levels:
            raise ValueError(f"unknown notification level: {level!r}")
        store = m.get("store")
        url = m.get("url") or ""
        rows.append(
            (
                m["recipient_id"] if "recipient_id" in m else m["recipient"].pk,
                store.pk if store is not None else m.get("store_id"),
                m["key"],
                *_title_columns(m["title"]),
                str(m.get("body") or ""),
                url[:URL_MAX],
                level,
                m.get("source", ""),
                now,
                None,
            )
        )
    for start in range(0, len(rows), batch_size):
        rows_insert(
            Notification, NOTIFICATION_COLUMNS, rows[start : start + batch_size], ignore_conflicts=True
        )
    return len(rows)


@transaction.atomic
def notifications_mark_read(*, user: User, pks: Iterable[int] | None = None) -> int:
    """Mark the user's unread notifications read (all, or those in `pks`). Others' are untouched."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if pks is not None:
        qs = qs.filter(pk__in=list(pks))
    return qs.update(read_at=timezone.now())
