"""Moving the handover models from checklists into this app keeps every row of an existing database.

The database is taken back to the state before the move (checklists 0004, no handovers app), rows
are written through the models of that state, and the migrations run forward again: the rows are
then read through the handovers app's models, and the content types (with their permissions)
are the same rows relabelled."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from apps.handovers.models import Handover, HandoverLine, HandoverSignature, HandoverState, StockMovement

BEFORE = [("checklists", "0004_completed_run_results_protected"), ("handovers", None)]
AFTER = [("checklists", "0005_handovers_moved_to_their_app"), ("handovers", "0001_moved_from_checklists")]


def _migrate(targets):
    """Migrate the test database to `targets`; the models of that state."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state([t for t in targets if t[1]]).apps


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_a_handover_written_before_the_move_is_found_after_it(store, clerk, manager, organisation):
    handover_type = ContentType.objects.get_for_model(Handover).pk
    old = _migrate(BEFORE)
    try:
        with pytest.raises(LookupError):
            old.get_model("handovers", "Handover")
        assert ContentType.objects.filter(pk=handover_type, app_label="checklists", model="handover").exists()
        now = timezone.now()
        desk = old.get_model("checklists", "Counter").objects.create(
            store_id=store.pk, code="t9", name="9号台席"
        )
        sim = old.get_model("checklists", "StockItem").objects.create(
            organisation_id=organisation.pk, code="sim", name="SIM 卡", section="stock"
        )
        movement = {"store_id": store.pk, "kind": "issue", "quantity": Decimal(2), "occurred_at": now}
        issue = old.get_model("checklists", "StockMovement").objects.create(
            counter=desk, item=sim, recorded_by_id=clerk.pk, **movement
        )
        old.get_model("checklists", "HistoricalStockMovement").objects.create(
            id=issue.pk,
            counter_id=desk.pk,
            item_id=sim.pk,
            recorded_by_id=clerk.pk,
            note="",
            history_date=now,
            history_type="+",
            history_user_id=clerk.pk,
            **movement,
        )
        handover = old.get_model("checklists", "Handover").objects.create(
            store_id=store.pk,
            counter=desk,
            business_date=dt.date(2026, 3, 5),
            outgoing_id=clerk.pk,
            incoming_id=manager.pk,
            period_start=now,
            state="signed",
            signed_at=now,
            notes="交班前写下",
        )
        old.get_model("checklists", "HandoverLine").objects.create(
            handover=handover, item=sim, expected=Decimal(30), counted=Decimal(28), explanation="两张作废"
        )
        old.get_model("checklists", "HandoverSignature").objects.create(
            handover=handover, role="outgoing", user_id=clerk.pk, signed_at=now
        )
    finally:
        _migrate(AFTER)
        _migrate(_latest())
        ContentType.objects.clear_cache()

    moved = Handover.objects.get(pk=handover.pk)
    assert (moved.counter.code, moved.state, moved.notes) == ("t9", HandoverState.SIGNED, "交班前写下")
    line = HandoverLine.objects.get(handover=moved)
    assert (line.item.code, line.difference, line.explanation) == ("sim", Decimal(-2), "两张作废")
    assert HandoverSignature.objects.get(handover=moved).user == clerk
    assert StockMovement.objects.get(counter=moved.counter).quantity == 2
    assert StockMovement.history.get(id=issue.pk).history_user == clerk
    assert ContentType.objects.get_for_model(Handover).pk == handover_type
    assert not ContentType.objects.filter(app_label="checklists", model="handover").exists()


@pytest.mark.django_db(transaction=True)
def test_the_items_an_organisation_had_become_the_business_halls_and_a_bank_gets_its_own(store, organisation):
    """Before items had a kind of store, a bank branch counted the hall's SIM cards; after the
    migration the existing items are the business hall's, and an organisation with a bank branch
    has the bank's starter items (tail-box cash by denomination, blank vouchers, seal, token, keys)."""
    from apps.handovers.models import StockItem
    from apps.org.models import StoreKind
    from tests.factories.org import StoreFactory

    StoreFactory(organisation=organisation, code="branch", kind=StoreKind.BANK_BRANCH)
    old = _migrate([("handovers", "0001_moved_from_checklists")])
    try:
        old.get_model("handovers", "StockItem").objects.create(
            organisation_id=organisation.pk, code="sim", name="SIM 卡", section="stock"
        )
    finally:
        _migrate(_latest())
    sim = StockItem.objects.get(organisation=organisation, code="sim")
    assert sim.store_kind == StoreKind.BUSINESS_HALL
    bank = StockItem.objects.filter(organisation=organisation, store_kind=StoreKind.BANK_BRANCH)
    assert {"cash", "seal", "token", "keys"} <= set(bank.values_list("code", flat=True))
    assert bank.get(code="cash").denominations
    assert not StockItem.objects.filter(
        organisation=organisation, store_kind=StoreKind.SERVICE_STATION
    ).exists()
