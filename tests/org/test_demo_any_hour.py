"""The demo at any hour: whenever `seed_demo` runs (and the beat has run since), every demo user
finds something to do on their home page: a shift not over yet, a checklist run still open, a call
due. The clock is patched in the test only; the demo itself reads the real time."""

import datetime as dt
import io
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from apps.checklists.services import checklists_tick
from apps.org.models import User
from apps.roster.selectors import shift_bounds

pytestmark = pytest.mark.django_db

# What each demo user must have to do, besides a shift still open (everyone has one).
EXPECTED = {
    "clerk": {"run"},
    "clerk2": {"run"},
    "advisor": {"run"},
    "aftersales": {"call"},
    "tracker": {"call"},
}
REAL_NOW = timezone.now


def local(hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(timezone.localdate(REAL_NOW()), dt.time(hour, minute)))


def seed_and_tick(moment: dt.datetime) -> None:
    with mock.patch("django.utils.timezone.now", return_value=moment):
        call_command("seed_demo", force=True, stdout=io.StringIO())
        checklists_tick(now=moment)  # the beat, as it runs in dev: overdue runs become 漏做


def to_do(user: User, moment: dt.datetime) -> set[str]:
    client = Client()
    with mock.patch("django.utils.timezone.now", return_value=moment):
        client.force_login(user)  # signed in at that hour too (sessions end 12 hours after sign-in)
        page = client.get("/")
    assert page.status_code == 200
    panels = {p["template"]: p for p in page.context["panels"]}
    found = set()
    arrival = panels.get("roster/_arrival_panel.html")
    if arrival and any(
        e["shift"] and not e["check_in"] and shift_bounds(e["shift"])[1] > moment for e in arrival["entries"]
    ):
        found.add("shift")
    shift = panels.get("handovers/_shift_panel.html")
    if shift and any(r.is_open and r.ends_at > moment for r in shift["runs"]):
        found.add("run")
    calls = panels.get("followups/_home_panel.html")
    if calls and int(calls["counts"]["today"]) + int(calls["counts"]["overdue"]) > 0:
        found.add("call")
    return found


def demo_users() -> list[User]:
    return list(User.objects.filter(memberships__is_active=True).distinct().order_by("username"))


def assert_everyone_has_something_to_do(moment: dt.datetime) -> None:
    missing = {}
    for user in demo_users():
        want = {"shift"} | EXPECTED.get(user.username, set())
        got = to_do(user, moment)
        if not want <= got:
            missing[user.username] = sorted(want - got)
    assert missing == {}


@pytest.mark.parametrize(("hour", "minute"), [(3, 0), (9, 0), (21, 0), (23, 30)])
def test_a_demo_seeded_at_any_hour_leaves_every_demo_user_something_to_do(hour, minute):
    moment = local(hour, minute)
    seed_and_tick(moment)
    assert {"clerk", "advisor", "aftersales", "tracker", "teller", "manager"} <= {
        u.username for u in demo_users()
    }
    assert_everyone_has_something_to_do(moment)


def test_seeded_in_the_morning_and_again_at_night_the_runs_of_the_day_are_open_again():
    seed_and_tick(local(9, 0))
    seed_and_tick(local(21, 0))
    assert_everyone_has_something_to_do(local(21, 0))
