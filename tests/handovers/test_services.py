"""Handovers: counted against expected, differences explained, signed, accepted, immutable, amended."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.utils import timezone

from apps.checklists import services as checklists
from apps.checklists.models import ItemKind
from apps.handovers import services
from apps.handovers.models import (
    AmendmentState,
    Handover,
    HandoverLine,
    HandoverSignature,
    HandoverState,
    ImmutableError,
    MovementKind,
    SignatureRole,
)
from apps.org.models import RoleTier
from tests.factories.checklists import item
from tests.factories.handovers import counter, stock_items
from tests.factories.org import member, web_request

pytestmark = pytest.mark.django_db


def count_all(handover, user, *, float_notes=None, sim=None, explanation=""):
    """Count every line as expected (or with the given SIM count)."""
    for line in handover.lines.select_related("item"):
        if line.item.denominations:
            services.handover_line_save(
                line=line, user=user, counted=None, breakdown={"100": int(line.expected // 100)}
            )
        elif line.item.code == "sim" and sim is not None:
            services.handover_line_save(line=line, user=user, counted=Decimal(sim), explanation=explanation)
        else:
            services.handover_line_save(line=line, user=user, counted=line.expected)


@pytest.fixture
def balances(store, desk, items, manager):
    services.balance_set(store=store, counter=desk, item=items["float"], quantity=Decimal(2000), user=manager)
    services.balance_set(store=store, counter=desk, item=items["sim"], quantity=Decimal(50), user=manager)
    return items


def accepted(store, desk, clerk, clerk2, password, **kwargs):
    h = services.handover_start(store=store, counter=desk, outgoing=clerk, incoming=clerk2)
    count_all(h, clerk, **kwargs)
    services.handover_sign(request=web_request(), handover=h, user=clerk, password=password)
    return services.handover_accept(request=web_request(), handover_id=h.pk, user=clerk2, password=password)


def test_expected_is_the_opening_balance_plus_receipts_minus_issues(store, desk, balances, clerk, clerk2):
    services.movement_record(
        store=store,
        counter=desk,
        item=balances["sim"],
        kind=MovementKind.RECEIPT,
        quantity=Decimal(20),
        user=clerk,
    )
    services.movement_record(
        store=store,
        counter=desk,
        item=balances["sim"],
        kind=MovementKind.ISSUE,
        quantity=Decimal(3),
        user=clerk,
    )
    h = services.handover_start(store=store, counter=desk, outgoing=clerk, incoming=clerk2)
    expected = {ln.item.code: ln.expected for ln in h.lines.select_related("item")}
    assert expected == {"float": 2000, "takings-cash": 0, "sim": 67, "invoice": 0}


def test_the_next_handover_starts_from_the_previous_closing_count(
    store, desk, balances, clerk, clerk2, settings
):
    accepted(store, desk, clerk, clerk2, settings.DEMO_PASSWORD, sim=49, explanation="一张卡损坏退库")
    services.movement_record(
        store=store,
        counter=desk,
        item=balances["sim"],
        kind=MovementKind.ISSUE,
        quantity=Decimal(4),
        user=clerk2,
    )
    h2 = services.handover_start(store=store, counter=desk, outgoing=clerk2, incoming=clerk)
    assert h2.lines.get(item__code="sim").expected == 45
    assert h2.previous is not None


def test_a_difference_needs_an_explanation_before_signing(store, desk, balances, clerk, clerk2, settings):
    h = services.handover_start(store=store, counter=desk, outgoing=clerk, incoming=clerk2)
    count_all(h, clerk, sim=48)
    with pytest.raises(ValidationError, match="SIM"):
        services.handover_sign(request=web_request(), handover=h, user=clerk, password=settings.DEMO_PASSWORD)
    line = h.lines.get(item__code="sim")
    services.handover_line_save(
        line=line, user=clerk, counted=Decimal(48), explanation="两张卡售出未登记，已补登"
    )
    h = services.handover_sign(request=web_request(), handover=h, user=clerk, password=settings.DEMO_PASSWORD)
    assert h.state == HandoverState.SIGNED
    assert h.lines.get(item__code="sim").difference == -2


def test_signing_needs_every_line_counted_and_the_right_password(
    store, desk, balances, clerk, clerk2, settings
):
    h = services.handover_start(store=store, counter=desk, outgoing=clerk, incoming=clerk2)
    with pytest.raises(ValidationError):
        services.handover_sign(request=web_request(), handover=h, user=clerk, password=settings.DEMO_PASSWORD)
    count_all(h, clerk)
    with pytest.raises(ValidationError):
        services.handover_sign(request=web_request(), handover=h, user=clerk, password="wrong")


def test_a_blocking_failed_item_keeps_the_shift_from_closing(
    store, desk, balances, run, template, clerk, clerk2, manager, settings
):
    checklists.item_answer(
        run=run,
        item=item(template, ItemKind.CHOICE),
        user=clerk,
        ok=False,
        value_text="异常",
        note="自助机黑屏",
    )
    h = services.handover_start(store=store, counter=desk, outgoing=clerk, incoming=clerk2)
    count_all(h, clerk)
    with pytest.raises(ValidationError, match="自助设备"):
        services.handover_sign(request=web_request(), handover=h, user=clerk, password=settings.DEMO_PASSWORD)
    checklists.failure_resolve(failure=run.failures.get(), user=manager, resolution="已报修，厂家明早上门")
    h = services.handover_sign(request=web_request(), handover=h, user=clerk, password=settings.DEMO_PASSWORD)
    assert h.state == HandoverState.SIGNED


def test_open_matters_are_carried_forward_when_signing(
    store, desk, balances, run, template, clerk, clerk2, settings
):
    checklists.item_answer(run=run, item=item(template, ItemKind.TICK), user=clerk, ok=False, note="发票不足")
    h = services.handover_start(store=store, counter=desk, outgoing=clerk, incoming=clerk2)
    count_all(h, clerk)
    h = services.handover_sign(request=web_request(), handover=h, user=clerk, password=settings.DEMO_PASSWORD)
    assert [m["kind"] for m in h.open_matters] == ["checklist_item"]
    assert "发票不足" in h.open_matters[0]["label"]


def test_starting_twice_returns_the_same_handover(store, desk, balances, clerk, clerk2):
    a = services.handover_start(store=store, counter=desk, outgoing=clerk, incoming=clerk2)
    b = services.handover_start(store=store, counter=desk, outgoing=clerk, incoming=clerk2)
    assert a.pk == b.pk and Handover.objects.count() == 1
    with pytest.raises(ValidationError):
        services.handover_start(store=store, counter=desk, outgoing=clerk2, incoming=clerk)


def test_the_outgoing_shift_closes_only_when_the_incoming_clerk_accepts(
    store, desk, balances, clerk, clerk2, settings
):
    h = services.handover_start(store=store, counter=desk, outgoing=clerk, incoming=clerk2)
    count_all(h, clerk)
    h = services.handover_sign(request=web_request(), handover=h, user=clerk, password=settings.DEMO_PASSWORD)
    assert h.accepted_at is None
    with pytest.raises(ValidationError):
        services.handover_accept(
            request=web_request(), handover_id=h.pk, user=clerk, password=settings.DEMO_PASSWORD
        )
    h = services.handover_accept(
        request=web_request(), handover_id=h.pk, user=clerk2, password=settings.DEMO_PASSWORD
    )
    assert h.state == HandoverState.ACCEPTED
    with pytest.raises(ValidationError, match="刘洋"):
        services.handover_accept(
            request=web_request(), handover_id=h.pk, user=clerk2, password=settings.DEMO_PASSWORD
        )
    assert HandoverSignature.objects.filter(handover=h, role=SignatureRole.INCOMING).count() == 1


def test_a_witness_signs_where_the_store_requires_it(store, desk, balances, clerk, clerk2, manager, settings):
    store.requires_handover_witness = True
    store.save()
    h = services.handover_start(store=store, counter=desk, outgoing=clerk, incoming=clerk2)
    count_all(h, clerk)
    services.handover_sign(request=web_request(), handover=h, user=clerk, password=settings.DEMO_PASSWORD)
    with pytest.raises(ValidationError, match="监交人"):
        services.handover_accept(
            request=web_request(), handover_id=h.pk, user=clerk2, password=settings.DEMO_PASSWORD
        )
    with pytest.raises(ValidationError):
        services.handover_witness(
            request=web_request(), handover=h, witness_id=clerk2.pk, password=settings.DEMO_PASSWORD
        )
    services.handover_witness(
        request=web_request(), handover=h, witness_id=manager.pk, password=settings.DEMO_PASSWORD
    )
    h = services.handover_accept(
        request=web_request(), handover_id=h.pk, user=clerk2, password=settings.DEMO_PASSWORD
    )
    assert h.witness == manager


def test_an_accepted_handover_cannot_change_in_the_model_layer(
    store, desk, balances, clerk, clerk2, settings
):
    h = accepted(store, desk, clerk, clerk2, settings.DEMO_PASSWORD)
    h = Handover.objects.get(pk=h.pk)
    h.notes = "改一下"
    with pytest.raises(ImmutableError):
        h.save()
    with pytest.raises(ImmutableError):
        Handover.objects.filter(pk=h.pk).update(notes="x")
    with pytest.raises(ImmutableError):
        h.delete()
    line = h.lines.first()
    line.counted = Decimal(1)
    with pytest.raises(ImmutableError):
        line.save()
    with pytest.raises(ImmutableError):
        HandoverLine.objects.filter(handover=h).update(counted=0)
    with pytest.raises(ValidationError):
        services.handover_line_save(line=line, user=clerk, counted=Decimal(1))


def test_an_accepted_handover_cannot_change_in_the_database(store, desk, balances, clerk, clerk2, settings):
    h = accepted(store, desk, clerk, clerk2, settings.DEMO_PASSWORD)
    for sql in [
        "UPDATE checklists_handover SET notes = 'x' WHERE id = %s",
        "UPDATE checklists_handoverline SET counted = 0 WHERE handover_id = %s",
        "UPDATE checklists_handoversignature SET user_id = user_id WHERE handover_id = %s",
    ]:
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [h.pk])
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM checklists_handoverline WHERE handover_id = %s", [h.pk])
    assert Handover.objects.get(pk=h.pk).notes == ""


def test_a_correction_is_an_amendment_with_its_own_signatures_and_feeds_the_next_handover(
    store, desk, balances, clerk, clerk2, manager, settings
):
    pw = settings.DEMO_PASSWORD
    h = accepted(store, desk, clerk, clerk2, pw)
    sim = h.lines.get(item__code="sim")
    with pytest.raises(ValidationError):
        services.amendment_propose(
            request=web_request(),
            handover=h,
            line=sim,
            user=clerk2,
            counted=Decimal(47),
            reason="",
            password=pw,
        )
    a = services.amendment_propose(
        request=web_request(),
        handover=h,
        line=sim,
        user=clerk2,
        counted=Decimal(47),
        reason="复点少三张",
        password=pw,
    )
    with pytest.raises(ValidationError):
        services.amendment_confirm(request=web_request(), amendment=a, user=clerk2, password=pw)
    a = services.amendment_confirm(request=web_request(), amendment=a, user=manager, password=pw)
    assert a.state == AmendmentState.CONFIRMED
    assert a.signatures.count() == 2
    sim.refresh_from_db()
    assert sim.counted == 50  # the original is untouched
    a.reason = "x"
    with pytest.raises(ImmutableError):
        a.save()
    b = services.amendment_propose(
        request=web_request(),
        handover=h,
        line=sim,
        user=clerk,
        counted=Decimal(46),
        reason="再次复点",
        password=pw,
    )
    assert b.number == 2
    services.amendment_confirm(request=web_request(), amendment=b, user=clerk2, password=pw)
    h2 = services.handover_start(store=store, counter=desk, outgoing=clerk2, incoming=clerk)
    assert h2.lines.get(item__code="sim").expected == 46


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL row locks; SQLite serialises writers"
)
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_accepts_produce_exactly_one_acceptance(organisation, store, settings):
    clerk = member(store, RoleTier.CLERK, "c-out")
    clerk2 = member(store, RoleTier.CLERK, "c-in")
    desk = counter(store)
    stock_items(organisation)
    h = services.handover_start(store=store, counter=desk, outgoing=clerk, incoming=clerk2)
    count_all(h, clerk)
    services.handover_sign(request=web_request(), handover=h, user=clerk, password=settings.DEMO_PASSWORD)
    barrier = threading.Barrier(20)
    outcomes: list[str] = []
    lock = threading.Lock()

    def accept():
        from django.db import connection as conn

        try:
            barrier.wait()
            services.handover_accept(
                request=web_request(), handover_id=h.pk, user=clerk2, password=settings.DEMO_PASSWORD
            )
            result = "ok"
        except ValidationError as exc:
            result = f"error: {exc}"
        finally:
            conn.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=accept) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(outcomes) == 20
    assert outcomes.count("ok") == 1, outcomes
    assert all("已由" in o or "already accepted" in o for o in outcomes if o != "ok"), outcomes
    assert HandoverSignature.objects.filter(handover=h, role=SignatureRole.INCOMING).count() == 1
    assert Handover.objects.get(pk=h.pk).state == HandoverState.ACCEPTED


def test_business_date_is_today(store, desk, balances, clerk, clerk2):
    h = services.handover_start(store=store, counter=desk, outgoing=clerk, incoming=clerk2)
    assert h.business_date == timezone.localdate()
    assert isinstance(h.period_start, dt.datetime)
