import pytest

from apps.followups.seeds import rules_seed
from tests.factories.followups import make_customer


@pytest.fixture
def rules(organisation):
    return rules_seed(organisation)


@pytest.fixture
def customer(store, aftersales):
    return make_customer(store, name="王先生", owner=aftersales)
