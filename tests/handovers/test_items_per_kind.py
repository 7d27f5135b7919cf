"""Handover items belong to a kind of store: a business hall counts its float, takings, SIM cards …
and never a bank's vouchers; a bank branch counts its tail-box cash, vouchers, seal, token and keys
and never a hall's SIM cards; the items offered on the ledger pages follow the counter's store."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.handovers import services
from apps.handovers.models import MovementKind
from apps.org.models import RoleTier, StoreKind
from tests.factories.handovers import bank_items, counter
from tests.factories.org import StoreFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def branch(organisation):
    return StoreFactory(organisation=organisation, name="滨江支行", code="branch", kind=StoreKind.BANK_BRANCH)


@pytest.fixture
def bitems(organisation):
    return bank_items(organisation)


def _codes(handover):
    return {line.item.code for line in handover.lines.select_related("item")}


def test_a_hall_handover_counts_only_the_halls_items(store, desk, items, bitems, clerk, clerk2):
    handover = services.handover_start(store=store, counter=desk, outgoing=clerk, incoming=clerk2)
    assert _codes(handover) == set(items)
    assert not _codes(handover) & set(bitems)


def test_a_bank_handover_counts_only_the_banks_items(branch, items, bitems):
    teller = member(branch, RoleTier.CLERK, "teller")
    teller2 = member(branch, RoleTier.CLERK, "teller2")
    handover = services.handover_start(
        store=branch, counter=counter(branch, "g1"), outgoing=teller, incoming=teller2
    )
    assert _codes(handover) == set(bitems)
    assert "sim" not in _codes(handover)


def test_a_bank_item_cannot_be_booked_at_a_hall_nor_a_hall_item_at_a_bank(
    store, desk, branch, items, bitems, clerk, manager
):
    with pytest.raises(ValidationError):
        services.movement_record(
            store=store,
            counter=desk,
            item=bitems["cash"],
            kind=MovementKind.RECEIPT,
            quantity=Decimal(1),
            user=clerk,
        )
    with pytest.raises(ValidationError):
        services.balance_set(
            store=store, counter=desk, item=bitems["keys"], quantity=Decimal(1), user=manager
        )
    supervisor = member(branch, RoleTier.MANAGER, "supervisor")
    with pytest.raises(ValidationError):
        services.balance_set(
            store=branch,
            counter=counter(branch, "g1"),
            item=items["sim"],
            quantity=Decimal(1),
            user=supervisor,
        )


def test_the_ledger_pages_offer_each_store_only_its_kinds_items(
    client_for, store, desk, branch, items, bitems, manager
):
    counter(branch, "g1")
    supervisor = member(branch, RoleTier.MANAGER, "supervisor")
    hall_page = client_for(manager).get(reverse("handovers:movements")).content.decode()
    assert "SIM 卡" in hall_page and "尾箱现金" not in hall_page
    bank_page = client_for(supervisor).get(reverse("handovers:balances")).content.decode()
    assert "尾箱现金" in bank_page and "SIM 卡" not in bank_page


def test_the_same_code_may_name_an_item_of_each_kind(organisation, items):
    """Unique per organisation and kind: a station's 备用金 does not clash with the hall's."""
    from apps.handovers.models import Section, StockItem

    StockItem.objects.create(
        organisation=organisation,
        store_kind=StoreKind.SERVICE_STATION,
        code="float",
        name="备用金",
        section=Section.FLOAT,
    )
    assert StockItem.objects.filter(organisation=organisation, code="float").count() == 2
