"""The personal calendar feed: a secret address made, replaced and revoked from the person's own
page; RFC 5545 text with the person's shifts and follow-up calls due, and no one else's."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.followups.seeds import rules_seed
from apps.integrations.ical import CalendarEvent, calendar, escape_text, fold
from apps.integrations.models import CalendarFeed
from apps.roster.models import Shift, ShiftType
from tests.factories.followups import make_customer, make_followup

pytestmark = pytest.mark.django_db


def feed_address(client) -> str:
    response = client.post(reverse("integrations:calendar_issue"), follow=True)
    match = re.search(r"http://testserver(/integrations/calendar/[^<\s]+\.ics)", response.content.decode())
    assert match, "the new address is shown"
    return match.group(1)


def unfold(text: str) -> str:
    return text.replace("\r\n ", "")


@pytest.fixture
def planned(store, store2, aftersales, manager2, organisation):
    today = timezone.localdate()
    early = ShiftType.objects.create(
        store=store, name="早班", code="早", starts_at=dt.time(8, 30), ends_at=dt.time(14, 30)
    )
    night = ShiftType.objects.create(
        store=store, name="夜班", code="夜", starts_at=dt.time(22), ends_at=dt.time(6)
    )
    Shift.objects.create(
        store=store, user=aftersales, date=today, shift_type=early, note="盘点; 备用金, 交接"
    )
    Shift.objects.create(store=store, user=aftersales, date=today + dt.timedelta(days=1), shift_type=night)
    Shift.objects.create(store=store, user=manager2, date=today, shift_type=early)  # someone else's
    rules = rules_seed(organisation)
    due = today - dt.timedelta(days=4)
    make_followup(
        rules["first-call-pickup"], make_customer(store, name="王先生", owner=aftersales), trigger_date=due
    )
    make_followup(
        rules["first-call-pickup"], make_customer(store2, name="赵先生", owner=manager2), trigger_date=due
    )


def test_the_feed_has_my_shifts_and_calls_due_and_nobody_elses(client_for, planned, aftersales, client):
    address = feed_address(client_for(aftersales))
    client.logout()  # calendar apps fetch it without a session
    response = client.get(address)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and body.endswith("END:VCALENDAR\r\n")
    text = unfold(body)
    assert text.count("BEGIN:VEVENT") == 3
    assert "SUMMARY:班次：早班" in text or "SUMMARY:Shift: 早班" in text
    assert "DESCRIPTION:盘点\\; 备用金\\, 交接" in text
    assert "王先生" in text and "赵先生" not in text
    # The night shift ends the next morning; times are UTC.
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    start = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(22))).astimezone(dt.UTC)
    assert f"DTSTART:{start:%Y%m%dT%H%M%SZ}" in text
    assert f"DTEND:{start + dt.timedelta(hours=8):%Y%m%dT%H%M%SZ}" in text
    assert "DTSTART;VALUE=DATE:" in text  # the call window is a whole-day entry
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


def test_a_new_address_replaces_the_old_and_revoking_ends_it(client_for, aftersales, client):
    me = client_for(aftersales)
    old = feed_address(me)
    new = feed_address(me)
    assert old != new
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    me.post(reverse("integrations:calendar_revoke"))
    assert client.get(new).status_code == 404
    assert not CalendarFeed.objects.exists()


def test_only_a_hash_of_the_token_is_kept_and_the_address_is_shown_once(client_for, aftersales):
    me = client_for(aftersales)
    address = feed_address(me)
    token = address.rsplit("/", 1)[1].removesuffix(".ics")
    assert token not in CalendarFeed.objects.get().token_hash
    assert address not in me.get(reverse("integrations:calendar")).content.decode()


def test_a_deactivated_persons_feed_answers_404(client_for, aftersales, client):
    address = feed_address(client_for(aftersales))
    aftersales.is_active = False
    aftersales.save()
    assert client.get(address).status_code == 404


@pytest.mark.parametrize("token", ["x", "a" * 300, "..%2F..%2Fetc", "%00", "' OR 1=1 --"])
def test_a_guessed_or_hostile_token_answers_404(client, token):
    assert client.get(f"/integrations/calendar/{token}.ics").status_code == 404


def test_the_calendar_page_and_its_buttons_need_a_signed_in_person(client):
    assert client.get(reverse("integrations:calendar")).status_code == 302
    assert client.post(reverse("integrations:calendar_issue")).status_code == 302
    assert not CalendarFeed.objects.exists()


def test_text_is_escaped_and_long_lines_folded_without_splitting_a_character():
    assert escape_text("a\\b;c,d\r\ne\x07") == "a\\\\b\\;c\\,d\\ne"
    line = "SUMMARY:" + "回访客户" * 30
    folded = fold(line)
    parts = folded.split("\r\n ")
    assert "".join(parts) == line
    assert all(len(p.encode()) <= 75 for p in parts[:1]) and all(len(p.encode()) <= 74 for p in parts[1:])
    now = timezone.now()
    event = CalendarEvent(uid="x@y", summary="BEGIN:VEVENT\nEND:VCALENDAR", start=now, end=now)
    body = calendar([event], name="n", now=now)
    assert body.split("\r\n").count("BEGIN:VEVENT") == 1 and "SUMMARY:BEGIN:VEVENT\\nEND:VCALENDAR" in body
