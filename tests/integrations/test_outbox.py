"""The outbox: signed JSON a receiver can verify, retried with exponential backoff against a failing
receiver, the same idempotency key on every attempt, given up after the last, retried by hand; group
robots through apprise; internal addresses refused at the moment of connecting."""

import datetime as dt
import json
from unittest import mock

import pytest
from django.utils import timezone

from apps.integrations import outbox
from apps.integrations.models import ROBOT_EVENTS, Delivery, DeliveryStatus, Endpoint, EndpointKind
from apps.integrations.services import delivery_retry, event_record
from apps.integrations.signing import signature_valid
from apps.notifications import events

pytestmark = pytest.mark.django_db


def record(store, key="ticket:1", event=events.TICKET_CREATED, payload=None):
    event_record(
        event=event, store=store, key=key, payload=payload or {"ticket": {"number": "TS-1", "title": "等待"}}
    )
    return Delivery.objects.get(key=key)


def test_a_receiver_verifies_the_signature_with_the_shared_secret(local_webhook, receiver, store):
    delivery = record(store)
    assert outbox.outbox_deliver() == {"delivered": 1}
    sent = receiver.requests[0]
    headers, body = sent["headers"], sent["body"]
    assert sent["path"] == "/hooks/dutydesk?src=test"
    assert headers["Content-Type"].startswith("application/json")
    assert headers["X-DutyDesk-Event"] == "ticket.created"
    assert headers["Idempotency-Key"] == str(delivery.idempotency_key) == json.loads(body)["id"]
    assert signature_valid(
        local_webhook.secret,
        timestamp=headers["X-DutyDesk-Timestamp"],
        body=body,
        signature_header=headers["X-DutyDesk-Signature"],
    )
    # A forged body, a wrong secret or an old timestamp do not verify.
    common = {
        "timestamp": headers["X-DutyDesk-Timestamp"],
        "signature_header": headers["X-DutyDesk-Signature"],
    }
    assert not signature_valid(local_webhook.secret, body=body.replace(b"TS-1", b"TS-2"), **common)
    assert not signature_valid("whsec_other", body=body, **common)
    assert not signature_valid(
        local_webhook.secret, body=body, now=int(headers["X-DutyDesk-Timestamp"]) + 3600, **common
    )
    delivery.refresh_from_db()
    assert (
        delivery.status == DeliveryStatus.DELIVERED
        and delivery.response_code == 200
        and delivery.attempts == 1
    )


def test_a_failing_receiver_is_retried_with_growing_waits_and_the_same_key_and_body(
    local_webhook, receiver, store
):
    receiver.statuses = [500, 502, 503]
    delivery = record(store)
    now = timezone.now()
    waits = []
    for _ in range(3):
        assert outbox.outbox_deliver(now=now) == {"pending": 1}
        assert outbox.outbox_deliver(now=now) == {}  # not due again yet
        delivery.refresh_from_db()
        waits.append(delivery.next_attempt_at - now)
        now = delivery.next_attempt_at
    assert waits == [dt.timedelta(minutes=1), dt.timedelta(minutes=2), dt.timedelta(minutes=4)]
    assert delivery.response_code == 503 and delivery.last_error == "HTTP 503" and delivery.attempts == 3
    assert outbox.outbox_deliver(now=now) == {"delivered": 1}
    keys = {r["headers"]["Idempotency-Key"] for r in receiver.requests}
    bodies = {r["body"] for r in receiver.requests}
    assert len(receiver.requests) == 4 and keys == {str(delivery.idempotency_key)} and len(bodies) == 1


def test_the_backoff_doubles_up_to_six_hours():
    assert [outbox.backoff(n) for n in (1, 2, 3, 10, 20)] == [
        dt.timedelta(minutes=1),
        dt.timedelta(minutes=2),
        dt.timedelta(minutes=4),
        dt.timedelta(hours=6),
        dt.timedelta(hours=6),
    ]


def test_a_delivery_gives_up_after_the_last_attempt_and_an_admin_retries_it_by_hand(
    local_webhook, receiver, store, admin, django_capture_on_commit_callbacks
):
    receiver.statuses = [500] * outbox.MAX_ATTEMPTS
    delivery = record(store)
    now = timezone.now()
    for _ in range(outbox.MAX_ATTEMPTS):
        outbox.outbox_deliver(now=now)
        delivery.refresh_from_db()
        now = delivery.next_attempt_at or now
    assert delivery.status == DeliveryStatus.FAILED and delivery.next_attempt_at is None
    assert outbox.outbox_deliver(now=now + dt.timedelta(days=1)) == {}
    with django_capture_on_commit_callbacks(execute=True):  # the retry enqueues the task (eager here)
        delivery_retry(delivery=delivery, by=admin)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == outbox.MAX_ATTEMPTS + 1
    assert {r["headers"]["Idempotency-Key"] for r in receiver.requests} == {str(delivery.idempotency_key)}


def test_a_redirect_is_not_followed_and_counts_as_a_failure(local_webhook, receiver, store):
    receiver.statuses = [302]
    delivery = record(store)
    assert outbox.outbox_deliver() == {"pending": 1}
    delivery.refresh_from_db()
    assert delivery.response_code == 302 and len(receiver.requests) == 1


def test_an_unreachable_receiver_is_retried(local_webhook, receiver, store):
    receiver.close()
    delivery = record(store)
    assert outbox.outbox_deliver() == {"pending": 1}
    delivery.refresh_from_db()
    assert delivery.response_code is None and "ConnectionRefused" in delivery.last_error


def test_an_address_that_turns_internal_is_refused_when_connecting(local_webhook, receiver, store, settings):
    """Saved while allowed, then the rule applies: the connection to 127.0.0.1 is refused before
    anything is sent."""
    delivery = record(store)
    settings.INTEGRATIONS_ALLOW_PRIVATE_URLS = False
    assert outbox.outbox_deliver() == {"pending": 1}
    delivery.refresh_from_db()
    assert "AddressRefused" in delivery.last_error and receiver.requests == []


def test_a_worker_that_dies_mid_send_leaves_the_delivery_to_be_sent_again_after_the_lease(
    local_webhook, receiver, store
):
    delivery = record(store)
    now = timezone.now()
    dying = mock.patch.object(outbox, "delivery_attempt", side_effect=SystemExit("worker killed"))
    with dying, pytest.raises(SystemExit):
        outbox.outbox_deliver(now=now)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING and delivery.next_attempt_at == now + outbox.LEASE
    assert outbox.outbox_deliver(now=now) == {}
    assert outbox.outbox_deliver(now=now + outbox.LEASE) == {"delivered": 1}


def test_a_switched_off_endpoint_gets_nothing_more(local_webhook, receiver, store):
    delivery = record(store)
    Endpoint.objects.filter(pk=local_webhook.pk).update(is_active=False)
    assert outbox.outbox_deliver() == {"failed": 1}
    delivery.refresh_from_db()
    assert receiver.requests == [] and delivery.status == DeliveryStatus.FAILED


def test_a_group_robot_gets_a_readable_message_through_apprise(store, admin, settings):
    Endpoint.objects.create(
        store=store, kind=EndpointKind.WECOM, name="店长群", url="wecombot://abcdef0123456789",
        events=list(ROBOT_EVENTS), created_by=admin,
    )  # fmt: skip
    payload = {
        "handover": {
            "counter": "1号台席",
            "outgoing": "张敏",
            "incoming": "刘洋",
            "url": "http://127.0.0.1:8000/handovers/7/",
            "differences": [
                {
                    "item": "SIM 卡",
                    "expected": "50",
                    "counted": "48",
                    "difference": "-2",
                    "explanation": "售出",
                }
            ],
        }
    }
    event_record(event=events.HANDOVER_SIGNED_WITH_DIFFERENCE, store=store, key="handover:7", payload=payload)
    event_record(
        event=events.TICKET_CREATED, store=store, key="ticket:9", payload={}
    )  # robots do not hear it
    with mock.patch("apprise.Apprise.notify", return_value=True) as notify:
        assert outbox.outbox_deliver() == {"delivered": 1}
    title, body = notify.call_args.kwargs["title"], notify.call_args.kwargs["body"]
    assert store.name in title and "SIM 卡: 48 / 50 (-2) 售出" in body and "/handovers/7/" in body


def test_a_robot_that_refuses_is_retried(store, admin):
    Endpoint.objects.create(
        store=store, kind=EndpointKind.DINGTALK, name="钉钉群", url="dingtalk://token0123456789",
        events=[events.TICKET_ESCALATED], created_by=admin,
    )  # fmt: skip
    event_record(event=events.TICKET_ESCALATED, store=store, key="ticket:1:level:1", payload={"ticket": {}})
    with mock.patch("apprise.Apprise.notify", return_value=False):
        assert outbox.outbox_deliver() == {"pending": 1}
    assert "RuntimeError" in Delivery.objects.get().last_error
