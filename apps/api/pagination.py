"""Cursor pagination for the long lists: stable under inserts, no count of a million rows."""

from rest_framework.pagination import CursorPagination


class NewestFirst(CursorPagination):
    ordering = ("-created_at", "-pk")
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100


class QueueOrder(CursorPagination):
    """The follow-up queue's own order: most urgent, then soonest window end."""

    ordering = ("priority", "window_end", "pk")
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
