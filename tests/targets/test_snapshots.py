"""The KPI snapshot job: every store's figures counted together equal each store's figure counted
alone; a run with nothing changed writes nothing; its queries do not grow with the number of stores;
the home page's follow-up figures are the snapshot's."""

import datetime as dt
from decimal import Decimal
from typing import cast

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.followups.panels import home_panel
from apps.followups.seeds import rules_seed
from apps.org.models import Store
from apps.targets import kpis, profiles
from apps.targets.models import KpiSnapshot, ManualKpiValue
from apps.targets.services import snapshot_refresh_due
from tests.factories.followups import make_customer, make_followup, mark_done
from tests.factories.org import StoreFactory
from tests.factories.targets import at, ticket

from .test_kpis import MARCH, march_checklists, march_tickets  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
MID_MARCH = dt.date(2026, 3, 15)


def figures(**filters) -> dict:
    return {
        (r.store_id, r.kpi_key, r.month): (r.numerator, r.denominator, r.value)
        for r in KpiSnapshot.objects.filter(**filters)
    }


@pytest.fixture
def march_followups(store, aftersales, organisation):
    """Store, March: three follow-ups whose window closes in March, one done in it (rated 5), one
    done late (rated 3), one open."""
    rule = rules_seed(organisation)["first-call-pickup"]  # window: trigger +3 … +7
    made = [
        make_followup(
            rule, make_customer(store, owner=aftersales), trigger_date=dt.date(2026, 3, d), today=MARCH
        )
        for d in (1, 10, 20)
    ]
    for fu, done_on, score in [(made[0], 5, 5), (made[1], 19, 3)]:
        mark_done(fu, at=at(2026, 3, done_on, 10), satisfaction=score, by=aftersales)
    return made


@pytest.fixture
def march_everything(store, store2, clerk, admin, manager, march_tickets, march_followups):  # noqa: F811
    march_checklists(store, clerk, admin)
    ManualKpiValue.objects.create(
        kpi_key="manual.csi", store=store2, month=MARCH, value=Decimal(912), entered_by=manager
    )


def test_every_kpi_counted_for_all_stores_at_once_equals_its_figure_for_each_store(
    store, store2, march_everything
):
    empty = cast(Store, StoreFactory(organisation=store.organisation, code="empty"))
    for entry in kpis.catalogue():
        together = entry.compute_by_store([store, store2, empty], MARCH)
        assert set(together) == {store.pk, store2.pk, empty.pk}, entry.key
        for s in (store, store2, empty):
            alone = entry.compute([s], None, MARCH)
            got = together[s.pk]
            assert (got.numerator, got.denominator, got.value) == (
                alone.numerator,
                alone.denominator,
                alone.value,
            ), (entry.key, s)
    on_time, csi = kpis.get_kpi("tickets.on_time_rate"), kpis.get_kpi("manual.csi")
    assert on_time is not None and csi is not None
    assert on_time.compute_by_store([store], MARCH)[store.pk].value == Decimal("75.00")
    assert csi.compute_by_store([store, store2], MARCH)[store.pk].value is None


def test_snapshot_job_with_nothing_changed_writes_nothing_but_marks_the_figures_checked(
    store, store2, march_everything
):
    assert snapshot_refresh_due(today=MID_MARCH) == 2 * 12 * len(profiles.profile_keys(store.kind))
    first = figures()
    checked_before = KpiSnapshot.objects.order_by().values_list("computed_at", flat=True).first()

    assert snapshot_refresh_due(today=MID_MARCH) == 0
    assert figures() == first
    # the dashboard's "computed at": every row of this month and last was checked again
    assert not KpiSnapshot.objects.filter(month=MARCH, computed_at__lte=checked_before).exists()


def test_snapshot_job_rewrites_only_the_figures_whose_inputs_changed(store, store2, clerk, march_everything):
    snapshot_refresh_due(today=MID_MARCH)
    before = figures()
    ticket(store2, settled=at(2026, 3, 8), on_time=True, amount=1, assignee=clerk)

    assert snapshot_refresh_due(today=MID_MARCH) == 2  # store2's on-time rate and output value
    after = figures()
    changed = {key for key in after if after[key] != before[key]}
    assert changed == {
        (store2.pk, "tickets.on_time_rate", MARCH),
        (store2.pk, "tickets.output_value", MARCH),
    }
    assert after[(store2.pk, "tickets.on_time_rate", MARCH)] == (1, 2, Decimal("50.00"))


def test_snapshot_job_queries_do_not_grow_with_the_number_of_stores(store, march_everything):
    snapshot_refresh_due(today=MID_MARCH)
    with CaptureQueriesContext(connection) as one_store:
        snapshot_refresh_due(today=MID_MARCH)
    for i in range(3):
        StoreFactory(organisation=store.organisation, code=f"more{i}", kind=store.kind)
    snapshot_refresh_due(today=MID_MARCH)  # the new stores' twelve months
    with CaptureQueriesContext(connection) as four_stores:
        snapshot_refresh_due(today=MID_MARCH)
    assert len(four_stores) == len(one_store)


def test_home_panel_follow_up_figures_are_the_snapshots(store, store2, manager, march_followups, monkeypatch):
    """The manager's home panel counts follow-ups live, the dashboard reads the snapshot: on the same
    day both give the same numerators and denominators (one source: `followup_kpi_aggregates`)."""
    real_localdate = timezone.localdate
    monkeypatch.setattr(
        timezone, "localdate", lambda value=None, tz=None: real_localdate(value, tz) if value else MID_MARCH
    )
    snapshot_refresh_due()
    request = RequestFactory().get("/")
    request.user = manager
    panel = home_panel(request)["kpis"]
    snap = figures(store=store, month=MARCH)
    for rate, key in [
        ("return_visit", "followups.return_visit_rate"),
        ("timeliness", "followups.timeliness_rate"),
        ("satisfaction", "followups.satisfaction_rate"),
    ]:
        numerator, denominator, _value = snap[(store.pk, key, MARCH)]
        assert (panel[rate]["num"], panel[rate]["den"]) == (numerator, denominator), rate
    assert (panel["return_visit"]["num"], panel["return_visit"]["den"]) == (1, 3)
