"""No stored script reaches another user: markup typed into any free-text field stays text on every
page, htmx fragment, printed document (the HTML WeasyPrint is given) and download, for every role.

The hostile text goes into every free-text column of every model in apps/* (the model registry,
not a list), on the demo organisation's objects. A field is left alone only when it cannot hold
that text at all, decided by its type:
- it has choices: only a choice can be stored, and pages show the choice's label;
- its own validators refuse the text (slugs, e-mail addresses, user names, ID numbers, KPI keys):
  the model refuses it on every save (`full_clean` in the services), so no user can store it;
- it is too short to hold even the shortest hostile tag (`<u x=1>`, 7 characters);
- it is a primary key.
Rows the database itself keeps immutable (an accepted handover, its lines, a signature) keep the
text they were signed with.
"""

from __future__ import annotations

import io
import json
import re
from html.parser import HTMLParser
from unittest import mock
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.db import DatabaseError, models, transaction
from django.db.models.functions import Cast, Concat
from django.test import Client
from django.urls import NoReverseMatch, resolve, reverse

from apps.org.models import User
from tests.walks.crawl import all_routes, crawl, route_of

HOSTILE = "<u x=1>'\"><img src=x onerror=alert(1)><script>alert(1)</script>"
# Any of these, unescaped in HTML, is the stored text acting as markup. The shortest fits the
# shortest field that is filled; longer fields carry the longer ones.
MARKERS = ("<u x=1>", "<img src=x", "<script>alert")
SHORTEST = len(MARKERS[0])
ROLES = ["admin", "manager", "clerk", "aftersales", "manager2", "teller", "supervisor"]
HARMLESS_VALIDATORS = (MaxLengthValidator, ProhibitNullCharactersValidator)


def hostile_for(field: models.Field) -> str | None:
    """The hostile text this field can hold, or None when the field cannot hold markup (see above)."""
    if field.primary_key or field.choices:
        return None
    value = HOSTILE[: field.max_length] if field.max_length else HOSTILE
    if len(value) < SHORTEST:
        return None
    try:
        for validator in field.validators:
            if not isinstance(validator, HARMLESS_VALIDATORS):
                validator(value)
    except ValidationError:
        return None
    return value


def free_text_fields() -> dict[type[models.Model], dict[str, str]]:
    out: dict[type[models.Model], dict[str, str]] = {}
    for model in apps.get_models():
        if not model.__module__.startswith("apps."):
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                value = hostile_for(field)
                if value is not None:
                    out.setdefault(model, {})[field.name] = value
    return out


def _values(model, fields: dict[str, str]) -> dict:
    """Column values for an UPDATE: unique columns get the row's id appended."""
    out = {}
    for name, value in fields.items():
        field = model._meta.get_field(name)
        if field.unique:
            room = (field.max_length or len(value)) - 12
            out[name] = Concat(models.Value(value[:room] + "#"), Cast("pk", models.CharField()))
        else:
            out[name] = value
    return out


def store_hostile_text() -> dict[str, int]:
    """Every free-text column of every row, per model; rows the database refuses to change are
    skipped one by one. Returns the number of rows changed per model."""
    changed = {}
    for model, fields in free_text_fields().items():
        manager = model._base_manager
        values = _values(model, fields)
        try:
            with transaction.atomic():
                changed[model._meta.label] = manager.update(**values)
        except DatabaseError:
            count = 0
            for pk in manager.values_list("pk", flat=True):
                try:
                    with transaction.atomic():
                        count += manager.filter(pk=pk).update(**values)
                except DatabaseError:
                    continue  # immutable in the database (signed): keeps what it was signed with
            changed[model._meta.label] = count
    return changed


def unescaped(text: str) -> list[str]:
    return [m for m in MARKERS if m in text]


class _PostFragments(HTMLParser):
    """Elements outside forms that POST with htmx, with the values they send (hx-vals)."""

    def __init__(self, url: str):
        super().__init__()
        self.url, self.depth, self.found = url, 0, {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.depth += 1
        elif self.depth == 0 and a.get("hx-post"):
            self.found.setdefault(urljoin(self.url, a["hx-post"]), json.loads(a.get("hx-vals") or "{}"))

    def handle_endtag(self, tag):
        if tag == "form":
            self.depth = max(self.depth - 1, 0)


def post_fragments(site) -> dict[str, dict]:
    """URL -> values of the htmx POST fragments outside forms on the crawled pages, one per route."""
    out: dict[str, dict] = {}
    routes: set[str | None] = set()
    for url, page in site.pages.items():
        if "html" not in page.content_type:
            continue
        parser = _PostFragments(url)
        parser.feed(page.body)
        for target, values in parser.found.items():
            if route_of(target) not in routes:
                routes.add(route_of(target))
                out[target] = values
    return out


class CapturedHTML:
    """Stands in for weasyprint.HTML: keeps the HTML a PDF would be made from (and skips the slow
    layout, so the walk stays cheap)."""

    seen: list[str] = []

    def __init__(self, string=None, **kwargs):
        self.seen.append(string or "")

    def write_pdf(self, *args, **kwargs):
        return b"%PDF-1.7\n%captured\n"

    def render(self, *args, **kwargs):
        return self

    @property
    def pages(self):
        return [self]

    def copy(self, pages=None):
        return self


def signed_in(username: str) -> Client:
    """A fresh client and user row: the hostile text changed the stored password hash, and the
    package-wide demo users must not be touched."""
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username=username))
    return client


@pytest.fixture
def hostile_demo(demo, db):
    changed = store_hostile_text()
    assert changed.get("customers.Customer") and changed.get("tickets.Ticket"), changed
    return changed


def test_the_hostile_text_fills_every_free_text_field_that_can_hold_it():
    """The rule picks fields by type: a plain text column is filled, a slug or a choice is not."""
    from apps.customers.models import Customer
    from apps.org.models import Store

    fields = free_text_fields()
    assert {"name", "address", "wishes", "notes", "contact_person"} <= set(fields[Customer])
    assert "kind" not in fields[Customer] and "id_number" not in fields[Customer]
    assert "code" not in fields[Store] and "name" in fields[Store]
    assert "username" not in fields[User] and "email" not in fields[User]


def test_stored_markup_is_text_on_every_page_fragment_and_printed_document_for_every_role(hostile_demo):
    CapturedHTML.seen = []
    found: list[str] = []
    reached: set[str] = set()
    downloads: dict[str, tuple[str, str]] = {}  # route -> (role, URL): one xlsx / svg download each
    linked: dict[str, list[tuple[str, str]]] = {}  # route -> (role, URL) of every link seen
    clients: dict[str, Client] = {}
    with mock.patch("weasyprint.HTML", CapturedHTML):
        for role in ROLES:
            client = clients[role] = signed_in(role)
            site = crawl(client, per_route=1)
            for url, page in site.pages.items():
                if page.status >= 500:
                    found.append(f"{role} {url}: {page.status}")
                reached.add(route_of(url) or "")
                if "html" in page.content_type:
                    found += [f"{role} {url}: {m}" for m in unescaped(page.body)]
                for link in page.links:
                    route = route_of(link) or ""
                    linked.setdefault(route, []).append((role, link))
                    if route.endswith((".xlsx", ".svg")):
                        downloads.setdefault(route, (role, link))
            # htmx POST fragments outside forms (显示完整, editor operations): once per route.
            for url, values in post_fragments(site).items():
                response = client.post(url, values, headers={"HX-Request": "true"})
                if response.status_code >= 500:
                    found.append(f"{role} POST {url}: {response.status_code}")
                if "html" in response.get("Content-Type", ""):
                    found += [f"{role} POST {url}: {m}" for m in unescaped(response.content.decode())]
            # Printed documents: the HTML handed to WeasyPrint for every PDF this role opened.
            found += [f"{role} PDF: {m}" for html in CapturedHTML.seen for m in unescaped(html)]
            CapturedHTML.seen = []
    assert not found, "\n".join(found)

    # One instance of every PDF route: the walk opened most of them; the others (a settlement
    # exists only for a settled ticket) are tried on the objects the walk saw linked.
    missing = [(route, name, p) for route, name, p in all_routes() if route.endswith(("pdf/", ".pdf"))]
    missing = [(route, name, p) for route, name, p in missing if route not in reached]
    for route, name, pattern in missing:
        assert pdf_printed_somewhere(name, route, pattern, linked, clients), f"no instance of {route} printed"
    assert not [f"PDF: {m}" for html in CapturedHTML.seen for m in unescaped(html)]
    CapturedHTML.seen = []

    # Downloads (Excel exports, the SVG chart): each as a role that saw it linked, else as admin.
    carried = 0
    for route, name, _pattern in all_routes():
        if not route.endswith((".xlsx", ".svg")) or route.startswith("admin/"):
            continue
        role, url = downloads.get(route) or ("admin", reverse(name))
        response = clients[role].get(url)
        assert response.status_code == 200, url
        if route.endswith(".svg"):
            assert not unescaped(response.content.decode()), url
        else:
            carried += check_workbook(url, response.content)
    assert carried, "no exported cell carried the stored text"


def pdf_printed_somewhere(name: str, route: str, pattern, linked, clients) -> bool:
    """GET the PDF route for the objects of its parent route ("tickets/<int:pk>/" for
    "tickets/<int:pk>/settlement.pdf") linked anywhere in the walk, as the role that saw the link,
    until one prints; its HTML is then in CapturedHTML.seen."""
    parent = route[: route.rindex(">/") + 2]
    needed = set(pattern.pattern.converters)
    tried: set[str] = set()
    for role, url in [pair for r, pairs in linked.items() if r.startswith(parent) for pair in pairs]:
        kwargs = resolve(urlsplit(url).path).kwargs
        try:
            candidate = reverse(name, kwargs={k: kwargs[k] for k in needed})
        except (KeyError, NoReverseMatch):
            continue
        if candidate in tried:
            continue
        tried.add(candidate)
        with mock.patch("weasyprint.HTML", CapturedHTML):
            response = clients[role].get(candidate)
        if response.status_code == 200 and response["Content-Type"] == "application/pdf":
            return True
    return False


def check_workbook(url: str, content: bytes) -> int:
    """Exported cells hold text as text: never a formula, never a cell that starts with '='.
    Returns how many cells carry the stored text."""
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(content))
    carried = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{url} {cell.coordinate}: a formula"
                if isinstance(cell.value, str):
                    assert cell.data_type == "s", f"{url} {cell.coordinate}"
                    assert not cell.value.startswith("="), f"{url} {cell.coordinate}: {cell.value!r}"
                    carried += MARKERS[0] in cell.value
    return carried


def test_a_page_that_printed_stored_markup_would_be_caught():
    """The check itself: markup that reaches a page unescaped is reported."""
    assert unescaped(f"<td>{HOSTILE}</td>") and not unescaped("<td>&lt;u x=1&gt;&lt;img src=x</td>")
    assert re.search("<u x=1>", HOSTILE[:SHORTEST])
