import pytest

from tests.checklists.conftest import at, clerk2, run, template  # noqa: F401  (shared fixtures)
from tests.factories.handovers import counter, stock_items


@pytest.fixture
def items(organisation):
    return stock_items(organisation)


@pytest.fixture
def desk(store):
    return counter(store)
