import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.bankdesk.models import TailBox
from apps.handovers.models import OpeningBalance
from apps.org.models import RoleTier, StoreKind
from tests.factories.handovers import bank_items, counter
from tests.factories.org import StoreFactory, member


@pytest.fixture
def branch(organisation):
    return StoreFactory(
        organisation=organisation, name="滨江支行营业网点", code="branch", kind=StoreKind.BANK_BRANCH
    )


@pytest.fixture
def branch2(organisation):
    return StoreFactory(
        organisation=organisation, name="城西支行营业网点", code="branch2", kind=StoreKind.BANK_BRANCH
    )


@pytest.fixture
def teller(branch):
    return member(branch, RoleTier.CLERK, "teller", display_name="吴琳")


@pytest.fixture
def teller2(branch):
    return member(branch, RoleTier.CLERK, "teller2", display_name="钱敏")


@pytest.fixture
def lobby(branch):
    return member(branch, RoleTier.CLERK, "lobby", display_name="何静")


@pytest.fixture
def supervisor(branch):
    return member(branch, RoleTier.MANAGER, "supervisor", display_name="郑华")


@pytest.fixture
def supervisor2(branch2):
    return member(branch2, RoleTier.MANAGER, "supervisor2", display_name="冯伟")


@pytest.fixture
def bitems(organisation):
    return bank_items(organisation)


def make_box(store, teller, number, code, opening, set_by):
    """A tail box on its own counter, with opening figures {item: quantity} set yesterday."""
    box = TailBox.objects.create(store=store, number=number, teller=teller, counter=counter(store, code))
    when = timezone.now() - dt.timedelta(days=1)
    for item, quantity in opening.items():
        OpeningBalance.objects.create(
            store=store,
            counter=box.counter,
            item=item,
            quantity=Decimal(quantity),
            effective_at=when,
            set_by=set_by,
        )
    return box


@pytest.fixture
def box(branch, teller, supervisor, bitems):
    return make_box(
        branch,
        teller,
        "W01",
        "g1",
        {bitems["cash"]: 5000, bitems["voucher-passbook"]: 20, bitems["voucher-card"]: 30, bitems["keys"]: 2},
        supervisor,
    )


@pytest.fixture
def box2(branch, teller2, supervisor, bitems):
    return make_box(
        branch, teller2, "W02", "g2", {bitems["cash"]: 3000, bitems["voucher-card"]: 10}, supervisor
    )


@pytest.fixture
def items(organisation):
    """The business hall's handover items of the same organisation."""
    from tests.factories.handovers import stock_items

    return stock_items(organisation)
