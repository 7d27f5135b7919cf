"""KPI formulas against hand-computed fixtures, including empty months shown as "—"."""

import datetime as dt
from decimal import Decimal

import pytest

from apps.targets import kpis, profiles
from apps.targets.models import KpiSnapshot
from apps.targets.services import manual_kpi_enter, snapshot_refresh, snapshot_refresh_due
from apps.tickets.models import Ticket
from tests.factories.targets import at, ticket

pytestmark = pytest.mark.django_db
MARCH = dt.date(2026, 3, 1)
APRIL = dt.date(2026, 4, 1)


@pytest.fixture
def march_tickets(store, store2, clerk, manager):
    # store, March: 4 settled repair orders, 3 on time; one settled in April; one in store2.
    ticket(store, settled=at(2026, 3, 2), on_time=True, amount=1000, assignee=clerk)
    ticket(store, settled=at(2026, 3, 10), on_time=True, amount=2500.50, assignee=clerk)
    ticket(store, settled=at(2026, 3, 20), on_time=False, amount=499.50, assignee=manager)
    ticket(store, settled=at(2026, 3, 31, 22), on_time=True, amount=0, assignee=manager)
    ticket(store, settled=at(2026, 4, 1, 9), on_time=False, amount=700, assignee=clerk)
    ticket(store2, settled=at(2026, 3, 5), on_time=False, amount=9999, assignee=clerk)
    ticket(store, assignee=clerk)  # open, not settled
    # complaints raised in March: answered before the deadline, after it, never, and one raised on
    # the 31st and answered on 1 April, before its deadline.
    c = Ticket.Kind.COMPLAINT
    ticket(
        store,
        kind=c,
        created=at(2026, 3, 1),
        answer_due=at(2026, 3, 3),
        answered=at(2026, 3, 2),
        assignee=clerk,
    )
    ticket(
        store,
        kind=c,
        created=at(2026, 3, 10),
        answer_due=at(2026, 3, 12),
        answered=at(2026, 3, 13),
        assignee=clerk,
    )
    ticket(store, kind=c, created=at(2026, 3, 20), answer_due=at(2026, 3, 22), assignee=manager)
    ticket(
        store,
        kind=c,
        created=at(2026, 3, 31),
        answer_due=at(2026, 4, 2),
        answered=at(2026, 4, 1),
        assignee=clerk,
    )


def test_on_time_rate_is_on_time_over_settled_in_the_month(store, march_tickets):
    v = kpis.get_kpi("tickets.on_time_rate").compute([store], None, MARCH)
    assert (v.numerator, v.denominator, v.value) == (3, 4, Decimal("75.00"))
    assert v.records.count() == 4


def test_on_time_rate_for_one_person(store, clerk, march_tickets):
    v = kpis.get_kpi("tickets.on_time_rate").compute([store], clerk, MARCH)
    assert (v.numerator, v.denominator, v.value) == (2, 2, Decimal("100.00"))


def test_an_empty_month_shows_a_dash_not_zero_percent(store, march_tickets):
    entry = kpis.get_kpi("tickets.on_time_rate")
    v = entry.compute([store], None, dt.date(2026, 6, 1))
    assert v.value is None and v.denominator == 0
    assert entry.format(v.value) == "—"
    assert (
        kpis.get_kpi("tickets.complaints_answered_2d").compute([store], None, dt.date(2026, 6, 1)).value
        is None
    )
    assert kpis.get_kpi("tickets.output_value").compute([store], None, dt.date(2026, 6, 1)).value is None


def test_complaints_answered_by_their_deadline_over_complaints_raised(store, march_tickets):
    v = kpis.get_kpi("tickets.complaints_answered_2d").compute([store], None, MARCH)
    assert (v.numerator, v.denominator) == (2, 4)
    assert v.value == Decimal("50.00")
    assert kpis.get_kpi("tickets.complaints_answered_2d").format(v.value) == "50.0%"
    assert kpis.get_kpi("tickets.complaints_answered_2d").compute([store], None, APRIL).value is None


def test_the_complaints_kpi_agrees_with_the_tickets_selector(store, march_tickets):
    from apps.tickets.selectors import complaints_answered_within

    v = kpis.get_kpi("tickets.complaints_answered_2d").compute([store], None, MARCH)
    assert complaints_answered_within(stores=[store], month=MARCH) == (v.numerator, v.denominator)


def test_output_value_sums_settled_amounts(store, store2, march_tickets):
    entry = kpis.get_kpi("tickets.output_value")
    assert entry.compute([store], None, MARCH).value == Decimal("4000.00")
    assert entry.compute([store, store2], None, MARCH).value == Decimal("13999.00")
    assert entry.compute([store], None, APRIL).value == Decimal("700.00")


def test_ratio_with_zero_denominator_is_none():
    assert kpis.ratio(0, 0).value is None
    assert kpis.ratio(5, 0).value is None
    assert kpis.ratio(1, 3).value == Decimal("33.33")


def test_followup_formulas_match_the_followups_selector_and_drill_down_to_its_rows(
    store, store2, aftersales, organisation
):
    from django.utils import timezone

    from apps.followups.seeds import rules_seed
    from apps.followups.selectors import followup_kpis
    from tests.factories.followups import make_customer, make_followup, mark_done

    rule = rules_seed(organisation)["first-call-pickup"]  # window: trigger +3 … +7
    may = dt.date(2031, 5, 1)
    made = [
        make_followup(
            rule, make_customer(store, owner=aftersales), trigger_date=dt.date(2031, 5, d), today=APRIL
        )
        for d in (1, 10, 20)
    ]
    for fu, done_on, score in [(made[0], 5, 5), (made[1], 19, 3)]:  # in window; late
        at = timezone.make_aware(dt.datetime.combine(dt.date(2031, 5, done_on), dt.time(10)))
        mark_done(fu, at=at, satisfaction=score, by=aftersales)
    expected = followup_kpis(stores=[store], month=may)
    for key, part in [
        ("followups.return_visit_rate", "return_visit"),
        ("followups.timeliness_rate", "timeliness"),
        ("followups.satisfaction_rate", "satisfaction"),
    ]:
        v = kpis.get_kpi(key).compute([store], None, may)
        assert (v.numerator, v.denominator) == (expected[part]["num"], expected[part]["den"]), key
    rv = kpis.get_kpi("followups.return_visit_rate").compute([store], None, may)
    assert (rv.numerator, rv.denominator, rv.value) == (1, 3, Decimal("33.33"))
    assert set(rv.records.values_list("pk", flat=True)) == {fu.pk for fu in made}
    assert kpis.get_kpi("followups.satisfaction_rate").compute([store2], None, may).value is None


def test_manual_kpi_keeps_who_and_when(store, manager):
    row = manual_kpi_enter(
        by=manager, kpi_key="manual.csi", store=store, month=MARCH, value=Decimal(912), note="厂家"
    )
    assert row.entered_by == manager and row.entered_at
    assert kpis.get_kpi("manual.csi").compute([store], None, MARCH).value == Decimal("912.00")
    # entering again for the same month replaces the value
    manual_kpi_enter(by=manager, kpi_key="manual.csi", store=store, month=MARCH, value=Decimal(905))
    assert kpis.get_kpi("manual.csi").compute([store], None, MARCH).value == Decimal("905.00")


def test_snapshot_refresh_is_idempotent(store, march_tickets):
    snapshot_refresh(stores=[store], months=[MARCH])
    first = KpiSnapshot.objects.count()
    snapshot_refresh(stores=[store], months=[MARCH])
    assert KpiSnapshot.objects.count() == first
    snap = KpiSnapshot.objects.get(store=store, month=MARCH, kpi_key="tickets.on_time_rate")
    assert snap.value == Decimal("75.00") and snap.denominator == 4


def test_beat_job_fills_twelve_months_once(store):
    snapshot_refresh_due(today=dt.date(2026, 3, 15))
    n = KpiSnapshot.objects.filter(store=store).count()
    assert n == 12 * len(profiles.profile_keys(store.kind))  # the station's KPIs, not the catalogue's
    snapshot_refresh_due(today=dt.date(2026, 3, 15))
    assert KpiSnapshot.objects.filter(store=store).count() == n


def march_checklists(store, clerk, admin):
    """Store, March: three runs (two completed; 2 of 24 items failed), two accepted handovers (one
    with a counted difference)."""
    from django.utils import timezone

    from apps.checklists.models import ChecklistRun, ChecklistTemplate
    from apps.handovers.models import Counter, Handover, HandoverLine, HandoverState, StockItem
    from tests.factories.targets import position

    tpl = ChecklistTemplate.objects.create(
        organisation=store.organisation,
        name="班前准备",
        phase="before",
        position=position(store.organisation, "营业员"),
        due_time=dt.time(9),
    )
    due = at(2026, 3, 5, 9)
    for day, completed, answered, failed in [(5, True, 10, 1), (6, True, 10, 0), (7, False, 4, 1)]:
        ChecklistRun.objects.create(
            template=tpl,
            store=store,
            assignee=clerk,
            date=dt.date(2026, 3, day),
            starts_at=due,
            due_at=due,
            ends_at=due,
            item_count=10,
            answered_count=answered,
            failed_count=failed,
            completed_at=due if completed else None,
        )
    counter = Counter.objects.create(store=store, code="1", name="1号台")
    cash = StockItem.objects.create(
        organisation=store.organisation, code="cash", name="备用金", section="cash"
    )
    for i, counted in enumerate([Decimal(1000), Decimal(990)]):
        h = Handover.objects.create(
            store=store,
            counter=counter,
            business_date=dt.date(2026, 3, 10 + i),
            outgoing=clerk,
            incoming=admin,
            period_start=timezone.now(),
        )
        HandoverLine.objects.create(handover=h, item=cash, expected=Decimal(1000), counted=counted)
        Handover.objects.filter(pk=h.pk).update(
            state=HandoverState.ACCEPTED, signed_at=timezone.now(), accepted_at=timezone.now()
        )


def test_checklist_formulas_from_runs_and_handovers(store, clerk, admin):
    entry = kpis.get_kpi("checklists.handover_differences")
    assert entry.compute([store], None, MARCH).value is None  # no handover: "—", not 0
    march_checklists(store, clerk, admin)
    v = kpis.get_kpi("checklists.completion_rate").compute([store], None, MARCH)
    assert (v.numerator, v.denominator, v.value) == (2, 3, Decimal("66.67"))
    v = kpis.get_kpi("checklists.failure_rate").compute([store], None, MARCH)
    assert (v.numerator, v.denominator, v.value) == (2, 24, Decimal("8.33"))
    assert kpis.get_kpi("checklists.completion_rate").compute([store], None, APRIL).value is None
    v = entry.compute([store], None, MARCH)
    assert (v.numerator, v.denominator, v.value) == (1, 2, Decimal(1))
    assert v.records.count() == 1
