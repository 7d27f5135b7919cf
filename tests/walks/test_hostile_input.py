"""Hostile input never gives a server error (#10, section 5).

Every POST form and hx-post action the demo roles reach is posted with hostile values chosen by
the type of each field: number inputs get number-ish values, dates impossible dates, text gets
blanks, a NUL character, 200 emoji and 20,000 characters, choices (selects, radios, checkboxes,
hidden ids) an id of nobody, -1, a 20-digit id and a NUL. The rest of the form is sent as a person
filled it in. One instance per distinct form, one post per value and field type (every field of
that type at once), each post in a savepoint rolled back, so posts do not interact.
"""

from __future__ import annotations

from django.db import transaction

from tests.walks.crawl import parse, route_of
from tests.walks.posting import (
    ERROR_SHOWN,
    body,
    distinct_post_forms,
    filled,
    post,
    rejected,
    row_counts,
    shape,
)

NUL = "a\x00b"
HUGE = "12345678901234567890"
EMOJI = "😀" * 200
LONG = "长" * 20_000

# A handful of values per field type (not the cross product of fields and values).
HOSTILE = {
    "number": ["", " ", "-1", HUGE, "1e309", "１２３"],
    "date": ["2026-02-30", "0", "１２３"],
    "datetime": ["2026-02-30T25:61", "-1"],
    "time": ["25:61", "-1"],
    "text": [" ", NUL, EMOJI, LONG],
    "choice": ["-1", "999999999", HUGE, "x\x00"],
}
KIND = {
    "number": "number",
    "range": "number",
    "date": "date",
    "month": "date",
    "week": "date",
    "datetime-local": "datetime",
    "time": "time",
    "text": "text",
    "textarea": "text",
    "search": "text",
    "email": "text",
    "tel": "text",
    "url": "text",
    "password": "text",
    "select": "choice",
    "radio": "choice",
    "checkbox": "choice",
    "hidden": "choice",
}
# Typed text a page that shows the form again must keep (a password is never shown again).
KEPT = (EMOJI, LONG)
NOT_TYPED = {"csrfmiddlewaretoken"}


def _kind(field) -> str | None:
    if field.name in NOT_TYPED:
        return None
    if field.kind == "text" and field.inputmode in ("decimal", "numeric"):
        return "number"
    return KIND.get(field.kind)


def _posts(form):
    """(kind, value, fields) to post: every value of a kind in all fields of that kind at once, and
    a 20-digit number in the fields of each shape on their own."""
    by_kind: dict[str, list] = {}
    for f in form.fields:
        if kind := _kind(f):
            by_kind.setdefault(kind, []).append(f)
    for kind, fields in by_kind.items():
        for value in HOSTILE[kind]:
            yield kind, value, fields
    shapes: dict[str, list] = {}
    for f in by_kind.get("number", []):
        shapes.setdefault(shape(f.name), []).append(f)
    if len(shapes) > 1:
        for fields in shapes.values():
            yield "number", HUGE, fields


def _lost_typed_text(response, form, fields, value) -> list[str]:
    """Names of the posted text fields that the form, shown again, shows without what was typed."""
    page = parse(form.action, response.status_code, response.get("Content-Type", ""), body(response))
    shown = {f.name: f.value for g in page.forms if route_of(g.action) == form.route for f in g.fields}
    return [f.name for f in fields if f.kind != "password" and f.name in shown and value not in shown[f.name]]


def _check(response, kind, value, fields, form, before, after) -> list[str]:
    status = response.status_code
    if status >= 500:
        return [f"{status}"]
    problems = []
    page = body(response)
    was_rejected = rejected(response)
    if status in (400, 422) and page and not ERROR_SHOWN.search(page):
        problems.append(f"{status} without an error shown")
    if was_rejected and before != after:
        problems.append(f"rejected, but rows changed in {sorted(t for t in after if after[t] != before[t])}")
    if kind == "text" and value == NUL and not was_rejected:
        problems.append(f"a NUL character was accepted ({status})")
    shown_again = status in (200, 400, 422) and ERROR_SHOWN.search(page)
    if (
        kind == "text"
        and value in KEPT
        and shown_again
        and (lost := _lost_typed_text(response, form, fields, value))
    ):
        problems.append(f"shown again without what was typed in {lost}")
    return problems


def test_hostile_values_in_every_form_never_give_a_server_error(demo, db, demo_sites):
    """No 5xx; a rejected post shows why, keeps the text typed in and changes no row; a NUL
    character is never accepted."""
    forms = distinct_post_forms({u: s for u, s in demo_sites.items() if u is not None})
    assert len(forms) > 20, "the crawl reached too few forms to walk"
    problems: list[str] = []
    for username, form in forms:
        client = demo.client(username)  # one per form: a post that signs out stays with its form
        for kind, value, fields in _posts(form):
            data = filled(form)
            for f in fields:
                data[f.name] = [value]
            with transaction.atomic():
                before = row_counts()
                response = post(client, form, data)
                after = row_counts()
                transaction.set_rollback(True)
            for problem in _check(response, kind, value, fields, form, before, after):
                problems.append(f"{username} POST {form.action} ({kind}={value[:12]!r}…): {problem}")
    assert not problems, "\n".join(problems)
