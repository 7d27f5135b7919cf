"""The inbox page, the header bell (htmx) and opening / marking read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from . import selectors, services

PAGE_SIZE = 25


def safe_local_url(url: str) -> str | None:
    """`url` if it is a relative path on this site ("/..."), else None: nothing else is followed."""
    url = (url or "").strip()
    if not url.startswith("/") or url.startswith("//") or "\\" in url:
        return None
    if not url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        return None
    return url


@login_required
def inbox(request):
    unread_only = request.GET.get("show") == "unread"
    notes = selectors.inbox_for(user=request.user, unread_only=unread_only)
    page = Paginator(notes, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page, "unread_only": unread_only})


@login_required
@require_POST
def mark_all_read(request):
    n = services.notifications_mark_read(user=request.user)
    messages.success(
        request,
        ngettext("%(n)s notification marked as read.", "%(n)s notifications marked as read.", n) % {"n": n},
    )
    return redirect("notifications:inbox")


@login_required
@require_POST
def open_notification(request, pk):
    note = selectors.notification_get_for(user=request.user, pk=pk)
    services.notifications_mark_read(user=request.user, pks=[note.pk])
    return redirect(safe_local_url(note.url) or "notifications:inbox")


@login_required
def bell(request):
    return render(
        request, "notifications/_bell.html", {"inbox_unread": selectors.unread_count(user=request.user)}
    )
