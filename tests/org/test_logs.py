"""Log lines name the request, the user and the store; JSON on demand; a 403 is one line."""

import io
import json
import logging

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


def test_the_log_mail_backend_writes_subject_and_recipients_at_info():
    from django.core.mail import EmailMessage

    from apps.notifications.mail import LogEmailBackend

    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logger = logging.getLogger("dutydesk.mail")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        sent = LogEmailBackend().send_messages([EmailMessage("回访提醒", "正文" * 100, to=["a@example.com"])])
    finally:
        logger.removeHandler(handler)
        logger.setLevel(logging.NOTSET)
    assert sent == 1
    infos = [r for r in records if r.levelno == logging.INFO]
    assert [r.getMessage() for r in infos] == ["e-mail to a@example.com: 回访提醒"]
    assert all(r.levelno == logging.DEBUG for r in records if r not in infos)  # the body, at DEBUG only
