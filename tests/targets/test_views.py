"""Who sees what: plans, letters, KPIs, the dashboard and pay sheets; forbidden paths; query counts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from apps.org.models import Department
from apps.targets import services
from apps.targets.models import PaySheet, TargetPlan
from tests.factories.org import member
from tests.factories.targets import at, hold, position, scheme, ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(admin, organisation, store, manager):
    dept = Department.objects.create(organisation=organisation, store=store, name="营业部", code="hall-ops")
    return services.plan_create(by=admin, department=dept, store=store, year=2026, responsible=manager)


@pytest.fixture
def plan2(admin, organisation, store2, manager2):
    dept = Department.objects.create(
        organisation=organisation, store=store2, name="售后服务部", code="aftersales"
    )
    return services.plan_create(by=admin, department=dept, store=store2, year=2026, responsible=manager2)


@pytest.fixture
def sheets(organisation, store, store2, manager, manager2, clerk, clerk_b):
    pos = position(organisation, "营业员")
    s1, s2 = scheme(pos, store), scheme(pos, store2)
    march = dt.date(2026, 3, 1)
    return {
        "clerk": services.pay_sheet_compute(by=None, scheme=s1, user=clerk, month=march),
        "manager": services.pay_sheet_compute(by=None, scheme=s1, user=manager, month=march),
        "clerk_b": services.pay_sheet_compute(by=None, scheme=s2, user=clerk_b, month=march),
    }


def test_pages_answer_for_a_manager(client_for, manager, plan, sheets):
    client = client_for(manager)
    for name in [
        "targets:list",
        "targets:letters",
        "targets:kpis",
        "targets:dashboard",
        "targets:pay",
        "targets:letter_create",
        "targets:manual_kpi",
    ]:
        assert client.get(reverse(name)).status_code == 200, name
    assert client.get(reverse("targets:plan", args=[plan.pk])).status_code == 200
    assert client.get(reverse("targets:kpi", args=["tickets.on_time_rate"])).status_code == 200
    assert client.get(reverse("targets:kpi", args=["nope"])).status_code == 404


def test_another_stores_plan_answers_404(client_for, manager, plan2):
    client = client_for(manager)
    assert client.get(reverse("targets:plan", args=[plan2.pk])).status_code == 404
    assert client.get(reverse("targets:plan_pdf", args=[plan2.pk])).status_code == 404
    assert client.post(reverse("targets:plan_transition", args=[plan2.pk, "approve"])).status_code == 404


def test_a_clerk_may_not_see_targets_or_create_plans(client_for, clerk, manager, plan):
    client = client_for(clerk)
    assert client.get(reverse("targets:list")).status_code == 403
    assert client.get(reverse("targets:dashboard")).status_code == 403
    assert client.get(reverse("targets:kpis")).status_code == 403
    assert client.get(reverse("targets:plan", args=[plan.pk])).status_code in (403, 404)
    assert client_for(manager).get(reverse("targets:plan_create")).status_code == 403


def test_admin_creates_a_plan_and_bad_input_keeps_what_was_typed(client_for, admin, plan, store, manager):
    client = client_for(admin)
    response = client.post(
        reverse("targets:plan_create"),
        {
            "department": plan.department_id,
            "store": store.pk,
            "year": "1800",
            "responsible": manager.pk,
            "direction": "保留这段文字",
        },
    )
    assert response.status_code == 200 and "保留这段文字" in response.content.decode()
    response = client.post(
        reverse("targets:plan_create"),
        {
            "department": plan.department_id,
            "store": store.pk,
            "year": "2027",
            "responsible": manager.pk,
        },
    )
    assert response.status_code == 302
    assert TargetPlan.objects.filter(year=2027).exists()


def test_the_admin_approves_the_managers_plan_through_the_page(client_for, admin, manager, plan):
    services.plan_submit(by=admin, plan=plan)
    response = client_for(admin).post(reverse("targets:plan_transition", args=[plan.pk, "approve"]))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.state == TargetPlan.State.APPROVED
    # an approved plan's edit page refuses
    response = client_for(admin).get(reverse("targets:plan_edit", args=[plan.pk]))
    assert response.status_code == 302


def test_a_manager_sees_their_stores_pay_sheets_only(client_for, manager, sheets):
    client = client_for(manager)
    body = client.get(reverse("targets:pay")).content.decode()
    assert str(sheets["clerk"].user) in body and "孙丽" not in body
    assert client.get(reverse("targets:pay_sheet", args=[sheets["clerk"].pk])).status_code == 200
    assert client.get(reverse("targets:pay_sheet", args=[sheets["clerk_b"].pk])).status_code == 404


def test_a_clerk_sees_only_their_own_pay_sheet(client_for, clerk, sheets):
    client = client_for(clerk)
    assert client.get(reverse("targets:pay_sheet", args=[sheets["clerk"].pk])).status_code == 200
    assert client.get(reverse("targets:pay_sheet", args=[sheets["manager"].pk])).status_code == 404
    assert client.get(reverse("targets:pay_sheet", args=[sheets["clerk_b"].pk])).status_code == 404
    page = client.get(reverse("targets:pay"))
    assert list(page.context["page"]) == [sheets["clerk"]]
    # ...and may not change it
    assert client.post(reverse("targets:pay_lock", args=[sheets["clerk"].pk])).status_code == 403
    assert (
        client.post(reverse("targets:pay_sheet", args=[sheets["clerk"].pk]), {"incentives": "9"}).status_code
        == 403
    )
    home = client.get(reverse("home")).content.decode()
    assert reverse("targets:pay_sheet", args=[sheets["clerk"].pk]) in home


def test_the_manager_reviews_and_locks_a_pay_sheet(client_for, manager, sheets):
    client = client_for(manager)
    sheet = sheets["clerk"]
    response = client.post(
        reverse("targets:pay_sheet", args=[sheet.pk]), {"score": "100", "incentives": "200"}
    )
    assert response.status_code == 302
    client.post(reverse("targets:pay_lock", args=[sheet.pk]))
    sheet.refresh_from_db()
    assert sheet.state == PaySheet.State.LOCKED and sheet.amount == Decimal("3000.00")


def test_excel_export_has_chinese_headers_and_quotes_formulas(client_for, manager, sheets):
    from io import BytesIO

    from openpyxl import load_workbook

    PaySheet.objects.filter(pk=sheets["clerk"].pk).update(note='=HYPERLINK("http://x")')
    response = client_for(manager).get(reverse("targets:pay_export"))
    ws = load_workbook(BytesIO(response.content)).active
    headers = [c.value for c in ws[1]]
    assert "应发工资" in headers or "Pay" in headers
    notes = [row[-1].value for row in ws.iter_rows(min_row=2)]
    assert '\'=HYPERLINK("http://x")' in notes


def test_kpis_of_another_store_answer_404(client_for, manager, store2):
    client = client_for(manager)
    assert client.get(reverse("targets:kpis"), {"store": store2.pk}).status_code == 404
    assert (
        client.get(reverse("targets:kpi", args=["tickets.on_time_rate"]), {"store": store2.pk}).status_code
        == 404
    )


def test_the_drill_down_lists_the_records_behind_the_value(client_for, manager, store, clerk):
    ticket(store, settled=at(2026, 3, 2), on_time=True, amount=100, assignee=clerk)
    ticket(store, settled=at(2026, 3, 3), on_time=False, amount=100, assignee=clerk)
    response = client_for(manager).get(
        reverse("targets:kpi", args=["tickets.on_time_rate"]), {"month": "2026-03"}
    )
    assert response.context["display"] == "50.0%"
    assert len(response.context["rows"]) == 2


def test_a_letter_is_signed_in_the_app_with_the_password(client_for, organisation, manager, clerk, store):
    pos = position(organisation, "服务顾问", kpis=[("准时交车率", "96", "%")])
    hold(pos, clerk, store)
    client = client_for(manager)
    response = client.post(
        reverse("targets:letter_create"),
        {
            "store": store.pk,
            "position": pos.pk,
            "holder": clerk.pk,
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
        },
    )
    assert response.status_code == 302
    letter = clerk.target_letters.get()
    client = client_for(clerk)
    client.post(reverse("targets:letter_sign", args=[letter.pk]), {"password": "wrong"})
    letter.refresh_from_db()
    assert letter.holder_signed_at is None
    client.post(reverse("targets:letter_sign", args=[letter.pk]), {"password": settings.DEMO_PASSWORD})
    letter.refresh_from_db()
    assert letter.holder_signed_at is not None


def test_the_dashboard_is_on_the_managers_home_page(client_for, manager, store, clerk):
    ticket(store, settled=at(2026, 3, 2), on_time=True, amount=100, assignee=clerk)
    services.snapshot_refresh_due()
    body = client_for(manager).get(reverse("home")).content.decode()
    assert 'data-testid="targets-dashboard"' in body
    assert "echarts.min.js" in body


def test_the_dashboard_reads_the_same_number_of_queries_for_one_or_many_stores(
    client_for, organisation, store, django_assert_max_num_queries
):
    from apps.org.models import RoleTier
    from tests.factories.org import StoreFactory

    boss = member(store, RoleTier.MANAGER, "boss")
    client = client_for(boss)
    client.get(reverse("targets:dashboard"))  # warm up
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(reverse("targets:dashboard"))
    for i in range(5):
        extra = StoreFactory(organisation=organisation, code=f"s{i}")
        from apps.org.models import Membership

        Membership.objects.create(user=boss, store=extra, tier=RoleTier.MANAGER)
        ticket(extra, settled=at(2026, 3, 2), on_time=True, amount=100)
    services.snapshot_refresh_due()
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("targets:dashboard"))
    assert len(many) == len(one)


def test_list_pages_keep_their_query_count_as_rows_grow(
    client_for, admin, manager, plan, organisation, store
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(manager)
    counts = []
    for extra in (0, 5):
        for y in range(extra):
            services.plan_create(
                by=admin, department=plan.department, store=store, year=2030 + y, responsible=manager
            )
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("targets:list"))
        counts.append(len(ctx))
    assert counts[0] == counts[1]


def test_five_wrong_letter_signing_passwords_lock_the_signer_out_of_sign_in(
    client, client_for, organisation, manager, clerk, store
):
    """The letter's password goes through the sign-in lockout, with the one answer for every cause."""
    from django.test import Client

    from apps.org.passwords import PASSWORD_REFUSED

    pos = position(organisation, "服务顾问", kpis=[("准时交车率", "96", "%")])
    hold(pos, clerk, store)
    letter = services.letter_create(
        by=manager,
        position=pos,
        holder=clerk,
        store=store,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
    )
    signer = client_for(clerk)
    url = reverse("targets:letter_sign", args=[letter.pk])
    for _ in range(5):
        response = signer.post(url, {"password": "wrong"}, REMOTE_ADDR="10.4.4.4", follow=True)
        assert response.status_code == 200
        assert [str(m) for m in response.context["messages"]] == [str(PASSWORD_REFUSED)]
    response = signer.post(url, {"password": settings.DEMO_PASSWORD}, REMOTE_ADDR="10.4.4.5", follow=True)
    assert [str(m) for m in response.context["messages"]] == [str(PASSWORD_REFUSED)]
    letter.refresh_from_db()
    assert letter.holder_signed_at is None
    answer = Client().post(reverse("login"), {"username": "clerk", "password": settings.DEMO_PASSWORD})
    assert answer.status_code == 429


def test_the_owner_of_an_action_step_finds_the_plan_in_the_list_and_nobody_else_without_targets_does(
    client_for, clerk, aftersales, plan
):
    """The plan list and each plan answer to one rule: targets.view in the plan's store, or owning
    one of its action steps."""
    from apps.targets.models import ActionStep

    ActionStep.objects.create(plan=plan, quarter=1, text="建立服务热线", owner=clerk)
    owner = client_for(clerk)
    listing = owner.get(reverse("targets:list"))
    assert listing.status_code == 200 and plan.get_absolute_url() in listing.content.decode()
    assert owner.get(plan.get_absolute_url()).status_code == 200
    assert owner.get(reverse("targets:plan_pdf", args=[plan.pk])).status_code == 403
    other = client_for(aftersales)
    assert other.get(reverse("targets:list")).status_code == 403
    assert other.get(plan.get_absolute_url()).status_code in (403, 404)
