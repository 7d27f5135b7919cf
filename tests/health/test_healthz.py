import pytest
from django.urls import reverse

from apps.health.models import Heartbeat
from apps.health.tasks import heartbeat_task

pytestmark = pytest.mark.django_db


def test_healthz_answers_200_when_database_and_broker_are_reachable(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "ok"
    assert response.json()["database"] == "ok"
    assert response.json()["broker"] == "ok"


def test_healthz_needs_no_sign_in(client):
    assert client.get("/healthz").status_code == 200


def test_healthz_answers_503_when_the_broker_is_unreachable(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] != "ok"


def test_healthz_answers_503_when_the_database_is_unreachable(client, monkeypatch):
    from apps.health import views

    monkeypatch.setattr(views, "database_reachable", lambda: (False, "OperationalError"))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "OperationalError"


def test_heartbeat_task_is_visible_in_healthz(client):
    heartbeat_task.delay()
    heartbeat_task.delay()
    beat = client.get("/healthz").json()["heartbeat"]
    assert beat["count"] == 2
    assert Heartbeat.objects.get(name="beat").count == 2


def test_beat_schedule_ticks_the_heartbeat_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["health-heartbeat"]
    assert entry["task"] == "apps.health.tasks.heartbeat_task"
    assert entry["schedule"].minute == set(range(60))
