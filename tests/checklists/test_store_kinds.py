"""Checklist templates per kind of store (issue 11, section 1): a template's position is of the kind
of the stores it applies to, so a business hall never runs a station's checklist (the demo's
templates are walked in tests/walks/test_store_kind_vocabulary.py)."""

import pytest

from apps.checklists.forms import TemplateForm
from apps.org.models import StoreKind
from tests.factories.checklists import PositionFactory

pytestmark = pytest.mark.django_db


def _data(position, *stores):
    return {
        "name": "班前准备",
        "position": position.pk,
        "phase": "opening",
        "stores": [s.pk for s in stores],
        "shift": "day",
        "due_time": "09:00",
        "is_active": "on",
        "weekday_set": ["1", "2", "3", "4", "5"],
    }


def test_a_halls_position_cannot_run_at_a_station(organisation, store, store2):
    clerk_post = PositionFactory(
        organisation=organisation, title="营业员", store_kind=StoreKind.BUSINESS_HALL
    )
    form = TemplateForm(_data(clerk_post, store, store2), organisation=organisation)
    assert not form.is_valid()
    assert "stores" in form.errors and store2.name in str(form.errors["stores"])
    form = TemplateForm(_data(clerk_post, store), organisation=organisation)
    assert form.is_valid(), form.errors


def test_a_position_of_no_kind_runs_anywhere(organisation, store, store2):
    anyone = PositionFactory(organisation=organisation, title="安全员", store_kind="")
    assert TemplateForm(_data(anyone, store, store2), organisation=organisation).is_valid()
