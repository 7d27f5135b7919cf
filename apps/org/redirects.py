"""Where to send a person after a post: back to the `next` the page carried, when it is on this site.

A `next` comes from the request, so anyone can craft one (`?next=https://evil.example`); a view never
redirects to it unchecked. `safe_next` keeps it only when it is a path on this host (Django's
`url_has_allowed_host_and_scheme`, plus no control characters or whitespace), otherwise the view's
own default.
"""

from __future__ import annotations

import re

from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

_UNPRINTABLE = re.compile(r"[\x00-\x20\x7f]")


def is_safe_next(request, target: str) -> bool:
    """True when `target` is a path of this site that the request may be sent back to."""
    return bool(
        target
        and target.startswith("/")
        and not _UNPRINTABLE.search(target)
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    )


def safe_next(request, default, *, field: str = "next") -> str:
    """The posted (or, failing that, queried) `next` when it is safe, else `default`: a URL name,
    a path or an object with get_absolute_url, as `redirect()` takes it."""
    target = request.POST.get(field) or request.GET.get(field) or ""
    return target if is_safe_next(request, target) else resolve_url(default)
