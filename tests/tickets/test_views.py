import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.tickets.models import Ticket
from apps.tickets.services import ticket_settle
from tests.factories import customers as cf
from tests.factories.tickets import complaint, repair_order
from tests.pdf_checks import assert_cjk_font_embedded, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def own(store, clerk):
    c = cf.customer(store, name="本店客户", owner=clerk)
    t = repair_order(store, c, clerk, title="本店委托")
    return ticket_settle(ticket=t, amount=1234, by=clerk)


@pytest.fixture
def other(store2, manager2):
    c = cf.customer(store2, name="外店客户", owner=manager2)
    t = repair_order(store2, c, manager2, title="外店委托")
    return ticket_settle(ticket=t, amount=999, by=manager2)


def test_another_stores_ticket_answers_404_in_both_directions_including_pdfs(
    client_for, clerk, manager2, own, other
):
    for user, foreign in [(clerk, other), (manager2, own)]:
        client = client_for(user)
        for suffix in ["", "order.pdf", "settlement.pdf"]:
            assert client.get(f"/tickets/{foreign.pk}/{suffix}").status_code == 404
        assert client.post(f"/tickets/{foreign.pk}/do/comment/", {"text": "x"}).status_code == 404
        assert client.get(f"/tickets/new/?customer={foreign.customer_id}").status_code == 404


def test_the_tickets_list_and_export_hold_only_the_users_stores(client_for, clerk, own, other):
    from openpyxl import load_workbook

    client = client_for(clerk)
    html = client.get("/tickets/").content.decode()
    assert "本店委托" in html and "外店委托" not in html
    ws = load_workbook(io.BytesIO(client.get("/tickets/export.xlsx").content)).active
    titles = [r[2] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert titles == ["本店委托"]


def test_the_repair_order_and_settlement_print_with_the_cjk_font(client_for, clerk, own):
    client = client_for(clerk)
    order = client.get(f"/tickets/{own.pk}/order.pdf")
    assert order["Content-Type"] == "application/pdf"
    assert "委托书" in pdf_text(order.content).replace(" ", "")
    assert_cjk_font_embedded(order.content)
    settlement = client.get(f"/tickets/{own.pk}/settlement.pdf")
    text = pdf_text(settlement.content).replace(" ", "")
    assert "结算单" in text and "1234" in text


def test_an_unsettled_ticket_has_no_settlement_print(client_for, clerk, store):
    t = complaint(store, cf.customer(store), clerk)
    assert client_for(clerk).get(f"/tickets/{t.pk}/settlement.pdf").status_code == 403


def test_a_clerk_opens_a_complaint_from_the_customer_file(client_for, clerk, store):
    c = cf.customer(store)
    client = client_for(clerk)
    assert client.get(f"/tickets/new/?customer={c.pk}").status_code == 200
    response = client.post(
        "/tickets/new/",
        {
            "customer": c.pk,
            "kind": "complaint",
            "title": "服务态度",
            "priority": "normal",
            "assignee": clerk.pk,
        },
    )
    t = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/tickets/{t.pk}/"
    assert t.answer_due_at is not None


def test_a_repair_order_needs_a_promise(client_for, clerk, store):
    c = cf.customer(store)
    response = client_for(clerk).post(
        "/tickets/new/", {"customer": c.pk, "kind": "repair_order", "title": "保养", "priority": "normal"}
    )
    assert response.status_code == 200 and not Ticket.objects.exists()


def test_an_invalid_transition_is_a_message_not_an_error(client_for, clerk, store):
    t = complaint(store, cf.customer(store), clerk)
    response = client_for(clerk).post(f"/tickets/{t.pk}/do/transition/", {"to": "closed"}, follow=True)
    assert response.status_code == 200
    assert list(response.context["messages"])[0].level_tag == "error"
    t.refresh_from_db()
    assert t.state == "new"


def test_only_managers_assign(client_for, clerk, manager, aftersales, store):
    t = complaint(store, cf.customer(store), clerk)
    assert (
        client_for(clerk).post(f"/tickets/{t.pk}/do/assign/", {"assignee": aftersales.pk}).status_code == 403
    )
    client_for(manager).post(f"/tickets/{t.pk}/do/assign/", {"assignee": aftersales.pk})
    t.refresh_from_db()
    assert t.assignee == aftersales


def test_an_unknown_action_is_404(client_for, clerk, store):
    t = complaint(store, cf.customer(store), clerk)
    assert client_for(clerk).post(f"/tickets/{t.pk}/do/explode/").status_code == 404


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_tickets_list_query_count_does_not_grow_with_rows(client_for, clerk, store):
    client = client_for(clerk)
    c = cf.customer(store)
    for _ in range(3):
        complaint(store, c, clerk)
    small = count_queries(client, "/tickets/?o=-created&state=new")
    for _ in range(15):
        repair_order(store, cf.customer(store), clerk)
        complaint(store, c, clerk)
    assert count_queries(client, "/tickets/?o=-created&state=new") == small


def test_the_customer_page_query_count_does_not_grow_with_its_history(client_for, clerk, store):
    client = client_for(clerk)
    c = cf.customer(store)
    v = cf.vehicle(c)
    cf.visit(c, asset=v)
    complaint(store, c, clerk)
    small = count_queries(client, f"/customers/{c.pk}/")
    for _ in range(8):
        cf.visit(c, asset=cf.vehicle(c))
        complaint(store, c, clerk)
    assert count_queries(client, f"/customers/{c.pk}/") == small
