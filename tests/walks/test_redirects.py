"""A redirect never leaves the site because of what the request asked for (#10, section 4).

Every POST form and hx-post action the demo roles reach is posted, filled in as a person would,
with `next` pointing off-site; every page (as every role and as an anonymous visitor) is opened with
such a `?next=`, and every form on it that posts a `next` (the sign-in page) is submitted with it.
No answer may send the browser to another host: not by Location, nor by htmx's HX-Redirect /
HX-Location.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import pytest
from django.conf import settings
from django.db import transaction
from django.utils.http import url_has_allowed_host_and_scheme

from apps.org.redirects import is_safe_next
from tests.walks.crawl import parse, route_of
from tests.walks.posting import body, distinct_post_forms, filled, post

EVIL = ["https://evil.example/x", "//evil.example/x", "\\\\evil.example", "/\\evil.example"]
HOST = "testserver"


def _off_site(response) -> str | None:
    for header in ("Location", "HX-Redirect", "HX-Location"):
        target = response.get(header, "")
        if target.startswith("{"):  # HX-Location may be a JSON object with a path
            target = target.split('"path"', 1)[-1].split('"')[1] if '"path"' in target else ""
        if target and not url_has_allowed_host_and_scheme(target, allowed_hosts={HOST}):
            return f"{header}: {target}"
    return None


def _with_next(url: str, target: str) -> str:
    return f"{url}{'&' if urlsplit(url).query else '?'}next={quote(target, safe='')}"


def test_a_posted_next_never_sends_the_browser_off_site(demo, db, demo_sites):
    """Every crawled POST form, posted with next=https://evil.example/x (and the protocol-relative
    and backslash variants), answers with no redirect to another host."""
    forms = distinct_post_forms({u: s for u, s in demo_sites.items() if u is not None})
    assert len(forms) > 20, "the crawl reached too few forms to walk"
    problems = []
    for username, form in forms:
        client = demo.client(username)  # one per form: posting the sign-out form signs it out
        for target in EVIL:
            data = filled(form)
            data["next"] = [target]
            with transaction.atomic():
                response = post(client, form, data)
                transaction.set_rollback(True)
            if where := _off_site(response):
                problems.append(f"{username} POST {form.action} next={target!r}: {where}")
    assert not problems, "\n".join(problems)


def test_a_next_in_the_address_never_sends_the_browser_off_site(demo, db, demo_sites):
    """Every crawled page opened with ?next=<another host> answers with no redirect off-site, and
    every form on it that posts a next (signing in, the language switch) does not redirect off-site
    when submitted with that next."""
    problems: list[str] = []
    submitted: set[tuple[str | None, str]] = set()  # (route of the form, next) already posted
    seen_routes: set[str | None] = set()
    for username, site in demo_sites.items():  # each page once, as the first role that reached it
        client = demo.client(username)
        for url in site.pages:
            route = route_of(url)
            if route in seen_routes:
                continue
            seen_routes.add(route)
            next_forms: set[str | None] = set()  # routes of the page's forms that post a next
            for i, target in enumerate(EVIL):
                if i and all((r, target) in submitted for r in next_forms):
                    continue  # one GET per page is enough unless a form on it is still to walk
                response = client.get(_with_next(url, target))
                who = username or "anonymous"
                if where := _off_site(response):
                    problems.append(f"{who} GET {url}?next={target!r}: {where}")
                page = parse(url, response.status_code, response.get("Content-Type", ""), body(response))
                for form in page.forms:
                    if form.method != "post" or "next" not in {f.name for f in form.fields}:
                        continue
                    next_forms.add(form.route)
                    if (form.route, target) in submitted:
                        continue
                    submitted.add((form.route, target))
                    if where := _submit_with_next(demo, username, form, target):
                        problems.append(f"{who} POST {form.action} (from {url}) next={target!r}: {where}")
    assert ("accounts/login/", EVIL[0]) in submitted, "the sign-in form should have been walked"
    assert not problems, "\n".join(problems)


def _submit_with_next(demo, username, form, target) -> str | None:
    data = filled(form)
    data["next"] = [target]
    if username is None and {"username", "password"} <= {f.name for f in form.fields}:
        data.update(username=["manager"], password=[settings.DEMO_PASSWORD])  # a real sign-in
    with transaction.atomic():
        answer = post(demo.client(username), form, data)
        transaction.set_rollback(True)
    if where := _off_site(answer):
        return where
    if username is None and "password" in data and answer.status_code != 302:
        return f"the demo sign-in failed ({answer.status_code})"
    return None


@pytest.mark.parametrize("target", EVIL + ["", "x\x00", "/ok/\x00", "javascript:alert(1)", "/a b"])
def test_safe_next_refuses_another_host_and_control_characters(rf, target):
    """The helper's own rule: only a path of this host, without control characters or blanks."""
    request = rf.post("/", {"next": target})
    assert not is_safe_next(request, target)


def test_safe_next_keeps_a_path_of_this_site(rf):
    request = rf.post("/", {"next": "/followups/?section=overdue"})
    assert is_safe_next(request, "/followups/?section=overdue")
