"""Runs: created by the beat job for the people on shift, answered item by item, marked late or missed."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.checklists import services
from apps.checklists.models import (
    ChecklistRun,
    FailureState,
    ItemFailure,
    ItemKind,
    RunState,
)
from apps.checklists.open_matters import open_matters_for
from apps.notifications.models import Notification
from tests.factories.checklists import item, opening_template
from tests.factories.org import web_request

from .conftest import at

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_run_creation_is_idempotent_across_repeated_beat_ticks(template, store, clerk, clerk2, manager):
    assert services.runs_create_due(now=at(8, 5)) == 1
    assert services.runs_create_due(now=at(8, 6)) == 0
    services.checklists_tick(now=at(8, 7))
    run = ChecklistRun.objects.get()
    assert run.assignee == clerk and run.item_count == 7 and run.state == RunState.NOT_STARTED
    # A second holder appears: only their run is added.
    from tests.factories.checklists import hold

    hold(template.position, clerk2, store)
    assert services.runs_create_due(now=at(8, 8)) == 1
    assert ChecklistRun.objects.count() == 2


def test_runs_appear_only_from_half_an_hour_before_the_shift_until_it_ends(template):
    assert services.runs_create_due(now=at(7, 50)) == 0
    assert services.runs_create_due(now=at(18, 30)) == 0
    assert services.runs_create_due(now=at(8, 0)) == 1


def test_runs_skip_the_weekdays_the_template_does_not_run(template):
    today = at(8, 10)
    template.weekdays = "".join(d for d in "1234567" if d != str(today.isoweekday()))
    template.save()
    assert services.runs_create_due(now=today) == 0


def test_beat_marks_late_then_missed_and_reminds_the_person_before_the_manager(run, clerk, manager):
    services.checklists_tick(now=at(9, 5))
    run.refresh_from_db()
    assert run.state == RunState.LATE
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["clerk"]
    services.checklists_tick(now=at(9, 6))
    assert Notification.objects.count() == 1  # idempotent
    services.checklists_tick(now=at(9, 40))
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"clerk", "manager"}
    services.checklists_tick(now=at(18, 5))
    run.refresh_from_db()
    assert run.state == RunState.MISSED
    services.checklists_tick(now=at(18, 6))
    assert Notification.objects.count() == 2


def test_missed_run_marking_covers_runs_never_started(template, clerk):
    services.runs_create_due(now=at(8, 10))
    late, missed = services.runs_mark_overdue(now=at(18, 1))
    assert missed == 1
    assert ChecklistRun.objects.get().state == RunState.MISSED


def test_a_failed_item_needs_a_note(run, template, clerk):
    with pytest.raises(ValidationError):
        services.item_answer(run=run, item=item(template, ItemKind.TICK), user=clerk, ok=False, note=" ")
    assert not run.results.exists()


def test_a_failed_item_opens_a_matter_for_the_manager_and_is_carried_to_the_handover(
    run, template, clerk, manager, store
):
    services.item_answer(run=run, item=item(template, ItemKind.TICK), user=clerk, ok=False, note="发票缺少")
    failure = ItemFailure.objects.get()
    assert failure.state == FailureState.OPEN and failure.action == "matter"
    assert Notification.objects.filter(
        recipient=manager, key=f"checklists:failure:{failure.pk}", source="checklists"
    ).exists()
    matters = open_matters_for(user=clerk, store=store)
    assert [m.ref for m in matters] == [f"checklist_failure:{failure.pk}"]
    run.refresh_from_db()
    assert (run.answered_count, run.failed_count, run.state) == (1, 1, RunState.IN_PROGRESS)


def test_answering_again_as_ok_resolves_the_failure_and_keeps_who_answered_when(run, template, clerk):
    tick = item(template, ItemKind.TICK)
    services.item_answer(run=run, item=tick, user=clerk, ok=False, note="缺")
    result = services.item_answer(run=run, item=tick, user=clerk, ok=True)
    assert result.answered_by == clerk and result.answered_at
    assert ItemFailure.objects.get().state == FailureState.RESOLVED
    assert result.history.count() == 2


def test_second_person_confirms_with_their_own_password(run, template, clerk, clerk2, settings):
    seal = item(template, ItemKind.SECOND_PERSON)
    with pytest.raises(ValidationError):
        services.item_answer(
            request=web_request(),
            run=run,
            item=seal,
            user=clerk,
            ok=True,
            confirmer_id=clerk2.pk,
            confirmer_password="wrong",
        )
    with pytest.raises(ValidationError):
        services.item_answer(
            run=run,
            item=seal,
            user=clerk,
            ok=True,
            request=web_request(),
            confirmer_id=clerk.pk,
            confirmer_password=settings.DEMO_PASSWORD,
        )
    result = services.item_answer(
        run=run,
        item=seal,
        user=clerk,
        ok=True,
        request=web_request(),
        confirmer_id=clerk2.pk,
        confirmer_password=settings.DEMO_PASSWORD,
    )
    assert result.confirmed_by == clerk2 and result.confirmed_at


def test_the_same_item_failing_three_runs_in_a_row_is_flagged_to_the_manager(template, store, clerk, manager):
    tick = item(template, ItemKind.TICK)
    day = at(8, 10).date()
    flags = []
    for back in (2, 1, 0):
        d = day - dt.timedelta(days=back)
        run = ChecklistRun.objects.create(
            template=template,
            store=store,
            assignee=clerk,
            date=d,
            starts_at=at(8, 30, d),
            due_at=at(9, 0, d),
            ends_at=at(18, 0, d),
        )
        services.item_answer(run=run, item=tick, user=clerk, ok=False, note="打印机坏", now=at(8, 40, d))
        flags.append(ItemFailure.objects.get(run=run).repeated)
    assert flags == [False, False, True]
    assert Notification.objects.filter(recipient=manager, key__startswith="checklists:repeat:").count() == 1


def test_completing_needs_every_required_item_and_is_late_after_the_due_time(run, template, clerk):
    with pytest.raises(ValidationError):
        services.run_complete(run=run, user=clerk)
    services.item_answer(run=run, item=item(template, ItemKind.TICK), user=clerk, ok=True)
    services.item_answer(
        run=run, item=item(template, ItemKind.NUMBER), user=clerk, ok=True, value_number=Decimal(2000)
    )
    services.item_answer(
        run=run, item=item(template, ItemKind.COUNT), user=clerk, ok=True, value_number=Decimal(12)
    )
    services.item_answer(
        run=run, item=item(template, ItemKind.CHOICE), user=clerk, ok=True, value_text="正常"
    )
    run = services.run_complete(run=run, user=clerk, now=at(8, 55))
    assert run.state == RunState.DONE
    assert services.run_complete(run=run, user=clerk).completed_at == run.completed_at  # double click


def test_only_the_assignee_answers(run, template, clerk2):
    with pytest.raises(ValidationError):
        services.item_answer(run=run, item=item(template, ItemKind.TICK), user=clerk2, ok=True)


def test_a_photo_item_needs_a_photo(run, template, clerk):
    photo_item = item(template, ItemKind.PHOTO)
    with pytest.raises(ValidationError):
        services.item_answer(run=run, item=photo_item, user=clerk, ok=True)
    result = services.item_answer(
        run=run, item=photo_item, user=clerk, ok=True, photo=SimpleUploadedFile("hall.png", PNG, "image/png")
    )
    assert result.photo.name.endswith(".png")


def test_template_items_are_generated_from_the_positions_shift_and_daily_duties(store, admin):
    from apps.roles.models import DutyArea, DutyTask, Frequency, PositionRevision

    template = opening_template(store)
    rev = PositionRevision.objects.create(
        position=template.position, number=1, title="营业员", effective_date=dt.date(2025, 1, 1)
    )
    template.position.current_revision = rev
    template.position.save()
    area = DutyArea.objects.create(revision=rev, name="班前准备")
    DutyTask.objects.create(area=area, order=1, text="检查视频监控设备", frequency=Frequency.PER_SHIFT)
    DutyTask.objects.create(area=area, order=2, text="整理营业环境", frequency=Frequency.DAILY)
    DutyTask.objects.create(area=area, order=3, text="月度盘点", frequency=Frequency.MONTHLY)
    assert services.template_items_generate(template=template, user=admin) == 2
    assert services.template_items_generate(template=template, user=admin) == 0
    assert template.items.filter(text="检查视频监控设备", kind=ItemKind.TICK).exists()
