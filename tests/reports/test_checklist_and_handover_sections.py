"""The weekly report's checklist section (runs done, late, missed; items failed and still open) and
handover section (every counted difference with its explanation), registered by checklists and
handovers; a back office has no handover section; each store sees only its own week."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.checklists.models import ChecklistRun, FailureAction, ItemFailure, ItemResult, RunState
from apps.handovers.models import Handover, HandoverLine
from apps.org.models import StoreKind
from apps.reports.sections import sections_for
from apps.reports.selectors import week_start
from tests.factories.checklists import opening_template
from tests.factories.handovers import counter, stock_items
from tests.factories.org import StoreFactory

pytestmark = pytest.mark.django_db

MONDAY = week_start(timezone.localdate()) - dt.timedelta(days=7)
SUNDAY = MONDAY + dt.timedelta(days=6)


def _aware(day, hour=9):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _run(template, store, person, day, **fields):
    return ChecklistRun.objects.create(
        template=template,
        store=store,
        assignee=person,
        date=day,
        starts_at=_aware(day, 8),
        due_at=_aware(day, 9),
        ends_at=_aware(day, 18),
        **fields,
    )


def section(store, key):
    return next((s for s in sections_for(store, MONDAY, SUNDAY) if s.key == key), None)


def figures(sec):
    return {str(f.label): f.value for f in sec.figures}


def test_the_checklist_section_counts_runs_and_lists_the_weeks_failures(store, store2, clerk, clerk_b):
    template = opening_template(store)
    _run(template, store, clerk, MONDAY, state=RunState.DONE, completed_at=_aware(MONDAY))
    _run(
        template,
        store,
        clerk,
        MONDAY + dt.timedelta(days=1),
        state=RunState.LATE,
        completed_at=_aware(MONDAY, 10),
    )
    failed_on = _run(template, store, clerk, MONDAY + dt.timedelta(days=2), state=RunState.MISSED)
    _run(template, store, clerk, MONDAY - dt.timedelta(days=1), state=RunState.MISSED)  # the week before
    item = template.items.all()[0]
    result = ItemResult.objects.create(
        run=failed_on,
        item=item,
        item_text=item.text,
        ok=False,
        answered_by=clerk,
        answered_at=_aware(failed_on.date),
    )
    ItemFailure.objects.create(
        store=store,
        run=failed_on,
        item=item,
        result=result,
        raised_by=clerk,
        raised_at=_aware(failed_on.date),
        action=FailureAction.MATTER,
        note="发票不足",
    )
    sec = section(store, "checklists")
    values = list(figures(sec).values())
    assert values == [3, 2, "66.7%", 1, 1, 1, 1]
    assert sec.rows[0][1] == item.text and sec.rows[0][3] == "发票不足"
    other = section(store2, "checklists")  # another store: none of these
    assert list(figures(other).values())[:2] == [0, 0] and other.rows == []


def test_the_handover_section_lists_each_difference_and_whether_it_is_explained(
    store, store2, clerk, clerk2_hall
):
    items = stock_items(store.organisation)
    handover = Handover.objects.create(
        store=store,
        counter=counter(store),
        business_date=MONDAY + dt.timedelta(days=3),
        outgoing=clerk,
        incoming=clerk2_hall,
        period_start=_aware(MONDAY),
    )
    HandoverLine.objects.create(handover=handover, item=items["float"], expected=2000, counted=2000)
    HandoverLine.objects.create(
        handover=handover,
        item=items["takings-cash"],
        expected=Decimal("1500"),
        counted=Decimal("1450"),
        explanation="找零差错",
    )
    HandoverLine.objects.create(handover=handover, item=items["sim"], expected=50, counted=51)
    sec = section(store, "handover_differences")
    assert list(figures(sec).values()) == [1, 0, 2, 1]
    assert [r[2] for r in sec.rows] == ["营业款（现金）", "SIM 卡"]
    assert sec.rows[0][5] == "-50" and sec.rows[0][6] == "找零差错" and sec.rows[1][6] == "—"
    assert list(figures(section(store2, "handover_differences")).values()) == [0, 0, 0, 0]


def test_a_back_office_report_has_no_handover_section(organisation):
    office = StoreFactory(organisation=organisation, code="hr", kind=StoreKind.BACK_OFFICE)
    assert section(office, "handover_differences") is None
    assert section(office, "checklists") is not None


@pytest.fixture
def clerk2_hall(store):
    from apps.org.models import RoleTier
    from tests.factories.org import member

    return member(store, RoleTier.CLERK, "clerk2", display_name="刘洋")
