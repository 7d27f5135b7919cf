"""Follow-up rules and survey questions per kind of store (issue 11, section 1).

The station's calls (接车出厂后首次跟踪服务 asking 是否准时交车, new vehicles, maintenance by
mileage, major repairs) call station customers only; the business hall and the bank branch get
their own calls and questions from the source documents. A hall's customers are never asked
是否准时交车, and a hall's people never read the station's rules.
"""

import datetime as dt

import pytest
from django.utils import timezone

from apps.followups.engine import followups_generate, rule_matches
from apps.followups.models import FollowUp
from apps.followups.seeds import ON_TIME_QUESTION, rules_seed
from apps.followups.selectors import rule_list_for
from apps.followups.surveys import questions
from apps.org.models import Organisation, RoleTier, StoreKind
from tests.factories.followups import make_customer, make_ticket
from tests.factories.org import StoreFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall(organisation):
    return StoreFactory(
        organisation=organisation, name="东门营业厅", code="hall-e", kind=StoreKind.BUSINESS_HALL
    )


@pytest.fixture
def station(organisation):
    return StoreFactory(
        organisation=organisation, name="城南服务站", code="st-s", kind=StoreKind.SERVICE_STATION
    )


@pytest.fixture
def bank(organisation):
    return StoreFactory(organisation=organisation, name="滨江支行", code="bank", kind=StoreKind.BANK_BRANCH)


@pytest.fixture
def seeded(organisation):
    return rules_seed(organisation)


def _asks_on_time(items) -> bool:
    return any(ON_TIME_QUESTION in q.text for q in questions(items))


def test_the_on_time_question_is_asked_by_station_rules_only(seeded):
    for rule in seeded.values():
        if _asks_on_time(rule.survey_items):
            assert rule.store_kinds == [StoreKind.SERVICE_STATION], rule.code


def test_halls_and_banks_have_their_own_rules_with_their_own_questions(seeded, hall, bank):
    for shop in (hall, bank):
        own = [r for r in seeded.values() if shop.kind in r.store_kinds]
        assert own, shop.kind
        for rule in own:
            assert rule.survey_items and not _asks_on_time(rule.survey_items)


def test_a_closed_hall_ticket_calls_with_the_halls_questions_not_the_stations(seeded, hall, station):
    today = timezone.localdate()
    clerk = member(hall, RoleTier.AFTERSALES, "hall_caller")
    advisor = member(station, RoleTier.AFTERSALES, "station_caller")
    hall_customer = make_customer(hall, owner=clerk)
    station_customer = make_customer(station, owner=advisor)
    make_ticket(hall_customer, created_by=clerk, kind="inquiry", closed_on=today - dt.timedelta(days=1))
    make_ticket(station_customer, created_by=advisor, closed_on=today - dt.timedelta(days=1))
    followups_generate(today=today)
    hall_calls = FollowUp.objects.filter(store=hall)
    assert {f.rule.code for f in hall_calls} == {"hall-service-call"}
    assert not any(_asks_on_time(f.survey_items) for f in hall_calls)
    station_calls = FollowUp.objects.filter(store=station)
    assert "first-call-pickup" in {f.rule.code for f in station_calls}
    assert any(_asks_on_time(f.survey_items) for f in station_calls)


def test_a_station_rule_never_matches_a_hall_customer(seeded, hall):
    customer = make_customer(hall)
    assert not rule_matches(seeded["maintenance"], store=hall, customer=customer)
    vip = make_customer(hall, tier="vip")
    assert rule_matches(seeded["vip-periodic"], store=hall, customer=vip)  # a rule of every kind


def test_the_admin_of_halls_only_reads_the_halls_rules_and_not_the_stations():
    """An admin of an organisation of business halls only does not see the station's rules."""
    halls_only = Organisation.objects.create(name="独立营业厅集团", code="halls-only")
    lone = StoreFactory(organisation=halls_only, name="独立营业厅", code="solo", kind=StoreKind.BUSINESS_HALL)
    admin = member(lone, RoleTier.ADMIN, "solo_admin")
    rules_seed(halls_only)
    codes = set(rule_list_for(user=admin).values_list("code", flat=True))
    assert "hall-service-call" in codes
    assert "first-call-pickup" not in codes and "maintenance" not in codes
