"""Log lines an operator can search: who, where and which request, on every line.

- `RequestContextMiddleware` gives each request an id (a sane incoming `X-Request-ID` is kept, so a
  proxy's id runs through), answers it in `X-Request-ID`, and puts the id, the user and the store
  into context variables for the duration of the request.
- `ContextFilter` copies them onto every log record (`request_id`, `user_id`, `store`); Celery tasks
  enqueued during a request carry the id in their headers and restore it while they run.
- `JsonFormatter` writes one JSON object a line (`LOG_FORMAT=json`).
- `QuietForbidden` turns Django's "Forbidden" record into one line: a refused request is routine,
  not a traceback.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from contextvars import ContextVar, Token
from datetime import UTC, datetime

from celery.signals import before_task_publish, task_postrun, task_prerun

request_id_var: ContextVar[str] = ContextVar("request_id", default="")
user_id_var: ContextVar[int | None] = ContextVar("user_id", default=None)
store_var: ContextVar[str] = ContextVar("store", default="")

SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
HEADER = "dutydesk_request_id"


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if SANE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = rid
        tokens = [request_id_var.set(rid), user_id_var.set(None), store_var.set("")]
        try:
            response = self.get_response(request)
        finally:
            for var, token in zip((request_id_var, user_id_var, store_var), tokens, strict=True):
                var.reset(token)
        response["X-Request-ID"] = rid
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # After authentication: from here on every line names the user; views that work in one
        # store may set `store_var` (see `log_store`).
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            user_id_var.set(user.pk)
        return None


def log_store(store) -> None:
    """Name the store the current request or task works in, on the log lines that follow."""
    store_var.set(getattr(store, "code", "") or str(store or ""))


class ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        record.user_id = user_id_var.get()
        record.store = store_var.get()
        return True


class QuietForbidden(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or None,
            "user_id": getattr(record, "user_id", None),
            "store": getattr(record, "store", "") or None,
        }
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


@before_task_publish.connect
def _carry_request_id(headers=None, **kwargs):
    rid = request_id_var.get()
    if rid and headers is not None:
        headers[HEADER] = rid


_task_tokens: dict[str, Token[str]] = {}


@task_prerun.connect
def _restore_request_id(task_id=None, task=None, **kwargs):
    rid = getattr(task.request, HEADER, None) if task is not None else None
    if rid:
        _task_tokens[task_id] = request_id_var.set(rid)


@task_postrun.connect
def _clear_request_id(task_id=None, **kwargs):
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        request_id_var.reset(token)
