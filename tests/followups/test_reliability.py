"""Reminders stay exact under faults, on the real PostgreSQL and Redis.

These need row locks that other transactions respect (`select_for_update(skip_locked=True)`) and a
real broker: they skip on SQLite / the embedded broker (`QUICK=1`), and run in `scripts/test.sh`.
"""

import datetime as dt
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

from apps.followups.models import Reminder, SendLog
from apps.followups.reminders import reminders_dispatch
from apps.notifications.models import Notification
from tests.factories.followups import make_customer, make_followup, reminder_key_of, reminder_notes

D = dt.timedelta
pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


OUTAGE_SECONDS = 30


@pytest.fixture(autouse=True)
def _real_servers_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks with SKIP LOCKED (SQLite has none); run scripts/test.sh")
    if not settings.REDIS_URL:
        pytest.skip("needs a real Redis server (embedded broker in use); run scripts/test.sh")


def _many_due(rules, store, owner, n):
    for _ in range(n):
        # Window opened yesterday: due now at any time of day (today's windows open at 09:00 local).
        make_followup(
            rules["new-product"],
            make_customer(store, owner=owner),
            trigger_date=timezone.localdate() - D(days=1),
        )
    assert Reminder.objects.filter(sent_at__isnull=True, due_at__lte=timezone.now()).count() == n


def _assert_each_sent_once(n):
    assert Reminder.objects.filter(kind="opened", sent_at__isnull=False).count() == n
    assert Notification.objects.count() == n
    assert len({reminder_key_of(note) for note in Notification.objects.all()}) == n
    assert SendLog.objects.filter(channel="inapp").count() == n


KILLER = """
import os, sys
sys.path.insert(0, {root!r})
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
import django
django.setup()
from django.conf import settings
settings.DATABASES["default"]["NAME"] = {name!r}
from apps.followups import reminders
from apps.followups.models import SendLog
from apps.notifications.models import Notification
real_send = reminders.notifications_send_batch
batches = {{"n": 0}}
def send_then_die(messages, **kwargs):
    sent = real_send(messages, **kwargs)
    batches["n"] += 1
    if batches["n"] == 2:
        # The second batch's send log and notifications are written in its open transaction:
        # report what that transaction sees, then die with no rollback call and no commit.
        print(SendLog.objects.filter(channel="inapp").count(), Notification.objects.count(), flush=True)
        os._exit(9)
    return sent
reminders.notifications_send_batch = send_then_die
reminders.reminders_dispatch(batch=10)
"""


def test_a_worker_process_killed_mid_batch_loses_nothing_and_sends_nothing_twice(rules, store, aftersales):
    """The worker commits its first batch of 10, writes the second batch's rows and is killed
    before that commit: the first batch stays sent, the second vanishes with the transaction, and
    the next run sends the remaining 20, each of the 30 exactly once."""
    _many_due(rules, store, aftersales, 30)
    script = KILLER.format(root=str(ROOT), name=connection.settings_dict["NAME"])
    done = subprocess.run(
        [sys.executable, "-c", script], env=os.environ.copy(), timeout=60, capture_output=True
    )
    assert done.returncode == 9, done.stderr.decode()[-2000:]
    assert [int(n) for n in done.stdout.split()] == [20, 20]  # written when it died: 10 committed + 10
    assert SendLog.objects.filter(channel="inapp").count() == Notification.objects.count() == 10
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 10
    assert reminders_dispatch() == 20
    assert reminders_dispatch() == 0
    _assert_each_sent_once(30)


def test_two_beats_at_once_send_each_reminder_once(rules, store, aftersales, monkeypatch):
    """Both beats hold a claimed batch at the same moment (each waits inside its first batch until
    the other is inside one too), so both do work, on disjoint rows: every reminder once."""
    from apps.followups import reminders

    _many_due(rules, store, aftersales, 120)
    start = threading.Barrier(2)
    both_inside = threading.Barrier(2, timeout=30)
    waited = threading.local()
    overlapped = []

    def wait_for_the_other_beat(index):
        if not getattr(waited, "done", False):
            waited.done = True
            # Breaks (and fails the test) if the other beat cannot claim rows while this one
            # holds its batch: blocked on this batch's locks, or never running.
            both_inside.wait()
            overlapped.append(threading.get_ident())

    monkeypatch.setattr(reminders, "_hook_for_send", wait_for_the_other_beat)
    results, errors = [], []

    def beat():
        try:
            start.wait()
            results.append(reminders_dispatch(batch=10))
        except Exception as exc:  # pragma: no cover - shown in the assertion
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=beat) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert len(set(overlapped)) == 2  # both were inside a batch at once
    assert len(results) == 2 and all(n > 0 for n in results) and sum(results) == 120, results
    _assert_each_sent_once(120)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OwnRedis:
    """A redis-server this test starts, stops and restarts on one port (no persistence)."""

    def __init__(self, tmp_path):
        self.port = _free_port()
        self.dir = tmp_path
        self.proc = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        exe = shutil.which("redis-server")
        self.proc = subprocess.Popen(
            [
                exe,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        for _ in range(100):
            try:
                redis.Redis.from_url(self.url).ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)

    def queued(self) -> int:
        import redis

        return redis.Redis.from_url(self.url).llen("celery")


@pytest.fixture
def own_redis(tmp_path):
    server = OwnRedis(tmp_path)
    server.start()
    yield server
    if server.proc and server.proc.poll() is None:
        server.stop()


def _env(broker_url: str) -> dict:
    db = connection.settings_dict
    env = os.environ.copy()
    env.update(
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        CELERY_BROKER_URL=broker_url,
        REDIS_URL=broker_url,
        DJANGO_SETTINGS_MODULE="config.settings.test",
    )
    return env


def _run(broker_url: str, *args) -> subprocess.CompletedProcess:
    """A separate process (a web request or a beat tick) on the test database and this broker."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "tests/followups/proc_helper.py"), *map(str, args)],
        env=_env(broker_url),
        timeout=60,
        capture_output=True,
    )
    assert done.returncode == 0, done.stderr.decode()[-3000:]
    return done


def test_a_rolled_back_transaction_enqueues_nothing_on_redis(rules, customer, aftersales, manager, own_redis):
    fu = make_followup(rules["first-call-pickup"], customer)
    _run(own_redis.url, "complaint-rolled-back", fu.pk, aftersales.pk)
    assert own_redis.queued() == 0
    assert not Reminder.objects.filter(kind="alert").exists()
    _run(own_redis.url, "complaint", fu.pk, aftersales.pk)
    assert own_redis.queued() == 1
    assert Reminder.objects.filter(kind="alert").count() == 1


def test_redis_stopped_and_restarted_loses_no_reminder_and_sends_none_twice(
    rules, store, customer, aftersales, manager, own_redis
):
    """Redis is down for 30 s and comes back empty (the worst case: what it held is lost).
    Publishing fails while it is down, the request still succeeds, and worker and beat pick up
    again from the database once it is back: every reminder is sent, and sent once."""
    first = make_followup(rules["first-call-pickup"], customer)
    _run(own_redis.url, "complaint", first.pk, aftersales.pk)  # published to Redis
    assert own_redis.queued() == 1
    own_redis.stop()
    outage_started = time.monotonic()
    second = make_followup(rules["first-call-pickup"], make_customer(store, owner=aftersales))
    started = time.monotonic()
    done = _run(own_redis.url, "complaint", second.pk, aftersales.pk)  # the broker is down
    print(f"complaint with the broker down took {time.monotonic() - started:.1f}s")
    assert time.monotonic() - started < 30
    assert b"could not enqueue" in done.stderr
    assert Reminder.objects.filter(kind="alert", sent_at__isnull=True).count() == 2
    time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - outage_started)))
    own_redis.start()  # empty: the message queued before the outage is gone with it
    assert own_redis.queued() == 0
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
            "-l",
            "WARNING",
        ],
        cwd=ROOT,
        env=_env(own_redis.url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    started = time.monotonic()
    try:
        _run(own_redis.url, "beat")  # what beat sends every minute
        _run(own_redis.url, "beat")  # and a doubled tick
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and (
            own_redis.queued() or Reminder.objects.filter(kind="alert", sent_at__isnull=True).exists()
        ):
            time.sleep(0.2)
        print(f"worker caught up in {time.monotonic() - started:.1f}s")
        time.sleep(1)
    finally:
        worker.terminate()
        _out, err = worker.communicate(timeout=20)
    alerts = reminder_notes(recipient=manager, kind="alert")
    assert len(alerts) == 2, err.decode()[-3000:]
    assert len({reminder_key_of(note) for note in alerts}) == 2
    assert SendLog.objects.filter(channel="inapp").count() == Notification.objects.count()
