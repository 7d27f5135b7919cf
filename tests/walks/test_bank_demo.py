"""The demo bank branch leaves its people something to do, whatever the hour: teller's tail box is
still to count, teller2's waits for a second signature on the seal, the branch is over a limit; a
handover between the two tellers is witnessed by a third person (the 营业主管)."""

from django.urls import reverse
from django.utils import timezone

from apps.bankdesk.box_selectors import day_board, over_limits
from apps.bankdesk.models import CheckState
from apps.handovers import services as handovers
from apps.handovers.selectors import counters_for, stock_items_for, witnesses_for
from apps.org.models import User


def test_the_demo_branch_has_boxes_to_count_and_to_seal_and_a_limit_passed(demo, db):
    branch = demo.stores["branch-riverside"]
    supervisor = demo.users["supervisor"]
    rows = {
        r.box.teller.username: r for r in day_board(user=supervisor, store=branch, day=timezone.localdate())
    }
    assert rows["teller"].check is None
    assert rows["teller2"].check is not None and rows["teller2"].check.state == CheckState.SIGNED
    assert over_limits(store=branch).exists()
    page = demo.client("teller").get(reverse("bankdesk:tail_boxes", args=[branch.pk])).content.decode()
    assert 'data-testid="tail-box-start"' in page


def test_the_demo_bank_counts_bank_items_and_the_hall_hall_items(demo, db):
    bank = {i.code for i in stock_items_for(store=demo.stores["branch-riverside"])}
    hall = {i.code for i in stock_items_for(store=demo.stores["hall-central"])}
    assert {"cash", "seal", "token", "keys"} <= bank and "sim" not in bank
    assert {"sim", "recharge", "handset", "float"} <= hall and "cash" not in hall


def test_a_handover_between_the_two_demo_tellers_is_witnessed_by_a_third_person(demo, db):
    branch = demo.stores["branch-riverside"]
    teller, teller2 = demo.users["teller"], User.objects.get(username="teller2")
    counter = counters_for(user=teller).get(store=branch, code="g1")
    handover = handovers.handover_start(store=branch, counter=counter, outgoing=teller, incoming=teller2)
    assert branch.requires_handover_witness
    witnesses = set(witnesses_for(handover=handover).values_list("username", flat=True))
    assert "supervisor" in witnesses and not {"teller", "teller2"} & witnesses
