"""Every way a follow-up ends (done, unreachable, missed, skipped, a letter sent) closes it the same way."""

import ast
import datetime as dt
import importlib
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.utils import timezone

from apps.followups.models import FollowUp, Reminder
from apps.followups.services import campaign_create, followup_log_attempt, followup_mark_letters_sent
from tests.factories.followups import make_customer

pytestmark = pytest.mark.django_db
D = dt.timedelta
FOLLOWUPS = Path(__file__).resolve().parents[2] / "apps" / "followups"
TERMINAL = {"DONE", "UNREACHABLE", "MISSED", "SKIPPED"}


@pytest.fixture
def letter(rules, store, manager, aftersales):
    """A campaign's letter, due now that its invitation call was made."""
    customer = make_customer(store, owner=aftersales)
    campaign = campaign_create(
        store=store,
        name="免费检测周",
        kind="free_check",
        event_date=timezone.localdate() + D(days=20),
        created_by=manager,
        customers=[customer],
    )
    call = campaign.followups.get(channel="phone")
    followup_log_attempt(followup=call, by=aftersales, result="reached", satisfaction=5)
    return campaign.followups.get(channel="letter")


def test_a_letter_marked_sent_chains_to_the_rules_next_follow_up(letter, rules, manager):
    """Like a call made, a letter sent starts the rule's next follow-up (its window from today)."""
    letter.rule.next_rule = rules["second-call"]
    letter.rule.save()
    assert followup_mark_letters_sent(campaign=letter.campaign, by=manager) == 1
    letter.refresh_from_db()
    assert letter.state == FollowUp.State.DONE and letter.completed_by == manager
    nxt = FollowUp.objects.get(previous=letter)
    assert nxt.rule == rules["second-call"] and nxt.customer == letter.customer
    assert nxt.trigger_date == timezone.localdate()


def test_a_letter_marked_sent_cancels_its_reminders_but_not_the_managers_alerts(letter, manager):
    """Its own pending reminders are cancelled; an alert to the managers still goes out, and a
    reminder cancelled before keeps the time it was cancelled."""
    alert = Reminder.objects.create(
        followup=letter, kind=Reminder.Kind.ALERT, key=f"fu{letter.pk}:alert:test", due_at=timezone.now()
    )
    earlier = timezone.now() - D(days=1)
    letter.reminders.filter(kind=Reminder.Kind.EXPIRING).update(cancelled_at=earlier)
    followup_mark_letters_sent(campaign=letter.campaign, by=manager)
    alert.refresh_from_db()
    assert alert.cancelled_at is None
    assert letter.reminders.get(kind=Reminder.Kind.EXPIRING).cancelled_at == earlier
    assert letter.reminders.get(kind=Reminder.Kind.OPENED).cancelled_at is not None


def test_a_follow_up_that_stays_open_is_not_closed(letter, rules, aftersales):
    """The forbidden path: a call-back keeps the follow-up open, chains nothing, cancels nothing."""
    call_back = letter.previous.rule.next_rule  # the letter itself is the call's next
    assert call_back == letter.rule
    followup_log_attempt(
        followup=letter, by=aftersales, result="call_back", callback_at=timezone.now() + D(hours=2)
    )
    letter.refresh_from_db()
    assert letter.state in FollowUp.ACTIVE and letter.completed_at is None
    assert not FollowUp.objects.filter(previous=letter).exists()
    assert not letter.reminders.filter(cancelled_at__isnull=False).exists()


def _terminal_writes(tree: ast.AST) -> list[int]:
    """Lines that set a follow-up's state to a terminal one (`x.state = FollowUp.State.DONE`,
    `state=FollowUp.State.DONE` in a create/update call)."""

    def terminal(node) -> bool:
        return isinstance(node, ast.Attribute) and node.attr in TERMINAL and "State" in ast.unparse(node)

    lines = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Assign)
            and terminal(node.value)
            and any(isinstance(t, ast.Attribute) and t.attr == "state" for t in node.targets)
        ):
            lines.append(node.lineno)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"update", "create", "bulk_create"}
        ):
            lines += [kw.value.lineno for kw in node.keywords if kw.arg == "state" and terminal(kw.value)]
    return lines


def test_only_followup_close_sets_a_terminal_state():
    """Walks the follow-ups app: no module writes a terminal state itself; each passes it to
    `engine.followup_close` (the demo data, which writes history, aside)."""
    wrong = [
        f"{path.name}:{line}"
        for path in sorted(FOLLOWUPS.rglob("*.py"))
        if "migrations" not in path.parts and path.name != "demo.py"
        for line in _terminal_writes(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert not wrong, "a terminal state set outside followup_close: " + ", ".join(wrong)


def test_the_terminal_state_finder_sees_both_ways_of_writing_one():
    source = (
        "fu.state = FollowUp.State.DONE\nFollowUp.objects.filter(pk=1).update(state=FollowUp.State.MISSED)\n"
    )
    assert _terminal_writes(ast.parse(source)) == [1, 2]


def test_the_migration_fills_the_local_completion_date_of_earlier_calls(letter, aftersales):
    """Calls completed before `completed_on` existed get the local date of their completion time
    (00:30 Beijing time is the previous day in UTC); open ones keep none."""
    from django.apps import apps
    from django.db import connection

    migration = importlib.import_module("apps.followups.migrations.0008_followup_completed_on")
    done = letter.previous
    at = timezone.make_aware(dt.datetime(2031, 6, 1, 0, 30))
    FollowUp.objects.filter(pk=done.pk).update(completed_at=at, completed_on=None)
    migration.fill_completed_on(apps, SimpleNamespace(connection=connection))  # all it reads of the editor
    assert FollowUp.objects.get(pk=done.pk).completed_on == dt.date(2031, 6, 1)
    assert FollowUp.objects.get(pk=letter.pk).completed_on is None
