import pytest

from apps.org.models import StoreKind
from tests.factories.org import StoreFactory


@pytest.fixture
def store(organisation):
    """The personas' store, here a car service station: repair orders (委托书), vehicles, promised
    delivery times and the station's follow-up calls are a station's (issue 11). The tests of what a
    business hall or a bank branch must not see name their own stores (test_store_kinds.py)."""
    return StoreFactory(
        organisation=organisation, name="城西服务站", code="station-w", kind=StoreKind.SERVICE_STATION
    )
