"""Reminders: sent once, to the right people, on every channel; rollback mid-batch sends nothing."""

import datetime as dt
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from apps.followups import reminders as rem
from apps.followups.models import Reminder, SendLog, StoreWebhook
from apps.followups.reminders import followups_tick, outbox_deliver, reminders_dispatch
from apps.notifications.models import Notification
from tests.factories.followups import make_customer, make_followup, reminder_key_of, reminder_notes

pytestmark = pytest.mark.django_db
D = dt.timedelta


@pytest.fixture
def fu(rules, customer):
    # Its window opened yesterday, so its "opened" reminder is due now whatever the time of day
    # (a window opening today is reminded at 09:00 local time, not at midnight).
    return make_followup(rules["first-call-pickup"], customer, trigger_date=timezone.localdate() - D(days=4))


def test_the_assignee_is_reminded_once_when_the_follow_up_opens(fu, aftersales):
    assert reminders_dispatch(now=timezone.now()) == 1
    assert reminders_dispatch(now=timezone.now()) == 0
    note = Notification.objects.get()
    assert note.recipient == aftersales and "王先生" in note.title and note.url == fu.get_absolute_url()
    assert SendLog.objects.filter(channel="inapp").count() == 1


def test_about_to_expire_and_overdue_reminders_reach_assignee_then_manager(fu, aftersales, manager):
    followups_tick(now=rem.timezone.now())
    last_day = timezone.make_aware(dt.datetime.combine(fu.window_end, dt.time(9, 1)))
    reminders_dispatch(now=last_day)
    assert len(reminder_notes(recipient=aftersales, kind=Reminder.Kind.EXPIRING)) == 1
    assert not Notification.objects.filter(recipient=manager).exists()
    reminders_dispatch(now=last_day + D(days=1))
    assert len(reminder_notes(recipient=manager, kind=Reminder.Kind.OVERDUE)) == 1


def test_a_done_follow_up_sends_no_more_reminders(fu, aftersales):
    from apps.followups.services import followup_log_attempt

    followup_log_attempt(followup=fu, by=aftersales, result="reached", satisfaction=5)
    reminders_dispatch(now=timezone.now() + D(days=30))
    assert not reminder_notes(followup=fu)
    assert fu.reminders.filter(cancelled_at__isnull=False).count() == 3


def test_e_mail_is_queued_in_the_batch_and_delivered_once(fu, aftersales):
    reminders_dispatch()
    entry = SendLog.objects.get(channel="email")
    assert entry.status == SendLog.Status.QUEUED and not mail.outbox
    assert outbox_deliver() == 1
    assert outbox_deliver() == 0
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [aftersales.email]
    entry.refresh_from_db()
    assert entry.status == SendLog.Status.SENT


def test_store_webhooks_receive_manager_reminders_through_apprise(fu, store, manager, aftersales):
    StoreWebhook.objects.create(store=store, name="售后群", url="wecombot://abcdef0123456789")
    from apps.followups.services import followup_log_attempt

    followup_log_attempt(followup=fu, by=aftersales, result="reached", satisfaction=1, complaint="太慢")
    with mock.patch("apprise.Apprise.notify", return_value=True) as notify:
        followups_tick()
        followups_tick()
    assert notify.call_count == 1
    assert "王先生" in notify.call_args.kwargs["title"]
    assert SendLog.objects.get(channel="webhook").status == SendLog.Status.SENT


def test_a_failing_webhook_is_retried_then_marked_failed(fu, store, manager, aftersales):
    StoreWebhook.objects.create(store=store, name="钉钉群", url="dingtalk://token0123456789")
    from apps.followups.services import followup_log_attempt

    followup_log_attempt(followup=fu, by=aftersales, result="reached", satisfaction=1)
    with mock.patch("apprise.Apprise.notify", return_value=False):
        for _ in range(6):
            followups_tick()
    entry = SendLog.objects.get(channel="webhook")
    assert entry.status == SendLog.Status.FAILED and entry.tries == 5


def test_a_worker_dying_mid_batch_rolls_back_and_the_next_tick_sends_the_rest_once(rules, store, aftersales):
    for _ in range(6):
        make_followup(
            rules["new-product"],
            make_customer(store, owner=aftersales),
            trigger_date=timezone.localdate() - D(days=1),  # due now at any time of day
        )
    calls = {"n": 0}

    def die_after_three(index):
        calls["n"] += 1
        if calls["n"] == 3:
            raise SystemExit("worker killed")

    with mock.patch.object(rem, "_hook_for_send", die_after_three), pytest.raises(SystemExit):
        reminders_dispatch(now=timezone.now())
    assert not Notification.objects.exists() and not SendLog.objects.exists()
    assert reminders_dispatch(now=timezone.now()) == 6
    assert Notification.objects.count() == 6
    assert len({reminder_key_of(note) for note in Notification.objects.all()}) == 6


def test_the_unique_send_key_refuses_a_second_send(fu, aftersales):
    """A reminder dispatched again by a worker that still sees it unsent fails on the send log's
    unique key and rolls its whole batch back: one notification, one send per channel, one e-mail."""
    from django.db import IntegrityError, transaction

    assert reminders_dispatch(now=timezone.now()) == 1
    reminder = Reminder.objects.get(sent_at__isnull=False)
    sends = sorted(SendLog.objects.filter(reminder=reminder).values_list("channel", "key"))
    assert sends == [
        ("email", f"{reminder.key}:u{aftersales.pk}:email"),
        ("inapp", f"{reminder.key}:u{aftersales.pk}:inapp"),
    ]
    # As if the first send's `sent_at` were not visible yet to a second beat.
    Reminder.objects.filter(pk=reminder.pk).update(sent_at=None)
    with pytest.raises(IntegrityError):
        reminders_dispatch(now=timezone.now())
    assert Reminder.objects.get(pk=reminder.pk).sent_at is None  # the second batch rolled back whole
    assert Notification.objects.filter(recipient=aftersales).count() == 1
    assert sorted(SendLog.objects.values_list("channel", "key")) == sends
    assert outbox_deliver() == 1 and outbox_deliver() == 0
    assert len(mail.outbox) == 1

    # The database itself refuses a hand-made duplicate of either row.
    with pytest.raises(IntegrityError), transaction.atomic():
        SendLog.objects.create(reminder=reminder, user=aftersales, channel="inapp", key=sends[1][1])
    note = Notification.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(recipient=aftersales, key=note.key, title="again")
    assert rem.inbox_key(reminder.key, aftersales.pk) == note.key  # one per reminder and person


def test_a_rolled_back_transaction_enqueues_nothing(fu, aftersales, django_capture_on_commit_callbacks):
    from django.db import transaction

    from apps.followups.services import followup_log_attempt

    with mock.patch("apps.followups.tasks.dispatch_reminders_task.apply_async") as delay:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            try:
                with transaction.atomic():
                    followup_log_attempt(followup=fu, by=aftersales, result="reached", satisfaction=1)
                    raise RuntimeError("the request failed after the call was logged")
            except RuntimeError:
                pass
        assert callbacks == [] and delay.call_count == 0
        with django_capture_on_commit_callbacks(execute=True):
            followup_log_attempt(followup=fu, by=aftersales, result="reached", satisfaction=1)
        assert delay.call_count == 1


def test_a_broker_that_is_down_does_not_fail_the_call(fu, aftersales, django_capture_on_commit_callbacks):
    from apps.followups.services import followup_log_attempt

    with (
        mock.patch(
            "apps.followups.tasks.dispatch_reminders_task.apply_async", side_effect=ConnectionError("down")
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        followup_log_attempt(followup=fu, by=aftersales, result="reached", satisfaction=1)
    assert Reminder.objects.filter(kind=Reminder.Kind.ALERT, sent_at__isnull=True).count() == 1
    followups_tick()
    assert Reminder.objects.filter(kind=Reminder.Kind.ALERT, sent_at__isnull=False).count() == 1


def test_the_beat_schedule_runs_the_tick_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["followups-tick"]
    assert entry["task"] == "apps.followups.tasks.followups_tick_task"
    assert str(entry["schedule"]).startswith("<crontab: * * * * *")
