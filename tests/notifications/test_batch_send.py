"""Batch sends write plain rows (one INSERT per table, no model objects): the values survive intact."""

import pytest

from apps.notifications.models import Notification
from apps.notifications.services import notifications_send_batch

pytestmark = pytest.mark.django_db

AWKWARD = ['引号 "quoted" 和 \\backslash\\', "{braces}, commas, NULL", "NULL", "", "x" * 400, "换行\n第二行"]


def test_a_batch_keeps_every_character_of_what_it_writes(clerk, manager, store):
    """Quotes, backslashes, braces, commas, the word NULL, empty text, newlines and over-long titles
    arrive as they were sent (titles cut to the field's length), with the store and level given."""
    msgs = [
        {"recipient_id": clerk.pk, "key": f"awk:{i}", "title": text, "body": text, "url": "/x",
         "store_id": store.pk, "level": "warning", "source": "tests"}
        for i, text in enumerate(AWKWARD)
    ]  # fmt: skip
    msgs.append({"recipient": manager, "key": "plain", "title": "普通"})
    assert notifications_send_batch(msgs) == len(AWKWARD) + 1
    rows = {n.key: n for n in Notification.objects.all()}
    for i, text in enumerate(AWKWARD):
        n = rows[f"awk:{i}"]
        assert (n.title, n.body, n.url, n.store_id, n.level, n.source, n.recipient_id) == (
            text[:300],
            text,
            "/x",
            store.pk,
            "warning",
            "tests",
            clerk.pk,
        )
        assert n.created_at is not None and n.read_at is None
    plain = rows["plain"]
    assert (plain.recipient_id, plain.store_id, plain.level, plain.body) == (manager.pk, None, "info", "")


def test_a_batch_refuses_an_unknown_level(clerk):
    """The forbidden path: a level outside the choices is refused before anything is written."""
    with pytest.raises(ValueError):
        notifications_send_batch([{"recipient": clerk, "key": "k", "title": "t", "level": "shout"}])
    assert not Notification.objects.exists()
