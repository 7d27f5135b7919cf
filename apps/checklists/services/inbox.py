"""What checklists send to the shared inbox (apps.notifications)."""

from __future__ import annotations

from apps.notifications.services import Message, notifications_send_many
from apps.org.models import Store


def notify(
    *, recipients, store: Store, key: str, text: Message, url: str = "", level: str = "warning"
) -> int:
    """Into the shared inbox (apps.notifications); the key makes a second send a no-op."""
    return notifications_send_many(
        recipients=recipients,
        key=f"checklists:{key}",
        title=text,
        url=url,
        store=store,
        level=level,
        source="checklists",
    )
