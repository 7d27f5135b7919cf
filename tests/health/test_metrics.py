"""/metrics: closed to the public, open to the token or an allowed address; DutyDesk's gauges;
/healthz answers 503 when the worker has fallen behind."""

import datetime as dt

import pytest
from django.utils import timezone

from apps.followups.models import Reminder, SendLog
from apps.followups.seeds import rules_seed
from tests.factories.followups import make_customer, make_followup

pytestmark = pytest.mark.django_db
PUBLIC = {"REMOTE_ADDR": "203.0.113.7"}


@pytest.fixture
def overdue_reminder(store, organisation, aftersales):
    rule = rules_seed(organisation)["first-call-pickup"]
    followup = make_followup(rule, make_customer(store, owner=aftersales))
    return Reminder.objects.create(
        followup=followup,
        kind=Reminder.Kind.OPENED,
        key="ops:1",
        due_at=timezone.now() - dt.timedelta(minutes=20),
    )


def test_metrics_are_hidden_from_a_public_address_without_the_token(client, settings):
    settings.METRICS_TOKEN = "s3cret-token"
    assert client.get("/metrics", **PUBLIC).status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}, **PUBLIC).status_code == 404


def test_metrics_answer_the_bearer_token_from_anywhere(client, settings):
    settings.METRICS_TOKEN = "s3cret-token"
    resp = client.get("/metrics", headers={"Authorization": "Bearer s3cret-token"}, **PUBLIC)
    assert resp.status_code == 200
    assert resp["Content-Type"].startswith("text/plain")


def test_an_empty_token_opens_nothing(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", headers={"Authorization": "Bearer "}, **PUBLIC).status_code == 404


def test_metrics_answer_an_allowed_network(client, settings):
    settings.METRICS_ALLOWED_ADDRESSES = ["10.1.0.0/16"]
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.2.0.1").status_code == 404


def test_metrics_show_requests_by_view_queries_by_view_and_dutydesks_gauges(
    client, client_for, clerk, overdue_reminder
):
    client_for(clerk).get("/customers/")
    text = client.get("/metrics").content.decode()  # the test client comes from 127.0.0.1
    assert (
        'django_http_requests_total_by_view_transport_method_total{method="GET",transport="http",view="customers:list"}'
        in text
    )
    assert 'dutydesk_db_queries_total{view="customers:list"}' in text
    assert "django_http_requests_latency_seconds_by_view_method" in text
    values = {
        line.split()[0]: float(line.split()[1])
        for line in text.splitlines()
        if line.startswith("dutydesk_") and "{" not in line.split()[0]
    }
    assert values["dutydesk_reminders_due"] == 1
    assert values["dutydesk_reminders_overdue"] == 1
    assert values["dutydesk_reminder_lag_seconds"] >= 20 * 60 - 5
    assert values["dutydesk_outbox_length"] == 0
    assert values["dutydesk_print_jobs_waiting"] == 0
    assert values["dutydesk_checklist_runs_missed_today"] == 0
    assert values["dutydesk_beat_last_tick_age_seconds"] == -1


def test_healthz_reports_the_workers_lag_and_answers_200_within_the_limits(
    client, overdue_reminder, settings
):
    settings.HEALTH_MAX_REMINDER_LAG = 60 * 60
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["lag"]["reminder_lag_seconds"] >= 20 * 60 - 5
    assert body["lag"]["outbox_length"] == 0
    assert body["behind"] == []


def test_healthz_answers_503_when_the_oldest_due_reminder_is_past_the_limit(
    client, overdue_reminder, settings
):
    settings.HEALTH_MAX_REMINDER_LAG = 10 * 60
    resp = client.get("/healthz")
    assert resp.status_code == 503
    assert resp.json()["behind"] == ["reminder_lag_seconds"]


def test_healthz_answers_503_when_the_outbox_backs_up(client, overdue_reminder, settings, aftersales):
    settings.HEALTH_MAX_OUTBOX = 0
    settings.HEALTH_MAX_REMINDER_LAG = 60 * 60
    SendLog.objects.create(
        reminder=overdue_reminder, user=aftersales, channel="email", key="ops:1:email", status="queued"
    )
    resp = client.get("/healthz")
    assert resp.status_code == 503
    assert resp.json()["behind"] == ["outbox_length"]


def test_sentry_is_off_without_a_dsn_and_on_with_one(tmp_path):
    from tests.test_settings import settings_in_subprocess

    probe = "s.SENTRY_ENABLED, __import__('sentry_sdk').get_client().is_active()"
    off = settings_in_subprocess(
        "config.settings.local", {"DUTYDESK_VAR_DIR": str(tmp_path), "SENTRY_DSN": ""}, probe
    )
    assert off == "(False, False)"
    on = settings_in_subprocess(
        "config.settings.local",
        {"DUTYDESK_VAR_DIR": str(tmp_path), "SENTRY_DSN": "http://public@127.0.0.1:9/1"},
        probe + ", sorted(__import__('sentry_sdk').get_client().integrations)",
    )
    assert on.startswith("(True, True, [")
    assert "'celery'" in on and "'django'" in on


def test_with_several_web_processes_metrics_sum_every_process_and_still_show_the_gauges(
    client, monkeypatch, tmp_path
):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    text = client.get("/metrics").content.decode()
    assert "dutydesk_reminders_due" in text
