"""What each resource does for the people who may use it, by the pages' rules (the refusals of every
role are walked in tests/walks/test_api.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from apps.checklists import services as checklist_services
from apps.customers.models import Customer, PiiAccessLog
from apps.followups.models import FollowUp
from apps.followups.seeds import rules_seed
from apps.tickets.models import Ticket
from tests.factories.checklists import opening_template
from tests.factories.customers import customer
from tests.factories.followups import make_followup
from tests.factories.tickets import complaint

JSON = "application/json"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()


def post(client, url, data, **extra):
    return client.post(url, data, content_type=JSON, **extra)


def patch(client, url, data):
    return client.patch(url, data, content_type=JSON)


# --- tickets --------------------------------------------------------------------------------------


def test_the_ticket_list_takes_the_pages_filters_and_refuses_a_bad_one(client_for, clerk, store):
    c = customer(store)
    complaint(store, c, clerk, title="排队太久")
    post(client_for(clerk), "/api/tickets/", {"customer": c.pk, "kind": "inquiry", "title": "咨询"})
    client = client_for(clerk)
    kinds = [t["kind"] for t in client.get("/api/tickets/", {"kind": "complaint"}).json()["results"]]
    assert kinds == ["complaint"]
    found = client.get("/api/tickets/", {"q": "排队"}).json()["results"]
    assert [t["title"] for t in found] == ["排队太久"]
    bad = client.get("/api/tickets/", {"kind": "nonsense"})
    assert bad.status_code == 400 and "kind" in bad.json()["errors"]


def test_a_ticket_moves_only_along_its_state_machine(client_for, clerk, store):
    ticket = complaint(store, customer(store), clerk)
    client = client_for(clerk)
    detail = client.get(f"/api/tickets/{ticket.pk}/").json()
    assert set(detail["transitions"]) == {"in_progress", "resolved"}
    moved = post(client, f"/api/tickets/{ticket.pk}/transition/", {"to": "in_progress", "note": "处理中"})
    assert moved.status_code == 200 and moved.json()["state"] == "in_progress"
    refused = post(client, f"/api/tickets/{ticket.pk}/transition/", {"to": "new"}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    assert "cannot go from" in refused.json()["detail"]
    ticket.refresh_from_db()
    assert ticket.state == Ticket.State.IN_PROGRESS


def test_comments_are_added_and_listed(client_for, clerk, store):
    ticket = complaint(store, customer(store), clerk)
    client = client_for(clerk)
    added = post(client, f"/api/tickets/{ticket.pk}/comments/", {"text": "已致电客户"})
    assert added.status_code == 201
    assert [c["text"] for c in client.get(f"/api/tickets/{ticket.pk}/comments/").json()] == ["已致电客户"]
    assert post(client, f"/api/tickets/{ticket.pk}/comments/", {"text": "  "}).status_code == 400


def test_a_ticket_for_another_stores_customer_is_a_404(client_for, clerk, store2):
    foreign = customer(store2)
    response = post(
        client_for(clerk), "/api/tickets/", {"customer": foreign.pk, "kind": "inquiry", "title": "x"}
    )
    assert response.status_code == 404
    assert not Ticket.objects.exists()


def test_the_ticket_list_reads_a_constant_number_of_queries(
    client_for, clerk, store, django_assert_num_queries
):
    client = client_for(clerk)
    c = customer(store)
    complaint(store, c, clerk)
    client.get("/api/tickets/")  # session and caches warmed
    import contextlib

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/api/tickets/")
    for _ in range(5):
        complaint(store, customer(store), clerk)
    with contextlib.nullcontext(), django_assert_num_queries(len(few.captured_queries)):
        assert len(client.get("/api/tickets/").json()["results"]) == 6


# --- customers ------------------------------------------------------------------------------------


def test_a_customer_file_is_created_with_the_pages_rules_and_shown_masked(client_for, clerk, store):
    client = client_for(clerk)
    company = {
        "store": store.pk,
        "kind": "company",
        "name": "滨江物流",
        "phones": [{"number": "13800138000"}],
    }
    refused = post(client, "/api/customers/", company, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    assert refused.json()["errors"]["contact_person"] == ["A company needs a contact person."]
    no_phone = post(
        client, "/api/customers/", {**company, "contact_person": "李经理", "phones": [{"number": " "}]}
    )
    assert no_phone.status_code == 400
    made = post(
        client, "/api/customers/", {**company, "contact_person": "李经理", "id_number": "11010519491231002X"}
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["phones"][0]["number"] == "138****8000"
    assert body["id_number"] == "110***********002X"
    assert Customer.objects.get(pk=body["id"]).id_number == "11010519491231002X"


def test_a_change_keeps_the_saved_phone_and_id_number_sent_back_masked(client_for, clerk, store):
    c = customer(store, phone="13800138000", id_number="11010519491231002X")
    client = client_for(clerk)
    response = patch(
        client, f"/api/customers/{c.pk}/", {"name": "刘先生", "phones": [{"number": "138****8000"}]}
    )
    assert response.status_code == 200, response.content
    c.refresh_from_db()
    assert c.name == "刘先生"
    assert c.id_number == "11010519491231002X"
    assert [p.number for p in c.phones.all()] == ["+8613800138000"]
    assert patch(client, f"/api/customers/{c.pk}/", {"id_number": "110***"}).status_code == 400


def test_a_customer_of_another_store_is_neither_read_nor_changed(client_for, clerk, store2):
    c = customer(store2)
    client = client_for(clerk)
    assert client.get(f"/api/customers/{c.pk}/").status_code == 404
    assert patch(client, f"/api/customers/{c.pk}/", {"name": "x"}).status_code == 404


def test_only_roles_that_see_personal_data_reveal_and_each_reveal_is_logged(
    client_for, clerk, aftersales, store
):
    c = customer(store, phone="13800138000")
    refused = post(client_for(clerk), f"/api/customers/{c.pk}/reveal/", {"field": "phone"})
    assert refused.status_code == 403
    assert not PiiAccessLog.objects.exists()
    shown = post(client_for(aftersales), f"/api/customers/{c.pk}/reveal/", {"field": "phone"})
    assert shown.json() == {"value": "+8613800138000"}
    assert PiiAccessLog.objects.filter(user=aftersales, customer=c, field="phone").count() == 1


def test_the_customer_list_reads_a_constant_number_of_queries(
    client_for, clerk, store, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(clerk)
    customer(store)
    client.get("/api/customers/")
    with CaptureQueriesContext(connection) as few:
        client.get("/api/customers/")
    for _ in range(5):
        customer(store)
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(client.get("/api/customers/").json()["results"]) == 6


# --- follow-ups and checklists --------------------------------------------------------------------


@pytest.fixture
def followup(organisation, store, aftersales):
    rules = rules_seed(organisation)
    c = customer(store, owner=aftersales)
    return make_followup(
        rules["first-call-pickup"], c, trigger_date=timezone.localdate() - dt.timedelta(days=4)
    )


def test_a_call_is_logged_with_its_outcome_and_survey(client_for, aftersales, followup):
    client = client_for(aftersales)
    queue = client.get("/api/followups/").json()["results"]
    assert [f["id"] for f in queue] == [followup.pk]
    questions = client.get(f"/api/followups/{followup.pk}/").json()["survey_questions"]
    no_score = post(client, f"/api/followups/{followup.pk}/calls/", {"result": "reached"})
    assert no_score.status_code == 400 and "satisfaction" in no_score.json()["errors"]
    answers = [("5" if q["kind"] == "score" else "yes") if i == 0 else "" for i, q in enumerate(questions)]
    logged = post(
        client,
        f"/api/followups/{followup.pk}/calls/",
        {"result": "reached", "satisfaction": 5, "outcome": "客户满意", "survey": answers},
    )
    assert logged.status_code == 201, logged.content
    followup.refresh_from_db()
    assert followup.state == FollowUp.State.DONE
    attempt = followup.attempts_log.get()
    assert attempt.satisfaction == 5
    if questions:
        assert attempt.survey == {questions[0]["text"]: 5 if questions[0]["kind"] == "score" else "yes"}


def test_a_clerk_logs_no_call(client_for, clerk, followup):
    response = post(client_for(clerk), f"/api/followups/{followup.pk}/calls/", {"result": "no_answer"})
    assert response.status_code in (403, 404)
    followup.refresh_from_db()
    assert followup.attempts == 0


@pytest.fixture
def run(store, clerk):
    template = opening_template(store, holders=[clerk], name="营业员班前准备")
    now = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(8, 10)))
    checklist_services.runs_create_due(now=now)
    return template.runs.get(assignee=clerk)


def test_todays_runs_and_an_answer_by_the_assignee_only(client_for, clerk, manager, run):
    client = client_for(clerk)
    assert [r["id"] for r in client.get("/api/checklists/").json()] == [run.pk]
    items = client.get(f"/api/checklists/{run.pk}/").json()["items"]
    tick = next(i for i in items if i["kind"] == "tick")
    url = f"/api/checklists/{run.pk}/items/{tick['id']}/answer/"
    other = Client()
    other.force_login(manager)
    assert post(other, url, {"outcome": "ok"}).status_code == 403
    failed = post(client, url, {"outcome": "fail"})
    assert failed.status_code == 400, "a failed item needs a note"
    answered = post(client, url, {"outcome": "ok"})
    assert answered.status_code == 200, answered.content
    assert answered.json()["result"]["ok"] is True
    run.refresh_from_db()
    assert run.answered_count == 1


# --- read-only resources --------------------------------------------------------------------------


def test_kpis_are_for_those_who_see_targets(client_for, manager, clerk, store, store2):
    rows = client_for(manager).get("/api/kpis/", {"month": "2026-11"}).json()
    assert rows and {"key", "name", "value", "target"} <= set(rows[0])
    assert client_for(manager).get("/api/kpis/", {"store": store2.pk}).status_code == 404
    assert client_for(manager).get("/api/kpis/", {"month": "2026-13"}).status_code == 400
    assert client_for(clerk).get("/api/kpis/").status_code == 403
