"""escalation_chain: tickets escalate along the positions' reporting lines."""

import pytest

from apps.org.models import RoleTier, StoreKind
from apps.roles.selectors import duty_tasks_for, escalation_chain, holders_of, kpis_for, positions_held_by
from tests.factories.org import StoreFactory, member
from tests.factories.roles import hold, make_position

pytestmark = pytest.mark.django_db


@pytest.fixture
def lines(organisation):
    vp = make_position(organisation, "分管副总经理")
    head = make_position(organisation, "服务站长", superiors=[vp])
    manager = make_position(organisation, "服务经理", superiors=[vp, head])
    advisor = make_position(organisation, "服务顾问", superiors=[manager])
    return vp, head, manager, advisor


def test_escalation_goes_up_two_levels(store2, manager2, clerk_b, lines):
    vp, head, manager, advisor = lines
    hold(advisor, clerk_b, store2)
    boss = member(store2, RoleTier.MANAGER, "svc_manager")
    hold(manager, boss, store2)
    hold(head, manager2, store2)
    chain = escalation_chain(user=clerk_b, store=store2)
    assert chain[0] == [boss]
    assert chain[1] == [manager2]


def test_escalation_skips_a_vacant_position(store2, manager2, clerk_b, lines):
    vp, head, manager, advisor = lines
    hold(advisor, clerk_b, store2)
    hold(head, manager2, store2)  # 服务经理 is vacant in this store
    assert escalation_chain(user=clerk_b, store=store2)[0] == [manager2]


def test_escalation_reaches_both_superiors_of_a_two_superior_position(organisation, store2, manager2, lines):
    vp, head, manager, advisor = lines
    hq = StoreFactory(organisation=organisation, code="hq", kind=StoreKind.BACK_OFFICE)
    deputy = member(hq, RoleTier.MANAGER, "deputy")
    hold(vp, deputy, hq)  # held in the back office, not in the station
    svc = member(store2, RoleTier.MANAGER, "svc_manager")
    hold(manager, svc, store2)
    hold(head, manager2, store2)
    chain = escalation_chain(user=svc, store=store2)
    assert set(chain[0]) == {deputy, manager2}


def test_nobody_above_means_an_empty_chain(store2, manager2, lines):
    vp, head, manager, advisor = lines
    hold(vp, manager2, store2)
    assert escalation_chain(user=manager2, store=store2) == []


def test_the_contract_selectors_read_the_current_revision(organisation, store, clerk):
    position = make_position(
        organisation,
        "营业员",
        areas={"班后": [("交接班", "per_shift"), ("月报", "monthly")]},
        kpis=[("满意率", "≥98%")],
    )
    hold(position, clerk, store)
    assert list(positions_held_by(user=clerk, store=store)) == [position]
    assert list(holders_of(position=position, store=store)) == [clerk]
    assert [t.text for t in duty_tasks_for(position=position, frequencies=["per_shift"])] == ["交接班"]
    assert [k.name for k in kpis_for(position=position)] == ["满意率"]
