"""Webhook and robot addresses: public https:// only, with a message that says what is wrong."""

from unittest import mock

import pytest
from django.utils import translation

from apps.chat_robots import robot_url_problem
from apps.integrations.addresses import address_allowed, webhook_url_problem


@pytest.fixture(autouse=True)
def _english():
    """The messages are checked by their English words."""
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
     "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "224.0.0.1", "not-an-ip"],
)  # fmt: skip
def test_internal_addresses_are_not_allowed(address):
    assert not address_allowed(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"])
def test_public_addresses_are_allowed(address):
    assert address_allowed(address)


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("", "Enter the address"),
        ("ftp://93.184.216.34/x", "https://"),
        ("http://93.184.216.34/x", "https://"),
        ("javascript:alert(1)", "https://"),
        ("https://user:pw@93.184.216.34/x", "user name and password"),
        ("https:///nohost", "no host"),
        ("https://93.184.216.34:99999/x", "not a valid address"),
        ("https://93.184.216.34/a b", "spaces"),
        ("https://93.184.216.34/\r\nX-Evil: 1", "spaces"),
        ("https://127.0.0.1/x", "internal address (127.0.0.1)"),
        ("https://[::1]/x", "internal address"),
        ("https://169.254.169.254/latest/meta-data/", "internal address (169.254.169.254)"),
        ("https://localhost/x", "internal address"),
        ("https://0x7f000001/x", "internal address"),
        ("https://" + "a" * 600, "too long"),
    ],
)
def test_a_webhook_address_is_refused_with_a_clear_message(url, says, settings):
    settings.INTEGRATIONS_ALLOW_PRIVATE_URLS = False
    with mock.patch("apps.integrations.addresses.resolve", wraps=_resolve_offline):
        assert says in (webhook_url_problem(url) or "")


def _resolve_offline(host, port):
    """Names resolve as the system would, without the network: localhost inward, the rest public."""
    import socket

    if host in ("localhost", "intranet.example.com"):
        return ["127.0.0.1"]
    try:
        return [socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][4][0]]
    except OSError:
        return ["93.184.216.34"]


def test_a_name_that_resolves_inward_is_refused_and_a_public_one_accepted(settings):
    settings.INTEGRATIONS_ALLOW_PRIVATE_URLS = False
    with mock.patch("apps.integrations.addresses.resolve", wraps=_resolve_offline):
        assert "internal address" in (webhook_url_problem("https://intranet.example.com/hook") or "")
        assert webhook_url_problem("https://crm.example.com/hook") is None


def test_a_name_that_does_not_resolve_is_refused(settings):
    settings.INTEGRATIONS_ALLOW_PRIVATE_URLS = False
    with mock.patch("apps.integrations.addresses.resolve", side_effect=OSError("no such name")):
        assert "cannot be found" in (webhook_url_problem("https://nowhere.example.com/hook") or "")


def test_the_setting_allows_a_local_receiver_for_development(settings):
    settings.INTEGRATIONS_ALLOW_PRIVATE_URLS = True
    assert webhook_url_problem("http://127.0.0.1:9000/hook") is None


@pytest.mark.parametrize(
    ("url", "scheme", "ok"),
    [
        ("wecombot://abcdef0123456789", "wecombot", True),
        ("dingtalk://token0123456789", "dingtalk", True),
        ("json://127.0.0.1/x", "wecombot", False),  # apprise's generic JSON post: not a robot
        ("dingtalk://token0123456789", "wecombot", False),
        ("wecombot://", "wecombot", False),
        ("wecombot://<script>", "wecombot", False),
    ],
)
def test_a_robot_address_must_be_that_robots_own(url, scheme, ok):
    assert (robot_url_problem(url, scheme=scheme) is None) is ok
