"""Where a webhook may post: public addresses only (a webhook must not become a way into the
outlet's own network: the database, Redis, the cloud's metadata service at 169.254.169.254).

The address is checked when an admin saves it (`webhook_url_problem`, with a message for the form)
and again on every delivery, against the address actually connected to (`transport.py`), so a host
name that later resolves inward is refused too. `INTEGRATIONS_ALLOW_PRIVATE_URLS` (development and
tests only) lifts both checks and allows plain http://.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

MAX_URL_LENGTH = 500


def private_allowed() -> bool:
    return bool(getattr(settings, "INTEGRATIONS_ALLOW_PRIVATE_URLS", False))


def address_allowed(address: str) -> bool:
    """Is this IP address one a webhook may reach (globally routable, not multicast)?"""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def resolve(host: str, port: int) -> list[str]:
    return sorted({str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)})


def webhook_url_problem(url: str) -> str | None:
    """None when a webhook may post to `url`; otherwise what is wrong, for the person typing it."""
    url = (url or "").strip()
    if not url:
        return _("Enter the address.")
    if len(url) > MAX_URL_LENGTH:
        return _("The address is too long (at most %(n)s characters).") % {"n": MAX_URL_LENGTH}
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        return _("The address cannot contain spaces or control characters.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return _("This is not a valid address.")
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        return _("Use an https:// address.")
    if scheme == "http" and not private_allowed():
        return _("Use an https:// address: the events go over the internet.")
    if parts.username is not None or parts.password is not None:
        return _("Leave the user name and password out of the address; the signature proves the sender.")
    host = parts.hostname
    if not host:
        return _("The address has no host name.")
    if private_allowed():
        return None
    try:
        addresses = [host] if _is_ip(host) else resolve(host, port or (443 if scheme == "https" else 80))
    except (OSError, UnicodeError):
        return _("The host name %(host)s cannot be found.") % {"host": host}
    inward = [a for a in addresses if not address_allowed(a)]
    if inward or not addresses:
        return _(
            "%(host)s leads to an internal address (%(address)s); webhooks go to public addresses only."
        ) % {"host": host, "address": inward[0] if inward else "?"}
    return None
