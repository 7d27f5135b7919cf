"""The targets pages that act or print: a step's status, the year book, a letter's KPI targets,
computing the month's pay sheets and a pay sheet's PDF; each with the role and the other store that
may not."""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from apps.org.models import Department
from apps.printing.models import PrintJob
from apps.targets import services
from apps.targets.models import ActionStep, LetterKpi, PaySheet, StepStatus
from tests.factories.org import web_request
from tests.factories.targets import hold, position, scheme
from tests.pdf_checks import assert_cjk_font_embedded, pdf_text

pytestmark = pytest.mark.django_db
MARCH = dt.date(2026, 3, 1)


def plan_for(store, responsible, admin, code):
    dept = Department.objects.create(
        organisation=store.organisation, store=store, name=f"部门{code}", code=code
    )
    return services.plan_create(by=admin, department=dept, store=store, year=2026, responsible=responsible)


@pytest.fixture
def plan(admin, store, manager):
    return plan_for(store, manager, admin, "hall")


@pytest.fixture
def plan2(admin, store2, manager2):
    return plan_for(store2, manager2, admin, "station")


@pytest.fixture
def step(plan, clerk):
    return ActionStep.objects.create(plan=plan, quarter=1, text="建立服务热线", owner=clerk)


# ---- step status ---------------------------------------------------------------------------


def test_the_owner_of_a_step_moves_it_along_from_the_plan(client_for, clerk, step, plan):
    response = client_for(clerk).post(
        reverse("targets:step_status", args=[step.pk]), {"status": StepStatus.DONE}
    )
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    step.refresh_from_db()
    assert step.status == StepStatus.DONE and step.status_changed_at is not None


def test_an_unknown_step_status_changes_nothing(client_for, clerk, step):
    response = client_for(clerk).post(reverse("targets:step_status", args=[step.pk]), {"status": "hacked"})
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.status == StepStatus.PLANNED


def test_nobody_else_without_approval_moves_a_step_and_another_store_cannot_see_it(
    client_for, clerk2_of, aftersales, manager2, plan, step
):
    """A colleague who owns another step of the plan sees it but may not move this one; someone
    with no step and no targets access, and the other store's manager, are told it does not exist."""
    ActionStep.objects.create(plan=plan, quarter=2, text="另一项", owner=clerk2_of)
    url = reverse("targets:step_status", args=[step.pk])
    assert client_for(clerk2_of).post(url, {"status": StepStatus.DONE}).status_code == 403
    assert client_for(aftersales).post(url, {"status": StepStatus.DONE}).status_code == 404
    assert client_for(manager2).post(url, {"status": StepStatus.DONE}).status_code == 404
    step.refresh_from_db()
    assert step.status == StepStatus.PLANNED


@pytest.fixture
def clerk2_of(store):
    from apps.org.models import RoleTier
    from tests.factories.org import member

    return member(store, RoleTier.CLERK, "clerk2")


# ---- year book -----------------------------------------------------------------------------


def test_the_year_book_is_queued_for_the_plans_store(client_for, manager, plan):
    response = client_for(manager).post(reverse("targets:year_book"), {"plan": plan.pk})
    job = PrintJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert (job.owner, job.builder, job.params) == (manager, "targets.department_year", {"plan_id": plan.pk})


def test_the_year_book_of_another_stores_plan_is_refused(client_for, manager, clerk, plan, plan2):
    response = client_for(manager).post(reverse("targets:year_book"), {"plan": plan2.pk})
    assert response.status_code == 302 and response["Location"] == reverse("targets:list")
    # A clerk of the plan's own store has no targets access.
    assert client_for(clerk).post(reverse("targets:year_book"), {"plan": plan.pk}).status_code == 403
    assert not PrintJob.objects.exists()


# ---- a letter's KPI targets ----------------------------------------------------------------


@pytest.fixture
def letter(organisation, store, manager, clerk):
    pos = position(organisation, "服务顾问", kpis=[("准时交车率", "96", "%"), ("产值", "220", "万元")])
    hold(pos, clerk, store)
    return services.letter_create(
        by=manager,
        position=pos,
        holder=clerk,
        store=store,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
    )


def kpi_post(page, **changes) -> dict:
    """The letter's KPI formset as the page shows it, with `changes` ({field: [value per row]})."""
    formset = page.context["formset"]
    data = {f"{formset.prefix}-{k}": v for k, v in formset.management_form.initial.items()}
    for index, form in enumerate(formset.forms):
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            if hasattr(value, "pk"):
                value = value.pk
            data[form.add_prefix(name)] = "" if value is None else value
        for name, values in changes.items():
            if index < len(values):
                data[form.add_prefix(name)] = values[index]
    return {k: v for k, v in data.items() if v is not False}


def test_the_manager_sets_a_letters_kpi_targets(client_for, manager, letter):
    client = client_for(manager)
    url = reverse("targets:letter_kpis", args=[letter.pk])
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, kpi_post(page, base=["98", "250"], weight=["40", "60"]))
    assert response.status_code == 302 and response["Location"] == letter.get_absolute_url()
    assert sorted(letter.kpis.values_list("base", "weight")) == [
        (Decimal("98"), Decimal("40")),
        (Decimal("250"), Decimal("60")),
    ]


def test_kpi_weights_that_do_not_add_up_to_100_are_not_saved(client_for, manager, letter):
    client = client_for(manager)
    url = reverse("targets:letter_kpis", args=[letter.pk])
    before = sorted(letter.kpis.values_list("base", "weight"))
    response = client.post(url, kpi_post(client.get(url), weight=["40", "40"]))
    assert response.status_code == 200
    assert "100" in " ".join(response.context["formset"].non_form_errors())
    assert sorted(letter.kpis.values_list("base", "weight")) == before


def test_the_holder_and_the_other_store_may_not_change_a_letters_kpis(client_for, clerk, manager2, letter):
    url = reverse("targets:letter_kpis", args=[letter.pk])
    assert client_for(clerk).get(url).status_code == 403  # the holder reads the letter, nothing more
    assert client_for(clerk).post(url, {}).status_code == 403
    assert client_for(manager2).get(url).status_code == 404
    assert client_for(manager2).post(url, {}).status_code == 404


def test_a_signed_letters_kpis_cannot_be_changed(client_for, manager, clerk, letter):
    services.letter_sign(request=web_request(), by=clerk, letter=letter, password=settings.DEMO_PASSWORD)
    before = list(LetterKpi.objects.filter(letter=letter).values_list("pk", "weight"))
    client = client_for(manager)
    url = reverse("targets:letter_kpis", args=[letter.pk])
    assert client.get(url)["Location"] == letter.get_absolute_url()
    client.post(url, {"kpis-TOTAL_FORMS": "0", "kpis-INITIAL_FORMS": "0"})
    assert list(LetterKpi.objects.filter(letter=letter).values_list("pk", "weight")) == before


# ---- computing and printing pay sheets -----------------------------------------------------


@pytest.fixture
def schemes(organisation, store, store2, clerk, clerk_b):
    pos = position(organisation, "营业员")
    hold(pos, clerk, store)
    hold(pos, clerk_b, store2)
    return scheme(pos, store), scheme(pos, store2)


def test_the_manager_computes_the_months_pay_sheets_of_the_store(client_for, manager, clerk, schemes):
    response = client_for(manager).post(
        reverse("targets:pay_compute"), {"store": schemes[0].store.pk, "month": "2026-03"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("targets:pay")
    assert list(PaySheet.objects.values_list("user", "month", "state")) == [
        (clerk.pk, MARCH, PaySheet.State.DRAFT)
    ]


def test_a_clerk_and_the_other_stores_manager_cannot_compute_a_stores_pay(
    client_for, clerk, manager2, schemes
):
    data = {"store": schemes[0].store.pk, "month": "2026-03"}
    assert client_for(clerk).post(reverse("targets:pay_compute"), data).status_code == 403
    response = client_for(manager2).post(reverse("targets:pay_compute"), data)
    assert response.status_code == 302  # the store is not one of theirs: the form refuses it
    assert not PaySheet.objects.exists()


@pytest.fixture
def sheets(schemes, manager, clerk, clerk_b):
    home, other = schemes
    return {
        "clerk": services.pay_sheet_compute(by=None, scheme=home, user=clerk, month=MARCH),
        "manager": services.pay_sheet_compute(by=None, scheme=home, user=manager, month=MARCH),
        "clerk_b": services.pay_sheet_compute(by=None, scheme=other, user=clerk_b, month=MARCH),
    }


def test_a_pay_sheet_prints_for_its_holder_and_the_manager(client_for, clerk, manager, sheets):
    for person in (clerk, manager):
        response = client_for(person).get(reverse("targets:pay_pdf", args=[sheets["clerk"].pk]))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert "pay-clerk-2026-03.pdf" in response["Content-Disposition"]
    pdf = response.content
    assert_cjk_font_embedded(pdf)
    text = pdf_text(pdf).replace(" ", "")
    assert "绩效工资表" in text and str(clerk) in text


def test_a_pay_sheet_pdf_is_not_shown_to_a_colleague_or_another_store(client_for, clerk, manager2, sheets):
    assert client_for(clerk).get(reverse("targets:pay_pdf", args=[sheets["manager"].pk])).status_code == 404
    assert client_for(manager2).get(reverse("targets:pay_pdf", args=[sheets["clerk"].pk])).status_code == 404
