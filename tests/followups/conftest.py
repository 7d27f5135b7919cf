import pytest

from apps.followups.seeds import rules_seed
from apps.org.models import StoreKind
from tests.factories.followups import make_customer
from tests.factories.org import StoreFactory


@pytest.fixture
def store(organisation):
    """The personas' store, here a car service station: the follow-up rules of the source documents
    (售后服务工作规划: pickup, new vehicles, maintenance, major repairs, 是否准时交车) call a station's
    customers (issue 11). The calls of halls and banks: test_store_kinds.py."""
    return StoreFactory(
        organisation=organisation, name="城西服务站", code="station-w", kind=StoreKind.SERVICE_STATION
    )


@pytest.fixture
def rules(organisation):
    return rules_seed(organisation)


@pytest.fixture
def customer(store, aftersales):
    return make_customer(store, name="王先生", owner=aftersales)
