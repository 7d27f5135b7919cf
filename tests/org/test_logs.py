"""Log lines name the request, the user and the store; JSON on demand; a 403 is one line."""

import datetime as dt
import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from apps.org.logs import (
    HEADER,
    ContextFilter,
    JsonFormatter,
    QuietForbidden,
    _carry_request_id,
    _clear_request_id,
    _restore_request_id,
    request_id_var,
)
from tests.test_settings import settings_in_subprocess


@pytest.fixture
def json_lines():
    """Lines the console handler would write with LOG_FORMAT=json, for the django.request logger."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(ContextFilter())
    handler.addFilter(QuietForbidden())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)


def test_a_refused_request_is_one_json_line_with_request_user_and_store(
    client_for, clerk, store2, json_lines
):
    from apps.org.models import RoleTier
    from tests.factories.org import member

    member(store2, RoleTier.CLERK, "clerk_elsewhere")
    resp = client_for(clerk).get("/org/staff/", headers={"X-Request-ID": "req-0123456789"})
    assert resp.status_code == 403
    assert resp["X-Request-ID"] == "req-0123456789"
    (line,) = json_lines()
    assert line["level"] == "WARNING"
    assert line["logger"] == "django.request"
    assert line["request_id"] == "req-0123456789"
    assert line["user_id"] == clerk.pk
    assert "exc_info" not in line  # one line, no traceback
    assert set(line) >= {"time", "level", "logger", "message", "request_id", "user_id", "store"}


def test_a_request_without_a_sane_id_gets_a_new_one(client):
    resp = client.get("/healthz", headers={"X-Request-ID": "<script>"})
    assert resp["X-Request-ID"] != "<script>"
    assert len(resp["X-Request-ID"]) == 32


def test_log_lines_name_the_store_a_view_checked(client_for, manager, store, json_lines, settings):
    """`require(user, perm, store)` names the store on the lines that follow."""
    from apps.org.access import require
    from apps.org.logs import store_var

    token = store_var.set("")
    try:
        require(manager, "store.view", store)
        record = logging.LogRecord("x", logging.INFO, __file__, 1, "m", None, None)
        ContextFilter().filter(record)
        assert record.store == store.code
    finally:
        store_var.reset(token)


def test_the_request_id_travels_with_a_task_enqueued_during_the_request():
    class Request:
        pass

    class Task:
        request = Request()

    token = request_id_var.set("req-abcdef123456")
    headers = {}
    _carry_request_id(headers=headers)
    request_id_var.reset(token)
    assert headers[HEADER] == "req-abcdef123456"

    setattr(Task.request, HEADER, headers[HEADER])  # what the worker finds on task.request
    _restore_request_id(task_id="t1", task=Task())
    assert request_id_var.get() == "req-abcdef123456"
    _clear_request_id(task_id="t1")
    assert request_id_var.get() == ""


def test_log_format_json_selects_the_json_formatter(tmp_path):
    out = settings_in_subprocess(
        "config.settings.local",
        {"DUTYDESK_VAR_DIR": str(tmp_path), "LOG_FORMAT": "json"},
        "s.LOGGING['handlers']['console']['formatter'], s.CELERY_WORKER_HIJACK_ROOT_LOGGER",
    )
    assert out == "('json', False)"


def test_the_console_mail_backend_logs_one_info_line_per_message(tmp_path):
    out = settings_in_subprocess(
        "config.settings.local", {"DUTYDESK_VAR_DIR": str(tmp_path)}, "s.EMAIL_BACKEND"
    )
    assert out == "'apps.notifications.mail.LogEmailBackend'"


@pytest.fixture
def records():
    """Every log record that reaches the root logger's handlers, at any level (what the console
    would print). A handler of its own rather than caplog: the suite also runs with
    `-p no:logging`."""
    found: list[logging.LogRecord] = []
    handler = logging.Handler(level=logging.DEBUG)
    handler.emit = found.append
    root = logging.getLogger()
    root.addHandler(handler)
    yield found
    root.removeHandler(handler)


def test_the_log_mail_backend_logs_each_message_at_debug_only(records):
    """2,700 notification e-mails must not be 2,700 console lines: one DEBUG line each (and the
    body at DEBUG); the sender logs one INFO line per batch."""
    from django.core.mail import EmailMessage

    from apps.notifications.mail import LogEmailBackend

    logger = logging.getLogger("dutydesk.mail")
    logger.setLevel(logging.DEBUG)
    try:
        messages = [EmailMessage("回访提醒", "正文" * 100, to=[f"a{i}@example.com"]) for i in range(3)]
        sent = LogEmailBackend().send_messages(messages)
    finally:
        logger.setLevel(logging.NOTSET)
    assert sent == 3
    mail = [r for r in records if r.name == "dutydesk.mail"]
    assert "e-mail to a0@example.com: 回访提醒" in [r.getMessage() for r in mail]
    assert {r.levelno for r in mail} == {logging.DEBUG}


@pytest.mark.django_db
def test_the_outbox_logs_one_info_line_per_batch_of_e_mails(records, organisation, store, aftersales):
    from django.utils import timezone

    from apps.followups.reminders import outbox_deliver, reminders_dispatch
    from apps.followups.seeds import rules_seed
    from tests.factories.followups import make_customer, make_followup

    rule = rules_seed(organisation)["first-call-pickup"]
    for _ in range(3):
        customer = make_customer(store, owner=aftersales)
        make_followup(rule, customer, trigger_date=timezone.localdate() - dt.timedelta(days=4))
    reminders_dispatch()
    records.clear()
    assert outbox_deliver() == 3
    infos = [r for r in records if r.levelno >= logging.INFO]
    assert [r.getMessage() for r in infos] == [
        "followups: outbox delivered 3 e-mails and 0 webhook posts; 0 not delivered"
    ]


@pytest.mark.django_db
def test_a_refused_request_is_logged_once_without_a_traceback(records, client_for, clerk):
    """Django logs a 403 with the PermissionDenied attached: the record reaches every handler (and
    Django's own console handler no longer prints it a second time) without its traceback."""
    resp = client_for(clerk).get("/org/staff/")
    assert resp.status_code == 403
    refused = [r for r in records if r.name.startswith("django") and r.levelno >= logging.WARNING]
    assert len(refused) == 1
    (record,) = refused
    assert (
        record.name == "django.request"
        and record.getMessage() == "Forbidden (Permission denied): /org/staff/"
    )
    assert record.exc_info is None and record.exc_text is None


def test_under_the_development_settings_a_403_prints_one_line_and_no_traceback(tmp_path):
    """The dev server (DEBUG on): Django's console handler printed the traceback, the root handler
    the line again."""
    code = (
        "import django; django.setup()\n"
        "from django.core.exceptions import PermissionDenied\n"
        "from django.http import HttpResponseForbidden\n"
        "from django.utils.log import log_response\n"
        "try:\n    raise PermissionDenied\n"
        "except PermissionDenied as exc:\n"
        "    log_response('Forbidden (Permission denied): %s', '/org/staff/', "
        "response=HttpResponseForbidden(), exception=exc)\n"
    )
    base = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"}
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**base, "DJANGO_SETTINGS_MODULE": "config.settings.local", "DUTYDESK_VAR_DIR": str(tmp_path)},
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    lines = [line for line in (result.stdout + result.stderr).splitlines() if "axes" not in line]
    assert "Traceback" not in result.stderr
    assert len([line for line in lines if "Forbidden" in line]) == 1


def test_the_development_settings_keep_celerys_per_task_lines_off_the_console(tmp_path):
    out = settings_in_subprocess(
        "config.settings.local",
        {"DUTYDESK_VAR_DIR": str(tmp_path)},
        "[s.LOGGING['loggers'][n]['level'] for n in ('celery.app.trace', 'celery.worker.strategy', 'celery.beat')]",
    )
    assert out == "['WARNING', 'WARNING', 'WARNING']"
