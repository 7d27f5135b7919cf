"""Logging calls: the retry ladder, call-backs, complaints and requests, snoozing, expiry."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.followups.models import Attempt, FollowUp, Reminder
from apps.followups.reminders import followups_open_and_expire, reminders_dispatch
from apps.followups.services import followup_log_attempt, followup_snooze
from apps.notifications.models import Notification
from apps.roles.models import Position, PositionHolder
from apps.tickets.models import Ticket
from tests.factories.followups import make_followup, reminder_notes

pytestmark = pytest.mark.django_db
D = dt.timedelta


@pytest.fixture
def fu(rules, customer):
    return make_followup(rules["first-call-pickup"], customer, trigger_date=timezone.localdate() - D(days=3))


def test_no_answer_moves_along_the_retry_ladder_then_closes_as_unreachable(fu, aftersales):
    before = timezone.now()
    followup_log_attempt(followup=fu, by=aftersales, result="no_answer")
    fu.refresh_from_db()
    assert fu.state == FollowUp.State.OPEN and fu.attempts == 1
    assert D(hours=1.9) < fu.next_attempt_at - before < D(hours=2.1)
    assert fu.reminders.filter(kind=Reminder.Kind.CALLBACK).count() == 1
    followup_log_attempt(followup=fu, by=aftersales, result="no_answer")
    followup_log_attempt(followup=fu, by=aftersales, result="no_answer")
    fu.refresh_from_db()
    assert fu.state == FollowUp.State.OPEN and fu.reminders.filter(kind=Reminder.Kind.CALLBACK).count() == 3
    followup_log_attempt(followup=fu, by=aftersales, result="no_answer")
    fu.refresh_from_db()
    assert fu.state == FollowUp.State.UNREACHABLE and "4" in fu.outcome
    # nothing more for the caller; the managers get the alert that no second call follows
    pending = fu.reminders.filter(sent_at__isnull=True, cancelled_at__isnull=True)
    assert list(pending.values_list("kind", flat=True)) == [Reminder.Kind.ALERT]


def test_call_back_at_a_time_schedules_a_reminder(fu, aftersales):
    at = timezone.now() + D(hours=5)
    followup_log_attempt(followup=fu, by=aftersales, result="call_back", callback_at=at)
    fu.refresh_from_db()
    assert fu.next_attempt_at == at
    assert fu.reminders.get(kind=Reminder.Kind.CALLBACK).due_at == at


def test_call_back_needs_a_time(fu, aftersales):
    with pytest.raises(ValidationError):
        followup_log_attempt(followup=fu, by=aftersales, result="call_back")


def test_reached_records_outcome_satisfaction_and_survey(fu, aftersales):
    followup_log_attempt(
        followup=fu,
        by=aftersales,
        result="reached",
        satisfaction=5,
        outcome="车况良好",
        survey={"服务态度": 5},
    )
    fu.refresh_from_db()
    assert fu.state == FollowUp.State.DONE and fu.satisfaction == 5 and fu.completed_by == aftersales
    assert Attempt.objects.get().survey == {"服务态度": 5}
    assert not Ticket.objects.exists()


def test_a_complaint_becomes_a_ticket_and_alerts_the_manager(
    fu, aftersales, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        attempt = followup_log_attempt(
            followup=fu, by=aftersales, result="reached", satisfaction=3, complaint="等待时间太长\n前台态度差"
        )
    ticket = attempt.tickets.get()
    assert ticket.kind == Ticket.Kind.COMPLAINT and ticket.source == f"followup:{fu.pk}"
    assert "等待时间太长" in ticket.title and "3 / 5" in ticket.description
    assert ticket.assignee == manager and ticket.priority == Ticket.Priority.HIGH
    note = Notification.objects.get(recipient=manager)  # sent right away by the enqueued dispatch
    assert ticket.number in note.body


def test_a_low_score_alone_becomes_a_complaint_ticket(fu, aftersales, manager):
    attempt = followup_log_attempt(followup=fu, by=aftersales, result="reached", satisfaction=2)
    assert attempt.tickets.get().kind == Ticket.Kind.COMPLAINT
    reminders_dispatch()
    assert len(reminder_notes(recipient=manager, kind=Reminder.Kind.ALERT)) == 1


def test_an_unanswered_request_goes_to_the_supervisor_with_the_two_day_clock(
    fu, aftersales, manager, organisation, store
):
    boss = Position.objects.create(organisation=organisation, code="ZG-01", title="业务主管")
    tracker = Position.objects.create(organisation=organisation, code="GZ-01", title="跟踪业务员")
    tracker.superiors.add(boss)
    PositionHolder.objects.create(position=tracker, user=aftersales, store=store)
    PositionHolder.objects.create(position=boss, user=manager, store=store)
    attempt = followup_log_attempt(
        followup=fu,
        by=aftersales,
        result="reached",
        satisfaction=5,
        requests="想加装倒车雷达，报价多少？",
        request_answered=False,
    )
    ticket = attempt.tickets.get()
    assert ticket.kind == Ticket.Kind.FOLLOW_ON and ticket.assignee == manager
    # The two-day clock is the tickets app's: two business days in the store's opening hours.
    assert ticket.answer_due_at - ticket.created_at >= D(days=1)


def test_an_answered_request_makes_no_ticket(fu, aftersales):
    followup_log_attempt(
        followup=fu,
        by=aftersales,
        result="reached",
        satisfaction=4,
        requests="问保养周期",
        request_answered=True,
    )
    assert not Ticket.objects.exists()


def test_a_closed_follow_up_takes_no_more_calls(fu, aftersales):
    followup_log_attempt(followup=fu, by=aftersales, result="reached", satisfaction=5)
    with pytest.raises(ValidationError):
        followup_log_attempt(followup=fu, by=aftersales, result="reached", satisfaction=5)


def test_wrong_number_closes_and_asks_the_manager_to_fix_the_file(fu, aftersales, manager):
    followup_log_attempt(followup=fu, by=aftersales, result="wrong_number")
    fu.refresh_from_db()
    assert fu.state == FollowUp.State.UNREACHABLE
    reminders_dispatch()
    assert Notification.objects.filter(recipient=manager).exists()


def test_snooze_needs_a_reason_and_a_day_before_expiry(fu, aftersales):
    tomorrow = timezone.localdate() + D(days=1)
    with pytest.raises(ValidationError):
        followup_snooze(followup=fu, until=tomorrow, reason=" ", by=aftersales)
    with pytest.raises(ValidationError):
        followup_snooze(followup=fu, until=fu.expires_on + D(days=1), reason="出差", by=aftersales)
    followup_snooze(followup=fu, until=tomorrow, reason="客户出差", by=aftersales)
    fu.refresh_from_db()
    assert fu.snoozed_until == tomorrow and fu.snooze_reason == "客户出差"


def test_nothing_disappears_without_an_outcome_it_expires_as_missed(fu):
    followups_open_and_expire(today=fu.expires_on)
    fu.refresh_from_db()
    assert fu.state == FollowUp.State.OPEN
    followups_open_and_expire(today=fu.expires_on + D(days=1))
    fu.refresh_from_db()
    assert fu.state == FollowUp.State.MISSED and fu.outcome
    # a call never made is not followed by a second one: the managers are told instead
    assert not FollowUp.objects.filter(previous=fu).exists()
    assert Reminder.objects.filter(followup=fu, kind=Reminder.Kind.ALERT).exists()


def test_scheduled_follow_ups_open_on_their_first_day(rules, customer):
    fu = make_followup(rules["first-call-pickup"], customer, trigger_date=timezone.localdate())
    assert fu.state == FollowUp.State.SCHEDULED
    followups_open_and_expire(today=fu.window_start)
    fu.refresh_from_db()
    assert fu.state == FollowUp.State.OPEN
