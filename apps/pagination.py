"""Pagination of lists that may hold a million rows, without counting every row.

`BoundedPaginator` counts exactly up to `exact_up_to` rows (`SELECT COUNT(*) FROM (… LIMIT n+1)`:
an index scan that stops early); above that it shows the planner's estimate ("about 500,000 in
all", on PostgreSQL) or "more than 1,000" (elsewhere). Pages are still numbered, and whether there
is a next page is known from the page's own rows (it reads one row more than it shows), so the last
page can be reached however far the estimate is off. Small sets keep their exact count.

`filtered(request, FilterSet, queryset=...)` and `filtered_page(...)` are the filter-and-paginate
list views (customers, tickets): the list's filters from the query string, over the rows the user
may see, with the stores the user sees to choose from; then the page asked for.
"""

from __future__ import annotations

import json
import math

from django.core.exceptions import EmptyResultSet
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property
from django.utils.translation import get_language

EXACT_UP_TO = 1000


def estimated_rows(queryset: QuerySet) -> int | None:
    """The PostgreSQL planner's row estimate for the queryset (no rows are read), or None."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    try:
        sql, params = queryset.order_by().query.sql_with_params()
    except EmptyResultSet:  # e.g. no store to look in: nothing to ask
        return 0
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def round_estimate(n: int) -> int:
    """Two significant figures: an estimate should not look exact."""
    if n < 100:
        return n
    scale = 10 ** (int(math.log10(n)) - 1)
    return round(n / scale) * scale


class BoundedPage(Page):
    def __init__(self, object_list, number, paginator, *, more: bool):
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self):
        return self.more


class BoundedPaginator(Paginator):
    """A Paginator whose count is exact up to `exact_up_to` rows and estimated above (see module)."""

    def __init__(self, object_list, per_page, *, exact_up_to: int | None = None, rows=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.exact_up_to = exact_up_to or EXACT_UP_TO
        # rows(bottom, top): the rows of one page, where a list reads a page faster than by slicing
        # `object_list` (the follow-up queue's "upcoming", a union of two ordered index scans).
        self.rows = rows

    @cached_property
    def _bounded(self) -> tuple[int, bool]:
        """(count, exact): the exact count when small, else the estimate (at least the bound).
        The estimate is asked for whatever the count, so that the page makes as many queries with
        ten rows as with a million."""
        if not isinstance(self.object_list, QuerySet):
            return len(self.object_list), True
        capped = self.object_list.order_by()[: self.exact_up_to + 1].count()
        estimate = estimated_rows(self.object_list)
        if capped <= self.exact_up_to:
            return capped, True
        return max(estimate or 0, self.exact_up_to + 1), False

    @cached_property
    def count(self):
        return self._bounded[0]

    @property
    def is_exact(self) -> bool:
        return self._bounded[1]

    @property
    def display_count(self) -> int:
        """The count to show: exact, or the estimate to two significant figures."""
        count, exact = self._bounded
        return count if exact else round_estimate(count)

    @property
    def display_count_text(self) -> str:
        """`display_count` for the page: 约 50 万 in Chinese, 500,000 otherwise."""
        n = self.display_count
        if get_language().lower().startswith("zh") and n >= 10000:
            return f"{n / 10000:g} 万"
        return f"{n:,}"

    @property
    def has_estimate(self) -> bool:
        """False when the count is only known to exceed the bound (no planner estimate)."""
        return not self.is_exact and self.count > self.exact_up_to + 1

    def validate_number(self, number):
        if self.is_exact:
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def _rows(self, bottom, top):
        return self.rows(bottom, top) if self.rows else self.object_list[bottom:top]

    def page(self, number):
        if self.is_exact and self.rows is None:
            page = super().page(number)
            return BoundedPage(page.object_list, page.number, self, more=page.number < self.num_pages)
        if self.is_exact:  # Paginator.page, reading the rows through `rows`
            number = self.validate_number(number)
            bottom = (number - 1) * self.per_page
            top = bottom + self.per_page
            if top + self.orphans >= self.count:
                top = self.count
            return BoundedPage(self._rows(bottom, top), number, self, more=number < self.num_pages)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self._rows(bottom, bottom + self.per_page + 1))
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        return BoundedPage(rows[: self.per_page], number, self, more=len(rows) > self.per_page)

    def get_page(self, number):
        if self.is_exact:
            return super().get_page(number)
        try:
            number = self.validate_number(number)
        except (PageNotAnInteger, EmptyPage):
            number = 1
        try:
            return self.page(number)
        except EmptyPage:
            return self.page(1)


def filtered(request, filter_class, *, queryset):
    """The list's filters, as given in the query string, over `queryset` (the rows the user may see)."""
    from apps.org.access import stores_for

    return filter_class(request.GET, queryset=queryset, user=request.user, stores=stores_for(request.user))


def filtered_page(request, filter_class, *, queryset, per_page: int = 25):
    """`filtered(...)` and the page of its rows the query string asks for: (filterset, page)."""
    filterset = filtered(request, filter_class, queryset=queryset)
    return filterset, BoundedPaginator(filterset.qs, per_page).get_page(request.GET.get("page"))
