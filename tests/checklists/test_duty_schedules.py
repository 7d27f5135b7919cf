"""Duties by phase and frequency: templates made from a position put each scheduled duty on exactly
one template (its part of the shift, its schedule: daily, weekly on its weekday, monthly on its
day); a monthly template is due on its day; the weekly duty 每周六做好投诉报告与工作总结上传直管领导 is
ticked by submitting the store's weekly report."""

from __future__ import annotations

import datetime as dt
from typing import cast

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.checklists import services
from apps.checklists.models import ChecklistRun, ChecklistTemplate, ItemKind, ItemResult, Phase, RunState
from apps.months import week_start
from apps.org.models import RoleTier
from apps.reports import services as report_services
from apps.roles.duty_schedule import duty_schedule
from tests.factories.checklists import TemplateFactory
from tests.factories.org import OrganisationFactory, StoreFactory, member
from tests.factories.roles import hold, make_position

pytestmark = pytest.mark.django_db

S, D, W, M, N = "per_shift", "daily", "weekly", "monthly", "as_needed"
REPORT_DUTY = "每周六做好投诉报告与工作总结上传直管领导"
LAST_SATURDAY = week_start(timezone.localdate()) - dt.timedelta(days=2)


def template_of(**fields) -> ChecklistTemplate:
    return cast(ChecklistTemplate, TemplateFactory(**fields))


def hall_manager_position(organisation):
    return make_position(
        organisation,
        "营业厅经理",
        areas={
            "班前准备": [("检查视频监控设备", S), ("整理营业环境", D)],
            "班后收尾": [("营业款额进帐入库", D), ("关闭电源与门窗", S)],
            "客户与投诉": [(REPORT_DUTY, W), ("收集客户意见，做好回访", W), ("每月5日盘点重要单证", M)],
            "其他": [("处理突发事件", N)],
        },
    )


def templates_by_schedule(position):
    return {
        (t.phase, t.weekdays if not t.month_day else f"day{t.month_day}"): sorted(
            t.items.values_list("text", flat=True)
        )
        for t in ChecklistTemplate.objects.filter(position=position)
    }


@pytest.mark.parametrize(
    ("text", "frequency", "area", "expected"),
    [
        (REPORT_DUTY, W, "", ("during", 6, None, True)),
        ("每月二十五号盘点", M, "", ("during", None, 25, False)),
        ("月底对账", M, "", ("during", None, 31, False)),
        ("每月例会", M, "", ("during", None, 1, False)),
        ("收集客户意见", W, "", ("during", 1, None, False)),
        ("做好交接班", S, "", ("closing", None, None, False)),
        ("整理营业环境", D, "班前准备", ("opening", None, None, False)),
    ],
)
def test_a_duty_is_placed_by_its_words_then_its_area(text, frequency, area, expected):
    s = duty_schedule(text=text, frequency=frequency, area=area)
    assert (s.phase, s.weekday, s.month_day, s.is_weekly_report) == expected


def test_templates_from_a_position_put_each_duty_on_one_template_of_its_phase_and_schedule(
    store, admin, manager
):
    position = hall_manager_position(store.organisation)
    hold(position, manager, store)
    touched = services.templates_generate_for_position(position=position, user=admin)
    assert sum(n for _t, n in touched) == 7  # every scheduled duty once; "as needed" nowhere
    assert templates_by_schedule(position) == {
        (Phase.OPENING, "1234567"): ["整理营业环境", "检查视频监控设备"],
        (Phase.CLOSING, "1234567"): ["关闭电源与门窗", "营业款额进帐入库"],
        (Phase.DURING, "1"): ["收集客户意见，做好回访"],
        (Phase.DURING, "6"): [REPORT_DUTY],
        (Phase.DURING, "day5"): ["每月5日盘点重要单证"],
    }
    saturday = ChecklistTemplate.objects.get(position=position, weekdays="6")
    assert saturday.items.get().kind == ItemKind.WEEKLY_REPORT
    assert list(saturday.stores.all()) == [store]  # where the position has holders
    # Again: nothing new, no second template.
    assert sum(n for _t, n in services.templates_generate_for_position(position=position, user=admin)) == 0
    assert ChecklistTemplate.objects.filter(position=position).count() == 5


def test_items_generated_into_a_closing_template_are_only_the_closing_duties(store, admin):
    position = hall_manager_position(store.organisation)
    opening = template_of(organisation=store.organisation, position=position, phase=Phase.OPENING)
    closing = template_of(organisation=store.organisation, position=position, phase=Phase.CLOSING)
    assert services.template_items_generate(template=opening, user=admin) == 2
    assert services.template_items_generate(template=closing, user=admin) == 2
    assert set(closing.items.values_list("text", flat=True)) == {"关闭电源与门窗", "营业款额进帐入库"}
    weekly = template_of(organisation=store.organisation, position=position, phase=Phase.DURING, weekdays="6")
    assert services.template_items_generate(template=weekly, user=admin) == 1
    assert weekly.items.get().text == REPORT_DUTY


def test_a_monthly_template_is_due_on_its_day_or_the_last_day_of_a_shorter_month(store):
    template = template_of(
        organisation=store.organisation, position=hall_manager_position(store.organisation)
    )
    template.month_day = 31
    assert template.runs_on(dt.date(2026, 2, 28)) and not template.runs_on(dt.date(2026, 2, 27))
    assert template.runs_on(dt.date(2026, 3, 31)) and not template.runs_on(dt.date(2026, 3, 30))
    template.month_day = 5
    assert [d for d in range(1, 31) if template.runs_on(dt.date(2026, 4, d))] == [5]
    template.month_day, template.weekdays = None, "6"
    assert template.runs_on(dt.date(2026, 11, 28)) and not template.runs_on(dt.date(2026, 11, 27))


def _saturday_run(store, manager, admin):
    position = hall_manager_position(store.organisation)
    hold(position, manager, store)
    services.templates_generate_for_position(position=position, user=admin)
    template = ChecklistTemplate.objects.get(position=position, weekdays="6")
    starts = timezone.make_aware(dt.datetime.combine(LAST_SATURDAY, dt.time(9)))
    return ChecklistRun.objects.create(
        template=template,
        store=store,
        assignee=manager,
        date=LAST_SATURDAY,
        starts_at=starts,
        due_at=starts + dt.timedelta(hours=9),
        ends_at=starts + dt.timedelta(hours=9),
        item_count=1,
    )


def _submit(store, manager):
    report = report_services.report_save(
        by=manager, store=store, monday=week_start(LAST_SATURDAY), summary="本周投诉两起，均已答复"
    )
    return report_services.report_submit(by=manager, report=report)


def test_the_weekly_report_duty_is_done_when_the_report_is_submitted_not_by_hand(
    client_for, store, manager, admin
):
    run = _saturday_run(store, manager, admin)
    report_item = run.template.items.get()
    with pytest.raises(ValidationError):
        services.item_answer(run=run, item=report_item, user=manager, ok=True)
    page = client_for(manager).get(run.get_absolute_url())
    link = reverse("reports:week", args=[store.pk, week_start(LAST_SATURDAY).isoformat()])
    assert f'href="{link}"' in page.content.decode()
    report = _submit(store, manager)
    run.refresh_from_db()
    assert run.completed_at == report.submitted_at and run.answered_count == 1
    assert ItemResult.objects.get(run=run).answered_by == manager


def test_a_run_created_after_the_report_was_submitted_is_ticked_by_the_beat(store, manager, admin):
    position = hall_manager_position(store.organisation)
    hold(position, manager, store)
    report = _submit(store, manager)
    friday = timezone.make_aware(dt.datetime.combine(LAST_SATURDAY - dt.timedelta(days=1), dt.time(17)))
    type(report).objects.filter(pk=report.pk).update(submitted_at=friday)
    run = _saturday_run(store, manager, admin)
    assert run.completed_at is None
    now = timezone.make_aware(dt.datetime.combine(LAST_SATURDAY, dt.time(10)))
    assert services.report_duties_sync(now=now) == 1
    assert services.report_duties_sync(now=now) == 0
    run.refresh_from_db()
    assert run.completed_at is not None and run.state == RunState.DONE


def test_another_stores_report_does_not_tick_this_stores_duty(store, manager, admin, organisation):
    run = _saturday_run(store, manager, admin)
    other = StoreFactory(organisation=organisation, code="hall-2")
    other_manager = member(other, RoleTier.MANAGER, "manager_other")
    _submit(other, other_manager)
    run.refresh_from_db()
    assert run.completed_at is None and not ItemResult.objects.filter(run=run).exists()


def test_an_admin_makes_templates_from_a_position_on_the_templates_page(client_for, store, admin, manager):
    position = hall_manager_position(store.organisation)
    page = client_for(admin).get(reverse("checklists:templates"))
    assert 'data-testid="generate-templates"' in page.content.decode()
    response = client_for(admin).post(reverse("checklists:templates_generate"), {"position": position.pk})
    assert response.status_code == 302
    assert ChecklistTemplate.objects.filter(position=position).count() == 5


def test_a_manager_cannot_make_templates_nor_an_admin_from_another_organisations_position(
    client_for, store, admin, manager, clerk
):
    position = hall_manager_position(store.organisation)
    url = reverse("checklists:templates_generate")
    assert client_for(manager).post(url, {"position": position.pk}).status_code == 403
    assert client_for(clerk).post(url, {"position": position.pk}).status_code == 403
    elsewhere = StoreFactory(organisation=OrganisationFactory(code="other-org"), code="far")
    stranger = member(elsewhere, RoleTier.ADMIN, "admin_elsewhere")
    assert client_for(stranger).post(url, {"position": position.pk}).status_code == 302
    assert not ChecklistTemplate.objects.filter(position=position).exists()
