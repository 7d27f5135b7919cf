"""Every endpoint of the OpenAPI document, as every demo role and as an anonymous caller.

The operations come from the schema itself (`/api/schema/`), the ids from the demo's real objects
(one per store of each resource's model; the model is the view's own), so a new endpoint is walked
the day it lands. Rules:
- anonymous callers are refused (401/403) everywhere;
- nothing answers 500: not an empty body (a POST with one is a 400; a PATCH with one changes nothing), not hostile values in any field of any request body or
  query parameter (strings in number fields, huge numbers, NUL, 20,000 characters, lists where one
  value goes), not a bad id in the path;
- an object of a store the caller is not a member of is refused (403/404), for reading and writing;
- the API answers an object exactly when its page does (the same access rules, no second copy);
- a list shows only rows of the caller's stores;
- no answer shows a customer's full phone or ID number, except the logged reveal; every customer
  field of every customer answer is checked, phones and ID number are the pages' masks.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import resolve

from apps.customers.models import Customer, CustomerPhone, PiiAccessLog
from apps.customers.phones import mask_digits, mask_id_number
from apps.org.access import ScopedQuerySet
from tests.walks.conftest import DEMO_USERNAMES

HUGE = "12345678901234567890"
HOSTILE: dict[str, list[Any]] = {
    "integer": ["abc", -1, 0, HUGE, 10**20, 1.5, [1], {"a": 1}],
    "number": ["abc", HUGE, "1e309", [1]],
    "string": ["a\x00b", "长" * 20_000, [1, 2], {"a": "b"}],
    "boolean": ["maybe", 7, [True]],
    "array": ["x", [{"number": "a\x00"}] * 7, [{"bad": 1}], {"a": 1}],
}
FORMATS: dict[str, list[Any]] = {"date-time": ["2026-02-30T25:61", "0", HUGE], "date": ["2026-02-30"]}
BAD_IDS = ["0", HUGE, "abc", "-1", "1.5", "%00"]
# The page that shows each resource's list, for "the API answers exactly when the page does".
PAGE_OF = {"positions": "/roles/", "kpis": "/targets/kpis/"}


@dataclass
class Op:
    path: str  # /api/tickets/{id}/
    method: str
    operation: dict


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()


@pytest.fixture(scope="module", autouse=True)
def id_numbers(demo, django_db_blocker):
    """The demo's customers have no ID numbers: give the newest customer of each store one, so
    that their masking is walked too (rolled back after this module)."""
    with django_db_blocker.unblock(), transaction.atomic():
        numbers = iter(
            ["11010519491231002X", "440304199001011233", "310101198001011237", "320102198501011230"]
        )
        for store_id in Customer.objects.values_list("store_id", flat=True).distinct():
            newest = Customer.objects.filter(store_id=store_id, phones__isnull=False).order_by("-pk").first()
            if newest is None:
                continue
            Customer.objects.filter(pk=newest.pk).update(id_number=next(numbers, "11010519491231002X"))
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def schema(demo, django_db_blocker):
    with django_db_blocker.unblock():
        client = demo.client("admin")
        response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def operations(schema) -> list[Op]:
    return [
        Op(path, method, op)
        for path, item in schema["paths"].items()
        for method, op in item.items()
        if method in ("get", "post", "patch", "put", "delete")
    ]


def _resolve(path: str):
    return resolve(re.sub(r"\{[a-z_]+\}", "1", path))


def _model_of(path: str):
    view = _resolve(path).func
    return getattr(getattr(view, "cls", None), "model", None)


def _store_id(obj) -> int | None:
    manager = type(obj)._default_manager
    if not isinstance(manager.all(), ScopedQuerySet):
        return None
    lookup = manager.all().store_lookup.replace("__", ".")
    value = obj
    for part in lookup.split("."):
        value = getattr(value, part)
    return value.pk


def instances(path: str) -> list[tuple[str, int | None, Any]]:
    """(url, store id, object) for every store that has an object of the path's model."""
    if "{id}" not in path:
        return [(path, None, None)]
    model = _model_of(path)
    assert model is not None, f"{path}: its view names no model"
    seen: dict[int | None, tuple[str, int | None, Any]] = {}
    for obj in model._default_manager.order_by("-pk")[:400]:
        store_id = _store_id(obj)
        if store_id in seen:
            continue
        url = path.replace("{id}", str(obj.pk))
        if "{item_id}" in url:
            item = obj.template.items.filter(is_active=True).order_by("order", "pk").first()
            if item is None:
                continue
            url = url.replace("{item_id}", str(item.pk))
        seen[store_id] = (url, store_id, obj)
    assert seen, f"{path}: the demo has no {model.__name__}"
    return list(seen.values())


def _stores_of(user) -> set[int]:
    from apps.org.access import stores_for

    return set(stores_for(user).values_list("pk", flat=True))


def _call(client: Client, method: str, url: str, data=None):
    """One request in a savepoint that is rolled back."""
    with transaction.atomic():
        if method == "get":
            response = client.get(url, data or {})
        else:
            response = getattr(client, method)(url, json.dumps(data or {}), content_type="application/json")
        transaction.set_rollback(True)
    return response


def full_pii() -> set[str]:
    phones = CustomerPhone.objects.values_list("digits", "number")
    ids = Customer.objects.exclude(id_number="").values_list("id_number", flat=True)
    return {d for pair in phones for d in (pair[0], pair[1].lstrip("+"))} | set(ids)


def pii_in(text: str, pii: set[str]) -> set[str]:
    return set(re.findall(r"[0-9]{11,}[0-9Xx]?", text)) & pii


def customer_objects(data):
    """Every customer file in an answer (a list page, one file)."""
    if isinstance(data, dict) and "results" in data:
        yield from (row for row in data["results"] if "phones" in row)
    elif isinstance(data, dict) and "phones" in data and "id_number" in data:
        yield data


def check_masked(customer: dict) -> list[str]:
    """Each field of a customer answer: phones and ID number masked as on the pages, and no other
    field holds a full number of this customer."""
    stored = Customer.objects.get(pk=customer["id"])
    problems = []
    masked_phones = {mask_digits(p.digits) for p in stored.phones.all()}
    for phone in customer["phones"]:
        if phone["number"] not in masked_phones:
            problems.append(f"customer {stored.pk}: phone {phone['number']!r} is not the masked number")
    if customer["id_number"] != mask_id_number(stored.id_number):
        problems.append(f"customer {stored.pk}: the ID number is not masked")
    secrets = {p.digits for p in stored.phones.all()} | {p.number for p in stored.phones.all()}
    secrets |= {stored.id_number} if stored.id_number else set()
    for field, value in customer.items():
        text = json.dumps(value, ensure_ascii=False)
        if any(secret and secret in text for secret in secrets):
            problems.append(f"customer {stored.pk}: field {field} shows a full phone or ID number")
    return problems


def test_the_walk_finds_every_resource_of_the_issue(schema):
    paths = set(schema["paths"])
    for resource in ("tickets", "customers", "followups", "checklists", "handovers", "positions", "kpis"):
        assert f"/api/{resource}/" in paths, resource
    assert "/api/customers/{id}/reveal/" in paths


def test_anonymous_callers_are_refused_everywhere(demo, db, schema):
    anonymous = Client(raise_request_exception=False)
    problems = []
    for op in operations(schema):
        for url, _store, _obj in instances(op.path)[:1]:
            response = _call(anonymous, op.method, url)
            if response.status_code not in (401, 403):
                problems.append(f"anonymous {op.method} {url}: {response.status_code}")
    assert not problems, "\n".join(problems)


def _page_status(client, op: Op, obj) -> int | None:
    """What the object's page (or the resource's list page) answers this person."""
    if obj is not None and hasattr(obj, "get_absolute_url"):
        page = obj.get_absolute_url()
    else:
        resource = op.path.split("/")[2]
        page = PAGE_OF.get(resource, f"/{resource}/")
    return client.get(page).status_code


@pytest.mark.parametrize("username", DEMO_USERNAMES)
def test_every_endpoint_answers_each_role_as_its_page_does_and_never_shows_full_numbers(
    demo, db, schema, username
):
    user = demo.users[username]
    client = demo.client(username)
    member_of = _stores_of(user)
    pii = full_pii()
    problems: list[str] = []
    for op in operations(schema):
        reveal = op.path.endswith("/reveal/")
        for url, store_id, obj in instances(op.path):
            line = f"{username} {op.method.upper()} {url}"
            response = _call(client, op.method, url)
            status = response.status_code
            if status >= 500:
                problems.append(f"{line}: {status}")
                continue
            if response["Content-Type"] != "application/json":
                problems.append(f"{line}: {response['Content-Type']}, not JSON")
                continue
            body = response.content.decode()
            if not reveal and (shown := pii_in(body, pii)):
                problems.append(f"{line}: shows full numbers {sorted(shown)[:2]}")
            if store_id is not None and store_id not in member_of and status not in (403, 404):
                problems.append(f"{line}: {status} for an object of another store")
            if status == 200:
                data = response.json()
                for customer in customer_objects(data):
                    problems.extend(f"{line}: {p}" for p in check_masked(customer))
                rows = data.get("results", data) if isinstance(data, dict) else data
                for row in rows if isinstance(rows, list) else []:
                    row_store = (row.get("store") or {}).get("id") if isinstance(row, dict) else None
                    if row_store is not None and row_store not in member_of:
                        problems.append(f"{line}: lists a row of store {row_store}")
            if op.method == "get" and not reveal:
                page = _page_status(client, op, obj)
                if page in (200, 403, 404) and (page == 200) != (status == 200):
                    problems.append(f"{line}: {status} where its page answers {page}")
            if op.method == "post" and status in (200, 201) and not reveal:
                problems.append(f"{line}: an empty body was accepted ({status})")
    assert not problems, "\n".join(problems)


def _properties(op: Op, schema) -> dict:
    content = op.operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    ref = content.get("schema", {}).get("$ref", "")
    if not ref:
        return {}
    component = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    return component.get("properties", {})


def _hostile_values(prop: dict) -> list:
    values = list(FORMATS.get(prop.get("format", ""), []))
    kind = prop.get("type") or (
        "string" if "$ref" in prop or "allOf" in prop or "oneOf" in prop else "string"
    )
    values += HOSTILE.get(kind, HOSTILE["string"])
    return values if prop.get("nullable") else [*values, None]


def test_hostile_input_is_a_4xx_never_a_500(demo, db, schema):
    """As the admin (who may do everything, so the input itself is what gets checked): every field
    of every request body, every query parameter, and bad ids in every path."""
    problems = []
    for op in operations(schema):
        url, _store, obj = instances(op.path)[0]
        # A checklist is answered by its assignee only: the input is checked for them.
        client = demo.client(obj.assignee.username if "{item_id}" in op.path else "admin")
        if op.method != "get":
            for name, prop in _properties(op, schema).items():
                for value in _hostile_values(prop):
                    response = _call(client, op.method, url, {name: value})
                    if response.status_code >= 500 or response.status_code in (200, 201):
                        problems.append(
                            f"{op.method} {url} {name}={str(value)[:30]!r}: {response.status_code}"
                        )
            for raw in ("{", "[]", '"x"', "null"):
                with transaction.atomic():
                    response = getattr(client, op.method)(url, raw, content_type="application/json")
                    transaction.set_rollback(True)
                if response.status_code != 400:
                    problems.append(f"{op.method} {url} body {raw!r}: {response.status_code}")
        for param in op.operation.get("parameters", []):
            if param["in"] != "query":
                continue
            for value in ["a\x00b", HUGE, "-1", "长" * 5000, "2026-13"]:
                response = _call(client, "get", url, {param["name"]: value})
                if response.status_code >= 500:
                    problems.append(f"GET {url}?{param['name']}={value[:20]!r}: {response.status_code}")
        if "{id}" in op.path:
            for bad in BAD_IDS:
                bad_url = op.path.replace("{id}", bad).replace("{item_id}", "1")
                response = _call(client, op.method, bad_url)
                if response.status_code != 404 or response["Content-Type"] != "application/json":
                    problems.append(
                        f"{op.method} {bad_url}: {response.status_code} {response['Content-Type']}"
                    )
    assert not problems, "\n".join(problems)


def test_the_reveal_is_logged_and_only_for_roles_that_may_see_personal_data(demo, db):
    from apps.org.access import can

    customer = Customer.objects.filter(phones__isnull=False).exclude(id_number="").first()
    assert customer is not None
    phone = customer.phones.first()
    assert phone is not None
    url = f"/api/customers/{customer.pk}/reveal/"
    for username in DEMO_USERNAMES:
        user = demo.users[username]
        before = PiiAccessLog.objects.filter(user=user, customer=customer).count()
        client = demo.client(username)
        response = client.post(url, {"field": "phone"}, content_type="application/json")
        may = can(user, "customers.view_pii", customer.store)
        after = PiiAccessLog.objects.filter(user=user, customer=customer).count()
        if may:
            assert response.status_code == 200, username
            assert response.json()["value"] == phone.number
            assert after == before + 1, f"{username}: the reveal is logged"
            revealed = client.post(url, {"field": "id_number"}, content_type="application/json")
            assert revealed.json()["value"] == customer.id_number
            assert PiiAccessLog.objects.filter(user=user, customer=customer, field="id_number").exists()
        else:
            assert response.status_code in (403, 404), username
            assert after == before, username
