"""The end-of-day tail box (尾箱) check: a teller counts their box against the book (cash by
denomination), explains every difference, signs with their password; a second person of the branch
signs the seal (双人封箱), never the teller twice. The supervisor sees every box of the day on one
page; nobody else of another store or kind sees any of it."""

from __future__ import annotations

from decimal import Decimal
from typing import cast

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from apps.bankdesk import box_services
from apps.bankdesk.models import CheckState, TailBoxCheck
from apps.org.models import RoleTier, Store, StoreKind
from tests.factories.org import StoreFactory, member, web_request

pytestmark = pytest.mark.django_db

PASSWORD = "demo1234"


def _count_all(check, *, cash=None, cards=None, explanation=""):
    """Count every line as the book says, except what is given."""
    counts = {}
    for line in check.lines.select_related("item"):
        entry = {"counted": line.expected, "explanation": ""}
        if line.item.denominations:
            total = cash if cash is not None else line.expected
            entry["breakdown"] = {"100": int(total // 100)}
        if line.item.code == "voucher-card" and cards is not None:
            entry = {"counted": Decimal(cards), "explanation": explanation}
        counts[line.pk] = entry
    return counts


def test_a_check_starts_with_the_book_figure_of_every_bank_item(box, teller, bitems, items):
    check = box_services.tail_box_check_start(by=teller, box=box)
    lines = {ln.item.code: ln.expected for ln in check.lines.select_related("item")}
    assert lines == {
        "cash": Decimal(5000),
        "voucher-passbook": Decimal(20),
        "voucher-card": Decimal(30),
        "keys": Decimal(2),
    }
    # The hall's items (SIM cards, the float) are never counted at a bank.
    assert "sim" not in lines and "float" not in lines
    assert box_services.tail_box_check_start(by=teller, box=box).pk == check.pk


def test_only_the_boxs_teller_starts_and_counts_it(box, teller2, supervisor):
    with pytest.raises(ValidationError):
        box_services.tail_box_check_start(by=teller2, box=box)
    with pytest.raises(ValidationError):
        box_services.tail_box_check_start(by=supervisor, box=box)


def test_cash_is_counted_by_denomination(box, teller):
    check = box_services.tail_box_check_start(by=teller, box=box)
    cash = check.lines.get(item__code="cash")
    box_services.tail_box_count_save(
        by=teller, check=check, counts={cash.pk: {"breakdown": {"100": 40, "50": 19, "10": 5}}}
    )
    cash.refresh_from_db()
    assert cash.counted == Decimal(4000 + 950 + 50)
    assert cash.breakdown == {"100": 40, "50": 19, "10": 5}


def test_a_difference_must_be_explained_before_the_teller_signs(box, teller):
    check = box_services.tail_box_check_start(by=teller, box=box)
    box_services.tail_box_count_save(by=teller, check=check, counts=_count_all(check, cards=29))
    with translation.override("en"), pytest.raises(ValidationError, match="Explain every difference"):
        box_services.tail_box_sign(
            request=web_request(), check=check, user=teller, password=PASSWORD, seal_number="F1"
        )
    box_services.tail_box_count_save(
        by=teller, check=check, counts=_count_all(check, cards=29, explanation="一张制卡失败作废")
    )
    box_services.tail_box_sign(
        request=web_request(), check=check, user=teller, password=PASSWORD, seal_number="F1"
    )
    check.refresh_from_db()
    assert check.state == CheckState.SIGNED and check.seal_number == "F1"


def test_a_signed_count_cannot_change(box, teller):
    check = box_services.tail_box_check_start(by=teller, box=box)
    box_services.tail_box_count_save(by=teller, check=check, counts=_count_all(check))
    box_services.tail_box_sign(
        request=web_request(), check=check, user=teller, password=PASSWORD, seal_number="F1"
    )
    with pytest.raises(ValidationError):
        box_services.tail_box_count_save(by=teller, check=check, counts=_count_all(check, cash=0))


def test_the_same_person_cannot_sign_the_seal_twice(box, teller, teller2):
    check = box_services.tail_box_check_start(by=teller, box=box)
    box_services.tail_box_count_save(by=teller, check=check, counts=_count_all(check))
    box_services.tail_box_sign(
        request=web_request(), check=check, user=teller, password=PASSWORD, seal_number="F1"
    )
    with translation.override("en"), pytest.raises(ValidationError, match="cannot sign twice"):
        box_services.tail_box_seal(request=web_request(), check=check, second_id=teller.pk, password=PASSWORD)
    box_services.tail_box_seal(request=web_request(), check=check, second_id=teller2.pk, password=PASSWORD)
    check.refresh_from_db()
    assert check.state == CheckState.SEALED and check.second == teller2


def test_someone_of_another_store_cannot_sign_the_seal(box, teller, supervisor2):
    check = box_services.tail_box_check_start(by=teller, box=box)
    box_services.tail_box_count_save(by=teller, check=check, counts=_count_all(check))
    box_services.tail_box_sign(
        request=web_request(), check=check, user=teller, password=PASSWORD, seal_number="F1"
    )
    with pytest.raises(ValidationError):
        box_services.tail_box_seal(
            request=web_request(), check=check, second_id=supervisor2.pk, password=PASSWORD
        )
    assert TailBoxCheck.objects.get(pk=check.pk).state == CheckState.SIGNED


def test_a_wrong_password_does_not_seal(box, teller, teller2):
    check = box_services.tail_box_check_start(by=teller, box=box)
    box_services.tail_box_count_save(by=teller, check=check, counts=_count_all(check))
    box_services.tail_box_sign(
        request=web_request(), check=check, user=teller, password=PASSWORD, seal_number="F1"
    )
    with pytest.raises(ValidationError):
        box_services.tail_box_seal(request=web_request(), check=check, second_id=teller2.pk, password="nope")
    assert TailBoxCheck.objects.get(pk=check.pk).state == CheckState.SIGNED


# ---- pages


def _post_count(client, url, check, **extra):
    data = {"action": "count"}
    for line in check.lines.select_related("item"):
        if line.item.denominations:
            data[f"d_{line.pk}_100"] = str(int(line.expected // 100))
        else:
            data[f"c_{line.pk}"] = str(line.expected)
        data[f"e_{line.pk}"] = ""
    data.update(extra)
    return client.post(url, data)


def test_the_teller_counts_signs_and_a_second_person_seals_on_the_page(
    client_for, branch, box, teller, teller2
):
    client = client_for(teller)
    board = reverse("bankdesk:tail_boxes", args=[branch.pk])
    assert "W01" in client.get(board).content.decode()
    response = client.post(reverse("bankdesk:tail_box_start", args=[branch.pk, box.pk]))
    check = TailBoxCheck.objects.get(box=box)
    url = reverse("bankdesk:tail_box_check", args=[branch.pk, check.pk])
    assert response.url == url
    cards = check.lines.get(item__code="voucher-card")
    # A difference without an explanation: refused, and what was typed stays on the page.
    response = _post_count(
        client, url, check, action="sign", seal_number="FX-77", password=PASSWORD, **{f"c_{cards.pk}": "28"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="FX-77"' in page and 'value="28"' in page
    assert TailBoxCheck.objects.get(pk=check.pk).state == CheckState.COUNTING
    response = _post_count(
        client,
        url,
        check,
        action="sign",
        seal_number="FX-77",
        password=PASSWORD,
        **{f"c_{cards.pk}": "28", f"e_{cards.pk}": "两张作废"},
    )
    assert response.status_code == 302
    assert TailBoxCheck.objects.get(pk=check.pk).state == CheckState.SIGNED
    # The teller cannot put the second signature too; the refusal is shown on the form.
    response = client.post(url, {"action": "seal", "second": teller.pk, "password": PASSWORD})
    assert "cannot sign twice" in response.content.decode() or "不能" in response.content.decode()
    assert TailBoxCheck.objects.get(pk=check.pk).state == CheckState.SIGNED
    response = client.post(url, {"action": "seal", "second": teller2.pk, "password": PASSWORD})
    assert response.status_code == 302
    assert TailBoxCheck.objects.get(pk=check.pk).state == CheckState.SEALED


def test_the_supervisor_sees_every_box_of_the_day_and_a_teller_only_theirs(
    client_for, branch, box, box2, teller, teller2, supervisor
):
    check = box_services.tail_box_check_start(by=teller2, box=box2)
    box_services.tail_box_count_save(
        by=teller2, check=check, counts=_count_all(check, cards=9, explanation="作废")
    )
    board = reverse("bankdesk:tail_boxes", args=[branch.pk])
    page = client_for(supervisor).get(board).content.decode()
    assert "W01" in page and "W02" in page
    assert 'data-testid="tail-box-counts"' in page
    page = client_for(teller).get(board).content.decode()
    assert "W01" in page and "W02" not in page
    check_url = reverse("bankdesk:tail_box_check", args=[branch.pk, check.pk])
    assert client_for(teller).get(check_url).status_code == 404
    assert client_for(supervisor).get(check_url).status_code == 200


@pytest.mark.parametrize("who", ["manager", "clerk", "aftersales", "manager2", "supervisor2"])
def test_nobody_outside_the_branch_reaches_its_tail_boxes(client_for, request, branch, box, teller, who):
    check = box_services.tail_box_check_start(by=teller, box=box)
    user = request.getfixturevalue(who)
    client = client_for(user)
    urls = [
        reverse("bankdesk:tail_boxes", args=[branch.pk]),
        reverse("bankdesk:tail_box_check", args=[branch.pk, check.pk]),
        reverse("bankdesk:ledger", args=[branch.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code in (403, 404), (who, url)
    assert client.post(reverse("bankdesk:tail_box_start", args=[branch.pk, box.pk])).status_code in (403, 404)


def test_a_hall_clerk_holding_the_bank_permission_elsewhere_still_gets_404(
    client_for, store, organisation, box, branch
):
    """A clerk of a business hall may record bank registers in principle (the tier grants it), but
    the branch is not hers: 404, never the page."""
    hall_clerk = member(store, RoleTier.CLERK, "hallclerk")
    assert client_for(hall_clerk).get(reverse("bankdesk:tail_boxes", args=[branch.pk])).status_code == 404
    other_hall = cast(Store, StoreFactory(organisation=organisation, kind=StoreKind.BUSINESS_HALL))
    assert client_for(hall_clerk).get(reverse("bankdesk:tail_boxes", args=[other_hall.pk])).status_code == 404


def test_the_board_costs_the_same_queries_whatever_the_number_of_boxes(
    client_for, django_assert_max_num_queries, branch, supervisor, bitems
):
    from tests.bankdesk.conftest import make_box

    def add(n):
        for i in range(n):
            teller = member(
                branch, RoleTier.CLERK, f"t{TailBoxCheck.objects.count()}-{i}-{timezone.now().microsecond}"
            )
            box = make_box(
                branch, teller, f"B{teller.pk}", f"c{teller.pk}", {bitems["cash"]: 100}, supervisor
            )
            check = box_services.tail_box_check_start(by=teller, box=box)
            box_services.tail_box_count_save(
                by=teller, check=check, counts=_count_all(check, cards=1, explanation="x")
            )

    client = client_for(supervisor)
    url = reverse("bankdesk:tail_boxes", args=[branch.pk])
    add(1)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    add(5)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(url).status_code == 200


def test_saving_a_count_again_after_signing_is_refused_on_the_page_not_a_500(client_for, branch, box, teller):
    check = box_services.tail_box_check_start(by=teller, box=box)
    box_services.tail_box_count_save(by=teller, check=check, counts=_count_all(check))
    box_services.tail_box_sign(
        request=web_request(), check=check, user=teller, password=PASSWORD, seal_number="F1"
    )
    url = reverse("bankdesk:tail_box_check", args=[branch.pk, check.pk])
    response = _post_count(client_for(teller), url, check)
    assert response.status_code == 200
    assert TailBoxCheck.objects.get(pk=check.pk).state == CheckState.SIGNED
