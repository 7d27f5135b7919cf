"""Posting crawled forms as a person would, and telling what the answer was.

Shared by the walks that post to every form (hostile input, redirects):

- `distinct_post_forms(sites)` -> one (username, Form) per distinct POST form or hx-post action,
  deduplicated by the route of its action and the shapes (formset rows alike) and types of its
  fields (a checklist item that takes a number is not one that takes text), first role first.
- `filled(form)` -> what a browser sends once a person has filled in the required fields that were
  empty (so a hostile value in one field is the only thing wrong with the post).
- `rejected(response)` -> the post was turned down (an error status, an error shown on the page, or
  an error message queued before a redirect).
- `row_counts()` -> rows per table, in one query, to prove a rejected post changed nothing.
"""

from __future__ import annotations

import datetime as dt
import re

from django.apps import apps
from django.contrib import messages
from django.contrib.messages import get_messages
from django.db import connection
from django.utils import timezone

from tests.walks.crawl import Form, Site

# Tables a rejected post may still write to: the session (messages, language) and the sign-in
# lockout's attempt log, which records a wrong password on purpose.
UNTRACKED_APPS = {"sessions", "axes", "admin"}

# How a page shows that a post was not accepted: crispy / Bootstrap field errors, Django's error
# list, an error alert (messages.error or a form's non-field errors), the htmx fragments' error hooks.
ERROR_SHOWN = re.compile(
    r'is-invalid|invalid-feedback|errorlist|aria-invalid="true"|alert-danger|data-testid="[\w-]*error"',
    re.IGNORECASE,
)


def distinct_post_forms(sites: dict[str, Site]) -> list[tuple[str, Form]]:
    out: dict[tuple, tuple[str, Form]] = {}
    for username, site in sites.items():
        for form in [*site.forms, *site.actions]:
            if form.method != "post" or form.route is None:
                continue
            key = (form.route, tuple(sorted({(shape(f.name), f.kind, f.inputmode) for f in form.fields})))
            out.setdefault(key, (username, form))
    return list(out.values())


def shape(name: str) -> str:
    """A field's name with its row numbers left out: every row of a formset has the same shape."""
    return re.sub(r"\d+", "#", name)


def _plausible(kind: str) -> str | None:
    now = timezone.localtime()
    return {
        "text": "测试",
        "textarea": "测试",
        "search": "测试",
        "email": "demo@example.com",
        "tel": "13800138000",
        "url": "https://example.com/",
        "password": "not-the-password-1",
        "number": "1",
        "range": "1",
        "date": now.date().isoformat(),
        "month": now.strftime("%Y-%m"),
        "datetime-local": (now + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "time": "09:00",
    }.get(kind)


def filled(form: Form) -> dict[str, list[str]]:
    data = form.data()
    for f in form.fields:
        if not f.required or any(data.get(f.name, [])):
            continue
        if f.kind == "select":
            value = next((o for o in f.options if o), None)
        elif f.kind in ("radio", "checkbox"):
            value = f.value or "on"
        else:
            value = _plausible(f.kind)
        if value is not None:
            data[f.name] = [value]
    return data


def post(client, form: Form, data: dict[str, list[str]]):
    headers = {"HX-Request": "true"} if form.htmx else {}
    response = client.post(form.action, data, headers=headers)
    # Messages queued for the next page would show up on the answer to the next post.
    client.cookies.pop("messages", None)
    return response


def body(response) -> str:
    if getattr(response, "streaming", False) or "html" not in response.get("Content-Type", ""):
        return ""
    return response.content.decode("utf-8", "replace")


def error_message_queued(response) -> bool:
    request = getattr(response, "wsgi_request", None)
    if request is None or not hasattr(request, "_messages"):
        return False
    return any(m.level >= messages.ERROR for m in get_messages(request))


def rejected(response) -> bool:
    status = response.status_code
    if 400 <= status < 500:
        return True
    if status in (301, 302, 303):
        return error_message_queued(response)
    return bool(ERROR_SHOWN.search(body(response)))


def _tables() -> list[str]:
    tables = {
        m._meta.db_table
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and m._meta.app_label not in UNTRACKED_APPS
    }
    return sorted(tables)


def row_counts() -> dict[str, int]:
    tables = _tables()
    qn = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {qn(t)})" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(tables, cursor.fetchone(), strict=True))
