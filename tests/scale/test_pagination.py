"""Big lists are not counted row by row: exact counts up to a bound, an estimate (or "more than")
above it, and pages that still reach the end."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.customers.models import Customer
from apps.pagination import BoundedPaginator, round_estimate
from tests.factories import customers as cf

pytestmark = pytest.mark.django_db


def _customers(store, n):
    Customer.objects.bulk_create([Customer(store=store, name=f"客户{i:03d}") for i in range(n)])
    return Customer.objects.filter(store=store).order_by("name", "pk")


def test_a_small_set_keeps_its_exact_count_and_page_count(store):
    """Up to the bound the count is exact, and the page says "N in all · page p of P"."""
    qs = _customers(store, 12)
    paginator = BoundedPaginator(qs, 5, exact_up_to=20)
    page = paginator.get_page(3)
    assert (paginator.count, paginator.is_exact, paginator.num_pages) == (12, True, 3)
    assert [c.name for c in page] == ["客户010", "客户011"] and not page.has_next()
    assert paginator.get_page(99).number == 3  # past the end: the last page, as before


def test_a_big_set_is_not_counted_past_the_bound_and_every_page_is_reachable(store):
    """Above the bound the count is not exact; next/previous follow the rows themselves, so the last
    page is reached whatever the estimate says, and a page past the end falls back to the first."""
    qs = _customers(store, 23)
    paginator = BoundedPaginator(qs, 5, exact_up_to=10)
    assert not paginator.is_exact and paginator.count >= 11
    pages = [paginator.get_page(n) for n in range(1, 6)]
    assert [p.has_next() for p in pages] == [True, True, True, True, False]
    assert [c.name for c in pages[-1]] == ["客户020", "客户021", "客户022"]
    assert pages[-1].has_previous() and pages[-1].previous_page_number() == 4
    assert paginator.get_page(50).number == 1
    assert paginator.get_page("x").number == 1


def test_the_count_query_stops_at_the_bound(store):
    """The count reads at most bound + 1 rows (a LIMIT inside the COUNT)."""
    qs = _customers(store, 30)
    with CaptureQueriesContext(connection) as ctx:
        BoundedPaginator(qs, 5, exact_up_to=10).count  # noqa: B018
    assert "LIMIT 11" in ctx.captured_queries[0]["sql"]


def test_estimates_are_rounded_to_two_significant_figures():
    assert [round_estimate(n) for n in (7, 99, 123, 4567, 501_234)] == [7, 99, 120, 4600, 500_000]


def test_the_customer_list_shows_an_exact_count_when_small_and_more_than_the_bound_when_big(
    client_for, clerk, store, store2, settings, monkeypatch
):
    """The list's figure stays exact for a small store; above the bound it says "more than"
    (SQLite has no planner estimate) or "about" (PostgreSQL). Another store's rows never count."""
    import apps.pagination as pagination

    for _ in range(3):
        cf.customer(store, owner=clerk)
    for _ in range(8):
        cf.customer(store2)
    client = client_for(clerk)
    monkeypatch.setattr(pagination, "EXACT_UP_TO", 4)
    body = client.get("/customers/").content.decode()
    assert "3 in all" in body or "共 3 条" in body or "3 条" in body
    for _ in range(30):
        cf.customer(store, owner=clerk)
    body = client.get("/customers/").content.decode()
    figure = body.split('data-testid="pagination-count"')[1].split("</small>")[0]
    estimated = "约" in figure or "about" in figure
    bounded = "超过 4" in figure or "more than 4" in figure
    # An estimate needs PostgreSQL's planner (and one above the bound); otherwise "more than 4".
    assert bounded or (estimated and connection.vendor == "postgresql"), figure
    assert "33" not in figure and "41" not in figure


def test_the_paginator_makes_as_many_queries_below_the_bound_as_above(store):
    """Constant query count: the count (and, on PostgreSQL, the estimate) whatever the size."""

    def queries(qs):
        with CaptureQueriesContext(connection) as ctx:
            list(BoundedPaginator(qs, 5, exact_up_to=10).get_page(1))
        return len(ctx.captured_queries)

    small = queries(_customers(store, 3))
    assert queries(_customers(store, 30)) == small
