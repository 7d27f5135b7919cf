import datetime as dt

import pytest
from django.utils import timezone

from apps.checklists import services
from apps.org.models import RoleTier
from tests.factories.checklists import opening_template
from tests.factories.org import member


def at(hour, minute=0, day=None):
    return timezone.make_aware(dt.datetime.combine(day or timezone.localdate(), dt.time(hour, minute)))


@pytest.fixture
def clerk2(store):
    return member(store, RoleTier.CLERK, "clerk2", display_name="刘洋")


@pytest.fixture
def template(store, clerk):
    return opening_template(store, holders=[clerk], name="营业员班前准备")


@pytest.fixture
def run(template, store, clerk):
    services.runs_create_due(now=at(8, 10))
    return template.runs.get(assignee=clerk)
