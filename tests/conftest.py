"""Personas used across the suite: one organisation with two stores.

store (营业厅): admin, manager, clerk, aftersales; store2 (服务站): manager2, clerk_b.
"""

import pytest

from apps.org.models import RoleTier, StoreKind
from tests.factories.org import OrganisationFactory, StoreFactory, member

pytest_plugins = ["tests.browser_fixtures"]


@pytest.fixture(autouse=True)
def _kind_kpi_profiles(request):
    """The store kinds' KPI profiles are data seeded by a migration; a transactional test (browser,
    live server) flushes every table when it ends, so the rows are put back before a test that uses
    the database and finds them gone."""
    names = set(request.fixturenames)
    marker = request.node.get_closest_marker("django_db")
    if {"transactional_db", "live_server"} & names or (marker and marker.kwargs.get("transaction")):
        request.getfixturevalue("transactional_db")
    elif "db" in names or marker:
        request.getfixturevalue("db")
    else:
        return
    from importlib import import_module

    from django.apps import apps

    from apps.targets.models import KindKpi

    if not KindKpi.objects.exists():
        import_module("apps.targets.migrations.0006_seed_kind_kpi_profiles").seed(apps, None)


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="测试集团", code="test-org")


@pytest.fixture
def store(organisation):
    return StoreFactory(
        organisation=organisation, name="中心营业厅", code="hall", kind=StoreKind.BUSINESS_HALL
    )


@pytest.fixture
def store2(organisation):
    return StoreFactory(
        organisation=organisation, name="城东服务站", code="station", kind=StoreKind.SERVICE_STATION
    )


@pytest.fixture
def admin(store):
    return member(store, RoleTier.ADMIN, "admin", display_name="李行政")


@pytest.fixture
def manager(store):
    return member(store, RoleTier.MANAGER, "manager", display_name="王芳")


@pytest.fixture
def clerk(store):
    return member(store, RoleTier.CLERK, "clerk", display_name="张敏")


@pytest.fixture
def aftersales(store):
    return member(store, RoleTier.AFTERSALES, "aftersales", display_name="陈静")


@pytest.fixture
def manager2(store2):
    return member(store2, RoleTier.MANAGER, "manager2", display_name="赵强")


@pytest.fixture
def clerk_b(store2):
    return member(store2, RoleTier.CLERK, "clerk_b", display_name="孙丽")


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client signed in as user."""

    def _client_for(user):
        client.force_login(user)
        return client

    return _client_for
