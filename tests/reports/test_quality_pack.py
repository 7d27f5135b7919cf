"""The service station's monthly quality meeting pack: 准时交车率 by service advisor and by mechanic,
the reasons of late orders, last month's corrective actions with their status (kept by the station
manager), its PDF through a print job, the archive per month and the home-panel link. A business
hall's or a bank's manager has none: 404 and no menu item; a station clerk may not read it."""

from __future__ import annotations

import datetime as dt
from typing import cast

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.org.models import RoleTier, StoreKind
from apps.printing.models import PrintJob
from apps.reports import services
from apps.reports.models import ActionStatus, CorrectiveAction
from apps.tickets.models import Ticket
from tests.factories.customers import customer
from tests.factories.org import StoreFactory, member
from tests.factories.tickets import repair_order
from tests.pdf_checks import pdf_text

pytestmark = pytest.mark.django_db

THIS_MONTH = timezone.localdate().replace(day=1)
LAST_MONTH = (THIS_MONTH - dt.timedelta(days=1)).replace(day=1)


def pack_url(store, month=LAST_MONTH):
    return reverse("reports:quality_month", args=[store.pk, f"{month:%Y-%m}"])


@pytest.fixture
def advisor(store2):
    return member(store2, RoleTier.AFTERSALES, "advisor", display_name="孙顾问")


@pytest.fixture
def mechanic(store2):
    return member(store2, RoleTier.CLERK, "mechanic", display_name="周技师")


def settled_order(store, by, *, advisor, mechanic, on_time, reason="", day=None):
    t = repair_order(store, customer(store), by, assignee=advisor)
    settled = timezone.make_aware(dt.datetime.combine(day or LAST_MONTH + dt.timedelta(days=3), dt.time(15)))
    Ticket.objects.filter(pk=t.pk).update(
        settled_at=settled, on_time=on_time, mechanic=mechanic, late_reason=reason, state="closed"
    )
    return t


def action(store, by, owner, *, month=LAST_MONTH, title="配件提前预订", status=None):
    a = services.action_create(
        by=by, store=store, month=month, title=title, owner=owner, due_on=month + dt.timedelta(days=20)
    )
    if status:
        a = services.action_update(by=by, action=a, status=status, outcome="已完成")
    return a


def test_the_pack_shows_on_time_delivery_by_advisor_and_mechanic_and_the_late_reasons(
    client_for, store2, manager2, advisor, mechanic
):
    settled_order(store2, manager2, advisor=advisor, mechanic=mechanic, on_time=True)
    settled_order(store2, manager2, advisor=advisor, mechanic=mechanic, on_time=False, reason="等待配件")
    settled_order(store2, manager2, advisor=advisor, mechanic=None, on_time=False)
    settled_order(
        store2, manager2, advisor=advisor, mechanic=mechanic, on_time=False, day=THIS_MONTH
    )  # not this pack
    page = client_for(manager2).get(pack_url(store2))
    assert page.status_code == 200
    sections = {s.key: s for s in page.context["sections"]}
    assert sections["quality_advisor"].rows == [["孙顾问", "3", "1", "33.3%"]]
    mech = {r[0]: r[1:] for r in sections["quality_mechanic"].rows}
    assert mech["周技师"] == ["2", "1", "50.0%"] and mech[str(_not_recorded())] == ["1", "0", "0.0%"]
    reasons = {str(f.label): f.value for f in sections["quality_late_reasons"].figures}
    assert reasons["等待配件"] == 1 and reasons[str(_not_recorded())] == 1


def _not_recorded():
    from django.utils.translation import gettext

    return gettext("Not recorded")


def test_last_months_actions_and_their_status_are_on_this_months_pack(client_for, store2, manager2, advisor):
    action(store2, manager2, advisor, title="增项当场确认", status=ActionStatus.DONE)
    action(store2, manager2, advisor, title="周末加排技师")
    page = client_for(manager2).get(pack_url(store2, THIS_MONTH))
    last = page.context["last_month_actions"]
    assert [(a.title, a.status) for a in last] == [("增项当场确认", "done"), ("周末加排技师", "open")]
    assert 'data-testid="action-status-form"' in page.content.decode()


def test_the_station_manager_adds_an_action_and_closes_it_only_with_an_outcome(
    client_for, store2, manager2, advisor
):
    client = client_for(manager2)
    response = client.post(
        pack_url(store2, THIS_MONTH),
        {
            "title": "交车前电话确认",
            "cause": "增项未确认",
            "owner": advisor.pk,
            "due_on": THIS_MONTH + dt.timedelta(days=10),
        },
    )
    assert response.status_code == 302
    a = CorrectiveAction.objects.get()
    assert (a.owner, a.month, a.created_by) == (advisor, THIS_MONTH, manager2)
    status_url = reverse("reports:action_status", args=[a.pk])
    client.post(status_url, {"status": "done", "outcome": "", "back": f"{THIS_MONTH:%Y-%m}"})
    a.refresh_from_db()
    assert a.status == ActionStatus.OPEN
    response = client.post(status_url, {"status": "done", "outcome": "已执行", "back": "../../evil"})
    assert response.url == pack_url(store2, THIS_MONTH)
    a.refresh_from_db()
    assert a.status == ActionStatus.DONE and a.closed_at is not None


def test_an_owner_from_another_store_is_refused(store, store2, manager2, clerk):
    with pytest.raises(ValidationError):
        action(store2, manager2, clerk)


def test_a_hall_or_bank_manager_has_no_quality_pack_and_no_menu_item(
    client_for, store, store2, manager, organisation
):
    bank = StoreFactory(organisation=organisation, code="bank", kind=StoreKind.BANK_BRANCH)
    bank_manager = member(bank, RoleTier.MANAGER, "bank_manager")
    for person, own in ((manager, store), (bank_manager, bank)):
        client = client_for(person)
        assert client.get(reverse("reports:quality")).status_code == 404
        assert client.get(pack_url(own)).status_code == 404
        assert client.get(pack_url(store2)).status_code == 404
        assert (
            client.post(reverse("reports:quality_pdf", args=[store2.pk, f"{LAST_MONTH:%Y-%m}"])).status_code
            == 404
        )
        home = client.get("/").content.decode()
        assert reverse("reports:quality") not in home and 'data-testid="quality-panel"' not in home
    assert not PrintJob.objects.exists()


def test_a_station_clerk_may_neither_read_nor_change_the_pack(client_for, store2, manager2, clerk_b, advisor):
    a = action(store2, manager2, advisor)
    client = client_for(clerk_b)
    assert client.get(pack_url(store2)).status_code == 403
    assert (
        client.post(
            reverse("reports:action_status", args=[a.pk]), {"status": "dropped", "outcome": "x"}
        ).status_code
        == 403
    )
    a.refresh_from_db()
    assert a.status == ActionStatus.OPEN


def test_another_stations_manager_cannot_touch_this_stations_actions(
    client_for, organisation, store2, manager2, advisor
):
    other = StoreFactory(organisation=organisation, code="station-2", kind=StoreKind.SERVICE_STATION)
    other_manager = member(other, RoleTier.MANAGER, "manager_s2")
    a = action(store2, manager2, advisor)
    client = client_for(other_manager)
    assert client.get(pack_url(store2)).status_code == 404
    assert (
        client.post(
            reverse("reports:action_status", args=[a.pk]), {"status": "dropped", "outcome": "x"}
        ).status_code
        == 404
    )


def test_the_station_manager_sees_the_menu_item_and_the_home_panel_link(client_for, store2, manager2):
    home = client_for(manager2).get("/").content.decode()
    assert f'href="{reverse("reports:quality")}"' in home
    assert f'href="{pack_url(store2)}"' in home


def test_bad_months_answer_404(client_for, store2, manager2):
    client = client_for(manager2)
    for month in ("2026-13", "26-01", "9999-01", "abcd-ef"):
        assert client.get(reverse("reports:quality_month", args=[store2.pk, month])).status_code == 404


def test_the_pack_is_printed_by_a_print_job(
    client_for, store2, manager2, advisor, django_capture_on_commit_callbacks
):
    action(store2, manager2, advisor, title="配件提前预订", status=ActionStatus.DONE)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(manager2).post(
            reverse("reports:quality_pdf", args=[store2.pk, f"{THIS_MONTH:%Y-%m}"])
        )
    job = PrintJob.objects.get()
    assert response.url == job.get_absolute_url()
    job.refresh_from_db()
    assert job.state == PrintJob.State.DONE
    text = pdf_text(cast(bytes, job.pdf)).replace(" ", "")
    assert "配件提前预订" in text and store2.name in text


def _queries(client, path) -> int:
    client.get(path)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_the_pack_and_the_archive_cost_the_same_queries_for_more_actions_and_orders(
    client_for, store2, manager2, advisor, mechanic
):
    client = client_for(manager2)
    action(store2, manager2, advisor)
    settled_order(store2, manager2, advisor=advisor, mechanic=mechanic, on_time=False, reason="等待配件")
    few = (_queries(client, pack_url(store2, THIS_MONTH)), _queries(client, reverse("reports:quality")))
    for i in range(6):
        action(store2, manager2, advisor, title=f"措施{i}", status=ActionStatus.DONE if i % 2 else None)
        action(store2, manager2, advisor, month=THIS_MONTH, title=f"本月措施{i}")
        settled_order(store2, manager2, advisor=advisor, mechanic=mechanic, on_time=False, reason=f"原因{i}")
    many = (_queries(client, pack_url(store2, THIS_MONTH)), _queries(client, reverse("reports:quality")))
    assert many == few
