"""The one place a webhook leaves the process: a POST with no redirects followed, no proxies from
the environment, a time limit, and the peer's address checked after connecting and before
anything is sent (`addresses.address_allowed`)."""

from __future__ import annotations

import http.client
from urllib.parse import urlsplit

from django.conf import settings

from .addresses import address_allowed, private_allowed

MAX_RESPONSE_BYTES = 64 * 1024


class AddressRefused(OSError):
    """The host resolved to an address a webhook may not reach."""


def _check_peer(sock) -> None:
    if private_allowed():
        return
    address = sock.getpeername()[0]
    if not address_allowed(address):
        sock.close()
        raise AddressRefused(f"refused to post to the internal address {address}")


class _CheckedHTTPConnection(http.client.HTTPConnection):
    def connect(self):
        super().connect()
        _check_peer(self.sock)


class _CheckedHTTPSConnection(http.client.HTTPSConnection):
    def connect(self):
        super().connect()
        _check_peer(self.sock)


def post(url: str, *, body: bytes, headers: dict[str, str]) -> int:
    """POST `body` to `url`; the response's status code (3xx is not followed)."""
    parts = urlsplit(url)
    cls = _CheckedHTTPSConnection if parts.scheme == "https" else _CheckedHTTPConnection
    timeout = getattr(settings, "INTEGRATIONS_TIMEOUT_SECONDS", 10)
    connection = cls(parts.hostname or "", parts.port, timeout=timeout)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(MAX_RESPONSE_BYTES)
        return response.status
    finally:
        connection.close()
