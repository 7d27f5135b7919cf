"""The demo organisation, seeded once for every walk in this package and rolled back after it.

Walks need real objects in every store (the business hall, the service station, the bank branch,
the back office) and every demo role; `seed_demo` builds exactly that. It runs once, inside a
transaction that is rolled back when the package is done, so other tests never see it. Each test
still runs in its own savepoint (`db`), so what one walk writes does not reach the next.
"""

import io
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from apps.org.models import Store, User
from tests.walks.crawl import Site, crawl

# Every demo user, by tier and store kind; "anonymous" is added by the walks that need it.
DEMO_USERNAMES = [
    "admin",
    "manager",
    "clerk",
    "aftersales",
    "manager2",
    "advisor",
    "tracker",
    "teller",
    "supervisor",
]


@dataclass
class Demo:
    users: dict[str, User]
    stores: dict[str, Store]

    def client(self, username: str | None) -> Client:
        """A client signed in as the demo user (None: anonymous) that returns error pages instead
        of raising, as a browser would see them."""
        c = Client(raise_request_exception=False)
        if username:
            c.force_login(self.users[username])
        return c


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", force=True, stdout=io.StringIO())
        yield Demo(
            users={u.username: u for u in User.objects.filter(username__in=DEMO_USERNAMES)},
            stores={s.code: s for s in Store.objects.all()},
        )
        transaction.set_rollback(True)


@pytest.fixture(scope="package")
def demo_sites(demo, django_db_blocker) -> dict[str | None, Site]:
    """What every demo role, and an anonymous visitor (None), reaches from `/`: one page per URL
    pattern, crawled once for the walks that post to every form. The crawl's own writes are rolled
    back."""
    with django_db_blocker.unblock(), transaction.atomic():
        roles: list[str | None] = [None, *DEMO_USERNAMES]
        sites = {username: crawl(demo.client(username), per_route=1) for username in roles}
        transaction.set_rollback(True)
    return sites
