"""The branch's stock against its limits (库存限额): 金库调拨 / 后台调拨 in and out of a tail box move the
box's book; the supervisor sets the limits; holding more than a limit tells the supervisors once a
day and shows on the bank's pages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.bankdesk import box_selectors, box_services
from apps.bankdesk.models import BranchTransfer, Channel, Flow, OverLimit
from apps.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _held(store, code):
    return next(h.held for h in box_selectors.branch_holdings(store=store) if h.item.code == code)


def test_a_vault_transfer_moves_the_book_of_the_box_and_of_the_branch(branch, box, box2, teller, bitems):
    assert _held(branch, "cash") == Decimal(8000)
    box_services.branch_transfer_record(
        by=teller,
        store=branch,
        box=box,
        item=bitems["cash"],
        channel=Channel.VAULT,
        flow=Flow.IN,
        quantity=Decimal(2000),
    )
    assert _held(branch, "cash") == Decimal(10000)
    box_services.branch_transfer_record(
        by=teller,
        store=branch,
        box=box,
        item=bitems["cash"],
        channel=Channel.VAULT,
        flow=Flow.OUT,
        quantity=Decimal(6500),
    )
    assert _held(branch, "cash") == Decimal(3500)
    assert box_selectors.box_book(box=box, items=[bitems["cash"]])[bitems["cash"].pk] == Decimal(500)


def test_a_box_cannot_give_out_more_than_its_book(branch, box, teller, bitems):
    with pytest.raises(ValidationError):
        box_services.branch_transfer_record(
            by=teller,
            store=branch,
            box=box,
            item=bitems["voucher-card"],
            channel=Channel.BACK_OFFICE,
            flow=Flow.OUT,
            quantity=Decimal(31),
        )
    assert not BranchTransfer.objects.exists()


def test_a_teller_records_transfers_of_their_own_box_only(branch, box, box2, teller, supervisor, bitems):
    kwargs = {
        "store": branch,
        "item": bitems["cash"],
        "channel": Channel.VAULT,
        "flow": Flow.IN,
        "quantity": Decimal(1),
    }
    with pytest.raises(ValidationError):
        box_services.branch_transfer_record(by=teller, box=box2, **kwargs)
    box_services.branch_transfer_record(by=supervisor, box=box2, **kwargs)


def test_a_hall_item_cannot_be_transferred_at_a_bank(branch, box, teller, items):
    with pytest.raises(ValidationError):
        box_services.branch_transfer_record(
            by=teller,
            store=branch,
            box=box,
            item=items["sim"],
            channel=Channel.VAULT,
            flow=Flow.IN,
            quantity=Decimal(1),
        )


def test_going_over_a_limit_tells_the_supervisors_once_a_day(branch, box, teller, supervisor, bitems):
    box_services.branch_limit_set(by=supervisor, store=branch, item=bitems["cash"], limit=Decimal(6000))
    assert not OverLimit.objects.exists()
    for _ in range(2):
        box_services.branch_transfer_record(
            by=teller,
            store=branch,
            box=box,
            item=bitems["cash"],
            channel=Channel.VAULT,
            flow=Flow.IN,
            quantity=Decimal(1000),
        )
    assert OverLimit.objects.filter(store=branch, item=bitems["cash"]).count() == 1
    notes = Notification.objects.filter(
        recipient=supervisor, source="bankdesk", key__startswith="bank-limit-"
    )
    assert notes.count() == 1
    assert not Notification.objects.filter(recipient=teller, key__startswith="bank-limit-").exists()


def test_only_the_supervisor_sets_a_limit(branch, box, teller, supervisor, bitems, client_for):
    with pytest.raises(PermissionDenied):
        box_services.branch_limit_set(by=teller, store=branch, item=bitems["cash"], limit=Decimal(1))
    url = reverse("bankdesk:ledger", args=[branch.pk])
    response = client_for(teller).post(url, {"form": "limit", "l-item": bitems["cash"].pk, "l-limit": "1"})
    assert response.status_code == 403
    response = client_for(supervisor).post(
        url, {"form": "limit", "l-item": bitems["cash"].pk, "l-limit": "1"}
    )
    assert response.status_code == 302


def test_the_ledger_page_and_the_desk_show_an_item_over_its_limit(
    client_for, branch, box, supervisor, bitems
):
    box_services.branch_limit_set(by=supervisor, store=branch, item=bitems["voucher-card"], limit=Decimal(10))
    client = client_for(supervisor)
    page = client.get(reverse("bankdesk:ledger", args=[branch.pk])).content.decode()
    assert 'data-testid="over-limit"' in page
    page = client.get(reverse("bankdesk:desk", args=[branch.pk])).content.decode()
    assert 'data-testid="desk-over-limit"' in page


def test_a_refused_transfer_keeps_what_was_typed(client_for, branch, box, teller, bitems):
    url = reverse("bankdesk:ledger", args=[branch.pk])
    response = client_for(teller).post(
        url,
        {
            "form": "transfer",
            "t-box": box.pk,
            "t-item": bitems["voucher-card"].pk,
            "t-channel": "back_office",
            "t-flow": "out",
            "t-quantity": "999",
            "t-note": "退回运营中心",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "退回运营中心" in page and 'value="999"' in page
    assert not BranchTransfer.objects.exists()


def test_the_transfer_list_costs_the_same_queries_whatever_its_length(
    client_for, django_assert_max_num_queries, branch, box, teller, bitems
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(n):
        for _ in range(n):
            box_services.branch_transfer_record(
                by=teller,
                store=branch,
                box=box,
                item=bitems["cash"],
                channel=Channel.VAULT,
                flow=Flow.IN,
                quantity=Decimal(1),
            )

    client = client_for(teller)
    url = reverse("bankdesk:ledger", args=[branch.pk])
    add(1)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    add(6)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(url).status_code == 200


def test_another_branchs_supervisor_cannot_see_or_change_the_ledger(
    client_for, branch, box, supervisor2, bitems
):
    url = reverse("bankdesk:ledger", args=[branch.pk])
    client = client_for(supervisor2)
    assert client.get(url).status_code == 404
    assert client.post(url, {"form": "limit", "l-item": bitems["cash"].pk, "l-limit": "1"}).status_code == 404
