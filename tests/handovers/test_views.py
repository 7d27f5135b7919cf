"""Views: who may open a handover and act on it, htmx counting, the list's query count, PDFs."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.checklists import services as checklists
from apps.checklists.models import ItemKind
from apps.handovers import services
from apps.handovers.models import Handover, HandoverState
from tests.factories.checklists import item
from tests.factories.handovers import counter
from tests.factories.org import web_request
from tests.pdf_checks import assert_cjk_font_embedded, pdf_text

from .test_services import count_all

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
FIELD = re.compile(r"<(input|textarea|select)\b")


@pytest.fixture
def handover(store, desk, items, clerk, clerk2):
    return services.handover_start(store=store, counter=desk, outgoing=clerk, incoming=clerk2)


def test_a_clerk_of_another_store_cannot_open_a_handover(client_for, clerk_b, handover):
    client = client_for(clerk_b)
    assert client.get(handover.get_absolute_url()).status_code == 404
    assert client.get(reverse("handovers:pdf", args=[handover.pk])).status_code == 404
    line = handover.lines.first()
    assert (
        client.post(reverse("handovers:line", args=[handover.pk, line.pk]), {"counted": "1"}).status_code
        == 404
    )
    assert client.post(reverse("handovers:accept", args=[handover.pk]), {"password": "x"}).status_code == 404
    assert handover.get_absolute_url() not in client.get(reverse("handovers:list")).content.decode()


def test_only_the_outgoing_clerk_counts(client_for, clerk2, handover):
    line = handover.lines.first()
    assert (
        client_for(clerk2)
        .post(reverse("handovers:line", args=[handover.pk, line.pk]), {"counted": "1"})
        .status_code
        == 403
    )


def test_only_managers_set_opening_balances(client_for, clerk, manager):
    assert client_for(clerk).get(reverse("handovers:balances")).status_code == 403
    assert client_for(manager).get(reverse("handovers:balances")).status_code == 200


def test_a_counted_line_is_saved_by_htmx_and_swaps_only_its_difference_and_the_totals(
    client_for, clerk, handover
):
    line = handover.lines.get(item__code="sim")
    response = client_for(clerk).post(
        reverse("handovers:line", args=[handover.pk, line.pk]), {"counted": "3", "explanation": ""}, **HTMX
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert f'id="line-{line.pk}-difference"' in body and 'data-state="unexplained"' in body
    assert 'id="handover-totals"' in body and 'data-testid="totals-counted">1 / 4<' in body
    assert body.count('hx-swap-oob="true"') == 3  # difference, error, totals
    assert not FIELD.search(body) and "<form" not in body, "a save never replaces an input"
    line.refresh_from_db()
    assert line.counted == 3


def test_a_cash_line_answers_with_its_sum_and_saving_it_never_touches_another_line(
    client_for, clerk, handover
):
    client = client_for(clerk)
    sim = handover.lines.get(item__code="sim")
    client.post(reverse("handovers:line", args=[handover.pk, sim.pk]), {"counted": "28", "explanation": "x"})
    cash = handover.lines.get(item__code="float")
    response = client.post(
        reverse("handovers:line", args=[handover.pk, cash.pk]),
        {"d_100": "15", "d_50": "8", "d_20": "", "d_10": "1,2", "explanation": ""},
        **HTMX,
    )
    assert "line-error" in response.content.decode()  # 1,2 is not a whole number: nothing saved
    cash.refresh_from_db()
    assert cash.counted is None
    response = client.post(
        reverse("handovers:line", args=[handover.pk, cash.pk]),
        {"d_100": "15", "d_50": "8", "d_20": "", "d_10": "12", "explanation": ""},
        **HTMX,
    )
    assert f'<strong id="line-{cash.pk}-sum" data-testid="line-sum" hx-swap-oob="true">2020<' in (
        response.content.decode()
    )
    cash.refresh_from_db()
    sim.refresh_from_db()
    assert cash.breakdown == {"100": 15, "50": 8, "10": 12} and cash.counted == 2020
    assert (sim.counted, sim.explanation) == (28, "x")


@pytest.mark.parametrize(
    "data",
    [
        {"counted": "NaN"},
        {"counted": "Infinity"},
        {"counted": "1e400"},
        {"counted": "-1"},
        {"counted": "12345678901234"},
        {"counted": "abc"},
        {"explanation": "说" * 2001},
    ],
)
def test_bad_counts_answer_with_an_error_not_a_500(client_for, clerk, handover, data):
    line = handover.lines.get(item__code="sim")
    response = client_for(clerk).post(reverse("handovers:line", args=[handover.pk, line.pk]), data, **HTMX)
    assert response.status_code == 200 and "line-error" in response.content.decode()
    line.refresh_from_db()
    assert line.counted is None


@pytest.mark.parametrize("quantity", ["x", "-3", "1.5", "99999999999"])
def test_bad_denomination_quantities_answer_with_an_error_not_a_500(client_for, clerk, handover, quantity):
    cash = handover.lines.get(item__code="float")
    response = client_for(clerk).post(
        reverse("handovers:line", args=[handover.pk, cash.pk]), {"d_100": quantity}, **HTMX
    )
    body = response.content.decode()
    assert response.status_code == 200 and "line-error" in body and "¥100" in body
    cash.refresh_from_db()
    assert cash.counted is None


@pytest.mark.parametrize(
    ("item", "data"),
    [
        ("sim", {"counted": "12345678901234567890"}),
        ("sim", {"counted": "1e309"}),
        ("sim", {"counted": "NaN"}),
        ("sim", {"counted": "3", "explanation": "a\x00b"}),
        ("float", {"d_100": "12345678901234567890"}),
        ("float", {"d_100": "-1"}),
    ],
)
def test_huge_counts_and_nul_characters_are_refused_and_nothing_is_saved(
    client_for, clerk, handover, item, data
):
    line = handover.lines.get(item__code=item)
    before = (line.counted, line.breakdown, line.explanation)
    response = client_for(clerk).post(reverse("handovers:line", args=[handover.pk, line.pk]), data, **HTMX)
    assert response.status_code == 200 and "line-error" in response.content.decode()
    line.refresh_from_db()
    assert (line.counted, line.breakdown, line.explanation) == before


def test_sign_and_accept_through_the_browser_views(client, clerk, clerk2, handover, settings):
    count_all(handover, clerk)
    client.force_login(clerk)
    client.post(reverse("handovers:sign", args=[handover.pk]), {"password": settings.DEMO_PASSWORD})
    handover.refresh_from_db()
    assert handover.state == HandoverState.SIGNED
    client.force_login(clerk2)
    client.post(reverse("handovers:accept", args=[handover.pk]), {"password": "wrong"})
    handover.refresh_from_db()
    assert handover.state == HandoverState.SIGNED
    client.post(reverse("handovers:accept", args=[handover.pk]), {"password": settings.DEMO_PASSWORD})
    handover.refresh_from_db()
    assert handover.state == HandoverState.ACCEPTED


def test_double_submitting_the_start_form_makes_one_handover(client_for, clerk, clerk2, desk, items):
    client = client_for(clerk)
    data = {"counter": desk.pk, "incoming": clerk2.pk}
    first = client.post(reverse("handovers:new"), data)
    second = client.post(reverse("handovers:new"), data)
    assert first["Location"] == second["Location"]


def test_handover_list_query_count_is_constant_as_rows_grow(
    client_for, manager, store, items, clerk, clerk2, settings
):
    client = client_for(manager)
    url = reverse("handovers:list")

    def make(n):
        for i in range(n):
            desk = counter(store, code=f"d{Handover_count()}-{i}", name=f"台席{i}")
            services.handover_start(store=store, counter=desk, outgoing=clerk, incoming=clerk2)

    def Handover_count():
        return Handover.objects.count()

    make(2)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    make(8)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.content.decode().count('data-testid="handover-row"') == 10
    assert len(large) == len(small)


def test_handover_sheet_pdf_has_chinese_text_and_font(client_for, clerk, handover, settings):
    count_all(handover, clerk)
    services.handover_sign(
        request=web_request(), handover=handover, user=clerk, password=settings.DEMO_PASSWORD
    )
    response = client_for(clerk).get(reverse("handovers:pdf", args=[handover.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content).replace(" ", "")
    assert "交接班记录" in text and "备用金" in text
    assert_cjk_font_embedded(response.content)


def test_closing_report_pdf_lists_runs_failures_and_differences(
    client_for, manager, clerk, clerk2, store, run, template, handover, settings
):
    checklists.item_answer(run=run, item=item(template, ItemKind.TICK), user=clerk, ok=False, note="发票不足")
    sim = handover.lines.get(item__code="sim")
    count_all(handover, clerk)
    services.handover_line_save(
        line=sim, user=clerk, counted=Decimal(-0) + 2, explanation="多出两张，系上一班漏记入库"
    )
    response = client_for(manager).get(
        reverse("checklists:closing_report"), {"store": store.pk, "date": timezone.localdate().isoformat()}
    )
    assert response.status_code == 200
    text = pdf_text(response.content).replace(" ", "")
    assert "日清日结" in text and "发票不足" in text and "漏记入库" in text
    assert client_for(clerk).get(reverse("checklists:closing_report"), {"store": store.pk}).status_code == 403


def test_after_sales_staff_of_the_store_cannot_open_a_handover_or_its_pdf(client_for, aftersales, handover):
    """The handover list refuses after-sales staff (no handovers.sign), so does every handover view."""
    client = client_for(aftersales)
    assert client.get(reverse("handovers:list")).status_code == 403
    assert client.get(handover.get_absolute_url()).status_code == 403
    assert client.get(reverse("handovers:pdf", args=[handover.pk])).status_code == 403
    for name in ("sign", "accept", "witness", "amend"):
        assert client.post(reverse(f"handovers:{name}", args=[handover.pk]), {}).status_code == 403, name


# ---------------------------------------------------------------- witness, corrections, receipts and issues


@pytest.fixture
def signed(handover, store, clerk, settings):
    """Counted and signed by the outgoing clerk, in a store where a witness signs before acceptance."""
    store.requires_handover_witness = True
    store.save()
    count_all(handover, clerk)
    return services.handover_sign(
        request=web_request(), handover=handover, user=clerk, password=settings.DEMO_PASSWORD
    )


@pytest.fixture
def accepted(signed, manager, clerk2, settings):
    services.handover_witness(
        request=web_request(), handover=signed, witness_id=manager.pk, password=settings.DEMO_PASSWORD
    )
    return services.handover_accept(
        request=web_request(), handover_id=signed.pk, user=clerk2, password=settings.DEMO_PASSWORD
    )


@pytest.fixture
def proposed(accepted, clerk2, settings):
    """A correction of the SIM count, proposed by the incoming clerk."""
    return services.amendment_propose(
        request=web_request(),
        handover=accepted,
        line=accepted.lines.get(item__code="sim"),
        user=clerk2,
        counted=Decimal(1),
        reason="复盘少记一张",
        password=settings.DEMO_PASSWORD,
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_the_witness_signs_through_the_page_and_the_handover_can_then_be_accepted(
    client_for, clerk, manager, signed, settings
):
    response = client_for(clerk).post(
        reverse("handovers:witness", args=[signed.pk]),
        {"witness": manager.pk, "password": settings.DEMO_PASSWORD},
        follow=True,
    )
    signed.refresh_from_db()
    assert signed.witness == manager and signed.witnessed_at is not None
    assert signed.signatures.filter(role="witness", user=manager).exists()
    assert [m.level_tag for m in response.context["messages"]] == ["success"]


def test_after_sales_staff_cannot_witness_and_another_store_does_not_see_the_handover(
    client_for, aftersales, manager2, manager, signed, settings
):
    data = {"witness": manager.pk, "password": settings.DEMO_PASSWORD}
    url = reverse("handovers:witness", args=[signed.pk])
    assert client_for(aftersales).post(url, data).status_code == 403
    assert client_for(manager2).post(url, data).status_code == 404
    signed.refresh_from_db()
    assert signed.witness is None and not signed.signatures.filter(role="witness").exists()


def test_a_clerk_of_the_handover_proposes_a_correction_through_the_page(
    client_for, clerk2, accepted, settings
):
    line = accepted.lines.get(item__code="sim")
    response = client_for(clerk2).post(
        reverse("handovers:amend", args=[accepted.pk]),
        {"line": line.pk, "counted": "1", "reason": "复盘少记一张", "password": settings.DEMO_PASSWORD},
    )
    assert response.status_code == 302 and response["Location"] == accepted.get_absolute_url()
    amendment = accepted.amendments.get()
    assert (amendment.line, amendment.counted, amendment.proposed_by) == (line, 1, clerk2)
    assert amendment.signatures.filter(role="amend_proposer", user=clerk2).exists()
    line.refresh_from_db()
    assert line.counted != 1, "the accepted handover itself never changes"


def test_a_clerk_who_was_not_at_the_handover_cannot_correct_it_nor_can_another_store(
    client_for, store, accepted, manager2, settings
):
    from apps.org.models import RoleTier
    from tests.factories.org import member

    bystander = member(store, RoleTier.CLERK, "bystander")
    data = {
        "line": accepted.lines.get(item__code="sim").pk,
        "counted": "1",
        "reason": "想改",
        "password": settings.DEMO_PASSWORD,
    }
    url = reverse("handovers:amend", args=[accepted.pk])
    response = client_for(bystander).post(url, data)
    assert response.status_code == 200
    assert response.context["amend_form"].non_field_errors()
    assert client_for(manager2).post(url, data).status_code == 404
    assert not accepted.amendments.exists()


def test_a_second_person_confirms_a_correction_through_the_page(client_for, manager, proposed, settings):
    url = reverse("handovers:amendment_confirm", args=[proposed.handover_id, proposed.pk])
    response = client_for(manager).post(url, {"password": settings.DEMO_PASSWORD}, follow=True)
    proposed.refresh_from_db()
    assert (proposed.state, proposed.confirmed_by) == ("confirmed", manager)
    assert proposed.signatures.filter(role="amend_confirmer", user=manager).exists()
    assert response.redirect_chain[-1][0] == proposed.handover.get_absolute_url()


def test_the_proposer_cannot_confirm_their_own_correction_nor_can_another_store(
    client_for, clerk2, manager2, aftersales, proposed, settings
):
    url = reverse("handovers:amendment_confirm", args=[proposed.handover_id, proposed.pk])
    data = {"password": settings.DEMO_PASSWORD}
    response = client_for(clerk2).post(url, data, follow=True)
    assert len(messages_of(response)) == 1
    assert client_for(manager2).post(url, data).status_code == 404
    assert client_for(aftersales).post(url, data).status_code == 403
    proposed.refresh_from_db()
    assert proposed.state == "proposed" and proposed.confirmed_by is None


def test_a_receipt_recorded_on_the_page_is_listed_and_raises_the_next_expected_figure(
    client_for, clerk, desk, items
):
    client = client_for(clerk)
    assert client.get(reverse("handovers:movements")).status_code == 200
    response = client.post(
        reverse("handovers:movements"),
        {"counter": desk.pk, "item": items["sim"].pk, "kind": "receipt", "quantity": "20", "note": "入库"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("handovers:movements")
    recent = client.get(reverse("handovers:movements")).context["recent"]
    assert [(m.item, m.kind, m.quantity, m.recorded_by) for m in recent] == [
        (items["sim"], "receipt", 20, clerk)
    ]
    expected, _previous, _since = services.expected_for(counter=desk, items=[items["sim"]])
    assert expected[items["sim"].pk] == 20


def test_after_sales_staff_cannot_record_stock_and_another_store_cannot_use_this_stores_counter(
    client_for, aftersales, clerk_b, desk, items
):
    data = {"counter": desk.pk, "item": items["sim"].pk, "kind": "receipt", "quantity": "20", "note": "x"}
    assert client_for(aftersales).get(reverse("handovers:movements")).status_code == 403
    assert client_for(aftersales).post(reverse("handovers:movements"), data).status_code == 403
    response = client_for(clerk_b).post(reverse("handovers:movements"), data)
    assert response.status_code == 200 and "counter" in response.context["form"].errors
    assert not desk.movements.exists()
