"""The targets tests count a car service station's figures (准时交车率, 产值, CSI, follow-ups …), so
the persona store here is a service station; tests of the other kinds' KPI profiles make their own
hall, bank branch and back office (tests/targets/test_kind_profiles.py)."""

import pytest

from apps.org.models import StoreKind
from tests.factories.org import StoreFactory


@pytest.fixture
def store(organisation):
    return StoreFactory(
        organisation=organisation, name="城西服务站", code="hall", kind=StoreKind.SERVICE_STATION
    )
