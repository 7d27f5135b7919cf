"""The shared inbox: idempotent sends, per-recipient reads, the page, the header bell."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.notifications.models import Notification
from apps.notifications.selectors import inbox_for, unread_count
from apps.notifications.services import (
    notification_send,
    notifications_mark_read,
    notifications_send_batch,
    notifications_send_many,
)

pytestmark = pytest.mark.django_db


def send(user, n=1, prefix="t"):
    return [
        notification_send(recipient=user, key=f"{prefix}:{i}", title=f"通知 {i}", url="/") for i in range(n)
    ]


def test_a_second_send_with_the_same_key_creates_nothing(clerk, store):
    first = notification_send(recipient=clerk, key="k1", title="交班提醒", store=store, source="checklists")
    assert first is not None and first.pk and first.store == store and first.level == "info"
    assert notification_send(recipient=clerk, key="k1", title="交班提醒（重复）") is None
    assert Notification.objects.count() == 1
    assert Notification.objects.get().title == "交班提醒"


def test_the_same_key_reaches_each_recipient_once(clerk, manager):
    assert notification_send(recipient=clerk, key="same", title="a") is not None
    assert notification_send(recipient=manager, key="same", title="a") is not None
    notifications_send_many(recipients=[clerk, manager, manager], key="same", title="a")
    notifications_send_many(recipients=[clerk, manager, None], key="other", title="b")
    notifications_send_many(recipients=[clerk, manager], key="other", title="b")
    assert sorted(Notification.objects.values_list("recipient__username", "key")) == [
        ("clerk", "other"),
        ("clerk", "same"),
        ("manager", "other"),
        ("manager", "same"),
    ]


def test_a_batch_skips_what_was_already_sent(clerk, manager, store):
    msgs = [{"recipient": u, "key": "b1", "title": "批量", "store_id": store.pk} for u in (clerk, manager)]
    assert notifications_send_batch(msgs) == 2
    notifications_send_batch(msgs)
    assert Notification.objects.filter(key="b1", store=store).count() == 2


def test_a_duplicate_inside_an_outer_transaction_does_not_break_it(clerk):
    with transaction.atomic():
        notification_send(recipient=clerk, key="dup", title="a")
        assert notification_send(recipient=clerk, key="dup", title="a") is None
        notification_send(recipient=clerk, key="after", title="b")  # the transaction is still usable
    assert set(Notification.objects.values_list("key", flat=True)) == {"dup", "after"}


def test_a_notification_sent_in_a_transaction_that_rolls_back_does_not_exist(clerk):
    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        notification_send(recipient=clerk, key="gone", title="不会送达")
        notifications_send_many(recipients=[clerk], key="gone-too", title="不会送达")
        raise Boom
    assert not Notification.objects.exists()
    assert unread_count(user=clerk) == 0


def test_an_unknown_level_is_refused(clerk):
    with pytest.raises(ValueError):
        notification_send(recipient=clerk, key="x", title="x", level="panic")


def test_unread_count_and_mark_read_are_per_recipient(clerk, manager):
    mine = send(clerk, 3)
    send(manager, 2)
    assert unread_count(user=clerk) == 3 and unread_count(user=manager) == 2
    assert notifications_mark_read(user=clerk, pks=[mine[0].pk]) == 1
    assert unread_count(user=clerk) == 2
    theirs = Notification.objects.filter(recipient=manager).first()
    assert notifications_mark_read(user=clerk, pks=[theirs.pk]) == 0  # not clerk's
    assert notifications_mark_read(user=clerk) == 2
    assert unread_count(user=clerk) == 0 and unread_count(user=manager) == 2
    assert [n.pk for n in inbox_for(user=clerk, unread_only=True)] == []
    assert len(inbox_for(user=clerk)) == 3


def test_the_inbox_lists_only_my_notifications_newest_first(client_for, clerk, manager):
    send(clerk, 2, prefix="mine")
    notification_send(recipient=manager, key="x", title="经理的通知")
    body = client_for(clerk).get(reverse("notifications:inbox")).content.decode()
    assert body.index("通知 1") < body.index("通知 0")
    assert "经理的通知" not in body
    assert body.count('data-testid="inbox-item"') == 2


def test_the_unread_filter_and_mark_all_read(client_for, clerk):
    notes = send(clerk, 2)
    notifications_mark_read(user=clerk, pks=[notes[0].pk])
    client = client_for(clerk)
    body = client.get(reverse("notifications:inbox") + "?show=unread").content.decode()
    assert body.count('data-testid="inbox-item"') == 1 and "通知 1" in body
    assert client.get(reverse("notifications:mark_all_read")).status_code == 405
    assert client.post(reverse("notifications:mark_all_read")).status_code == 302
    assert unread_count(user=clerk) == 0
    body = client.get(reverse("notifications:inbox") + "?show=unread").content.decode()
    assert 'data-testid="inbox-item"' not in body and "empty-state" in body


def test_an_empty_inbox_says_so(client_for, clerk):
    response = client_for(clerk).get(reverse("notifications:inbox"))
    assert response.status_code == 200 and "empty-state" in response.content.decode()


def test_a_bad_page_number_is_no_error(client_for, clerk):
    send(clerk, 2)
    assert client_for(clerk).get(reverse("notifications:inbox") + "?page=abc").status_code == 200
    assert client_for(clerk).get(reverse("notifications:inbox") + "?page=999").status_code == 200


@pytest.mark.parametrize("n", [3, 40])
def test_inbox_query_count_is_constant(client_for, clerk, django_assert_num_queries, n):
    send(clerk, n)
    client = client_for(clerk)
    client.get(reverse("notifications:inbox"))  # warm the session and caches
    with django_assert_num_queries(6):
        response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="inbox-item"') == min(n, 25)


def test_opening_marks_read_and_follows_the_relative_link(client_for, clerk):
    note = notification_send(recipient=clerk, key="o", title="打开", url="/checklists/")
    client = client_for(clerk)
    assert client.get(reverse("notifications:open", args=[note.pk])).status_code == 405  # POST only
    response = client.post(reverse("notifications:open", args=[note.pk]))
    assert response.status_code == 302 and response.url == "/checklists/"
    note.refresh_from_db()
    assert note.read_at is not None


@pytest.mark.parametrize(
    "url", ["https://evil.example/phish", "//evil.example/x", "javascript:alert(1)", "/\\evil.example", ""]
)
def test_only_relative_links_are_followed(client_for, clerk, url):
    note = notification_send(recipient=clerk, key="evil", title="钓鱼", url=url)
    response = client_for(clerk).post(reverse("notifications:open", args=[note.pk]))
    assert response.status_code == 302 and response.url == reverse("notifications:inbox")


def test_another_users_notification_is_404(client_for, clerk, manager2):
    note = notification_send(recipient=clerk, key="private", title="私人")
    assert client_for(manager2).post(reverse("notifications:open", args=[note.pk])).status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_pages_need_a_signed_in_user(client):
    for name in ("notifications:inbox", "notifications:bell"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_the_bell_partial_shows_the_unread_count_and_refreshes_itself(client_for, clerk):
    client = client_for(clerk)
    body = client.get(reverse("notifications:bell"), HTTP_HX_REQUEST="true").content.decode()
    assert "bell-count" not in body and 'hx-trigger="every 60s"' in body
    assert "<html" not in body
    send(clerk, 3)
    body = client.get(reverse("notifications:bell"), HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="bell-count">3<' in body
    assert f'hx-get="{reverse("notifications:bell")}"' in body


def test_every_page_has_the_bell_with_my_count(client_for, clerk, manager):
    send(clerk, 2)
    send(manager, 5)
    body = client_for(clerk).get(reverse("home")).content.decode()
    assert body.count('data-testid="bell"') == 1
    assert 'data-testid="bell-count">2<' in body


def _inbox_counts(queries) -> int:
    return sum(
        1 for q in queries if "notifications_notification" in q["sql"] and "COUNT(" in q["sql"].upper()
    )


@pytest.mark.parametrize("n", [0, 30])
def test_the_context_processor_costs_one_count_query_on_the_home_page(client_for, manager, n):
    send(manager, n)
    client = client_for(manager)
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    assert _inbox_counts(ctx.captured_queries) == 1


def test_the_home_page_query_count_does_not_grow_with_the_inbox(client_for, manager):
    client = client_for(manager)
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))
    send(manager, 30)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("home"))
    assert len(many.captured_queries) == len(few.captured_queries)


def test_signed_out_pages_run_no_inbox_query(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("login")).status_code == 200
    assert not [q for q in ctx.captured_queries if "notifications_notification" in q["sql"]]
