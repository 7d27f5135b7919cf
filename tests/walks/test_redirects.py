"""A redirect never leaves the site because of what the request asked for (#10, section 4).

Every POST form and hx-post action the demo roles reach is posted, filled in as a person would,
with `next` pointing off-site; every page (as every role and as an anonymous visitor) is opened with
such a `?next=`, and a form that carries that `next` along (the sign-in page) is submitted with it.
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
from tests.walks.posting import distinct_post_forms, filled, post

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
    """Every crawled page opened with ?next=<another host> answers with no redirect off-site, and a
    form that carries the next along (signing in) does not redirect off-site when submitted."""
    problems = []
    seen_routes: set[str | None] = set()
    for username, site in demo_sites.items():  # each page once, as the first role that reached it
        client = demo.client(username)
        for url in site.pages:
            route = route_of(url)
            if route in seen_routes:
                continue
            seen_routes.add(route)
            for target in EVIL:
                response = client.get(_with_next(url, target))
                if where := _off_site(response):
                    problems.append(f"{username or 'anonymous'} GET {url}?next={target!r}: {where}")
                if target not in response.content.decode("utf-8", "replace"):
                    break  # the page does not carry a next along: one value is enough
                problems.extend(_submit_carried_next(demo, username, url, response, target))
    assert not problems, "\n".join(problems)


def _submit_carried_next(demo, username, url, response, target) -> list[str]:
    page = parse(url, response.status_code, response.get("Content-Type", ""), response.content.decode())
    problems = []
    for form in page.forms:
        if form.method != "post" or not any(f.name == "next" and f.value == target for f in form.fields):
            continue
        data = filled(form)
        names = {f.name for f in form.fields}
        if username is None and {"username", "password"} <= names:
            data.update(username=["manager"], password=[settings.DEMO_PASSWORD])  # a real sign-in
        with transaction.atomic():
            answer = post(demo.client(username), form, data)
            transaction.set_rollback(True)
        if where := _off_site(answer):
            problems.append(f"{username or 'anonymous'} POST {form.action} (from {url}): {where}")
    return problems


@pytest.mark.parametrize("target", EVIL + ["", "x\x00", "/ok/\x00", "javascript:alert(1)", "/a b"])
def test_safe_next_refuses_another_host_and_control_characters(rf, target):
    """The helper's own rule: only a path of this host, without control characters or blanks."""
    request = rf.post("/", {"next": target})
    assert not is_safe_next(request, target)


def test_safe_next_keeps_a_path_of_this_site(rf):
    request = rf.post("/", {"next": "/followups/?section=overdue"})
    assert is_safe_next(request, "/followups/?section=overdue")
