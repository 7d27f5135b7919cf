"""Views: who may open what, htmx saving, the board and lists with constant query counts."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.checklists import services
from apps.checklists.models import ChecklistRun, ItemKind, ItemResult
from tests.factories.checklists import item, opening_template

from .conftest import at

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_the_clerk_sees_todays_run_on_the_home_page(client_for, clerk, run):
    response = client_for(clerk).get("/")
    assert response.status_code == 200
    assert run.get_absolute_url() in response.content.decode()


def test_a_clerk_of_another_store_cannot_open_the_run_or_answer_it(client_for, clerk_b, run, template):
    client = client_for(clerk_b)
    assert client.get(run.get_absolute_url()).status_code == 404
    url = reverse("checklists:answer", args=[run.pk, item(template, ItemKind.TICK).pk])
    assert client.post(url, {"outcome": "ok"}).status_code == 404
    assert client.post(reverse("checklists:complete", args=[run.pk])).status_code == 404


def test_a_colleague_cannot_answer_someone_elses_run(client_for, clerk2, run, template):
    url = reverse("checklists:answer", args=[run.pk, item(template, ItemKind.TICK).pk])
    assert client_for(clerk2).post(url, {"outcome": "ok"}).status_code == 404


def test_the_manager_sees_the_run_but_cannot_answer_it(client_for, manager, run, template):
    client = client_for(manager)
    assert client.get(run.get_absolute_url()).status_code == 200
    url = reverse("checklists:answer", args=[run.pk, item(template, ItemKind.TICK).pk])
    assert client.post(url, {"outcome": "ok"}).status_code == 403


FIELD = re.compile(r"<(input|textarea|select)\b")


def test_each_answer_is_saved_by_one_htmx_post_that_swaps_the_state_and_the_run_header_not_a_field(
    client_for, clerk, run, template
):
    client = client_for(clerk)
    number = item(template, ItemKind.NUMBER)
    url = reverse("checklists:answer", args=[run.pk, number.pk])
    response = client.post(url, {"value": "2000", "outcome": ""}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="saved"' in body
    assert ItemResult.objects.get(run=run, item=number).ok is True
    assert f'id="item-{number.pk}-state" data-testid="item-state" data-result="ok" hx-swap-oob="true"' in body
    header = re.search(
        r'<div class="text-end" id="run-header" hx-swap-oob="true">.*?</div>\s*</div>', body, re.S
    )
    assert header, "the run header is swapped out of band"
    assert 'data-answered="1"' in header.group() and 'data-failed="0"' in header.group()
    assert 'data-state="in_progress"' in header.group()
    assert not FIELD.search(body), "a save never replaces a field the person may be typing in"


def test_the_run_page_shows_the_header_count_the_answers_left_it_at(client_for, clerk, run, template):
    client = client_for(clerk)
    for kind, value in [(ItemKind.NUMBER, "2000"), (ItemKind.COUNT, "11")]:
        url = reverse("checklists:answer", args=[run.pk, item(template, kind).pk])
        client.post(url, {"value": value, "outcome": "", "note": "1 台在维修"}, **HTMX)
    body = client.get(run.get_absolute_url()).content.decode()
    assert 'data-answered="2" data-failed="1"' in body


def test_an_out_of_range_number_without_a_note_is_refused_and_leaves_the_typed_field_alone(
    client_for, clerk, run, template
):
    client = client_for(clerk)
    url = reverse("checklists:answer", args=[run.pk, item(template, ItemKind.NUMBER).pk])
    response = client.post(url, {"value": "1500", "outcome": ""}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and 'data-testid="item-error"' in body
    assert not FIELD.search(body)  # what was typed stays in the page's own field
    assert not ItemResult.objects.exists()
    response = client.post(url, {"value": "1500", "outcome": "", "note": "少了 500 元，已报经理"}, **HTMX)
    result = ItemResult.objects.get()
    assert result.ok is False and result.value_number == 1500


def test_leaving_a_field_saves_the_answer_but_an_empty_one_saves_nothing_and_shows_no_error(
    client_for, clerk, run, template
):
    client = client_for(clerk)
    url = reverse("checklists:answer", args=[run.pk, item(template, ItemKind.NUMBER).pk])
    response = client.post(url, {"value": "", "note": "先写备注"}, **HTMX)  # no outcome: a field was left
    assert response.status_code == 200 and "item-error" not in response.content.decode()
    assert not ItemResult.objects.exists()
    client.post(url, {"value": "2000", "note": ""}, **HTMX)
    assert ItemResult.objects.get().ok is True


def test_changing_only_the_note_keeps_an_item_marked_not_ok_and_a_new_figure_is_judged_again(
    client_for, clerk, run, template
):
    client = client_for(clerk)
    url = reverse("checklists:answer", args=[run.pk, item(template, ItemKind.NUMBER).pk])
    client.post(url, {"value": "2000", "outcome": "fail", "note": "有残币"}, **HTMX)
    client.post(url, {"value": "2,000", "note": "有残币 2 张"}, **HTMX)
    result = ItemResult.objects.get()
    assert (result.ok, result.note) == (False, "有残币 2 张")
    client.post(url, {"value": "1950", "note": "有残币 2 张"}, **HTMX)
    result.refresh_from_db()
    assert (result.ok, result.value_number) == (True, 1950)


def test_a_tick_item_is_not_saved_by_leaving_its_note(client_for, clerk, run, template):
    url = reverse("checklists:answer", args=[run.pk, item(template, ItemKind.TICK).pk])
    body = client_for(clerk).post(url, {"note": "备注"}, **HTMX).content.decode()
    assert "item-error" in body and not ItemResult.objects.exists()


@pytest.mark.parametrize("value", ["12345678901234567890", "1e309", "NaN", "-Infinity"])
def test_a_number_that_does_not_fit_is_refused_not_a_500(client_for, clerk, run, template, value):
    url = reverse("checklists:answer", args=[run.pk, item(template, ItemKind.NUMBER).pk])
    response = client_for(clerk).post(url, {"value": value, "outcome": "", "note": "x"}, **HTMX)
    assert response.status_code == 200 and 'data-testid="item-error"' in response.content.decode()
    assert not ItemResult.objects.exists()


def test_a_failed_item_with_a_photo_is_saved(client_for, clerk, run, template):
    url = reverse("checklists:answer", args=[run.pk, item(template, ItemKind.TICK).pk])
    photo = SimpleUploadedFile("bad.png", PNG, content_type="image/png")
    response = client_for(clerk).post(url, {"outcome": "fail", "note": "发票不足", "photo": photo}, **HTMX)
    assert response.status_code == 200
    result = ItemResult.objects.get()
    assert not result.ok and result.photo
    photo_url = reverse("checklists:photo", args=[run.pk, result.item_id])
    assert client_for(clerk).get(photo_url)["Content-Type"] == "image/png"


def test_a_photo_that_is_not_an_image_or_too_large_is_refused(client_for, clerk, run, template):
    client = client_for(clerk)
    url = reverse("checklists:answer", args=[run.pk, item(template, ItemKind.PHOTO).pk])
    fake = SimpleUploadedFile("x.png", b"MZ not a png", content_type="image/png")
    assert "item-error" in client.post(url, {"outcome": "ok", "photo": fake}, **HTMX).content.decode()
    exe = SimpleUploadedFile("x.exe", PNG, content_type="application/octet-stream")
    assert "item-error" in client.post(url, {"outcome": "ok", "photo": exe}, **HTMX).content.decode()
    big = SimpleUploadedFile(
        "big.jpg", b"\xff\xd8\xff" + b"0" * (5 * 1024 * 1024 + 1), content_type="image/jpeg"
    )
    assert "item-error" in client.post(url, {"outcome": "ok", "photo": big}, **HTMX).content.decode()
    assert not ItemResult.objects.exists()


def test_only_managers_see_the_board(client_for, clerk, manager, run):
    assert client_for(clerk).get(reverse("checklists:board")).status_code == 403
    response = client_for(manager).get(reverse("checklists:board"))
    assert response.status_code == 200 and run.template.name in response.content.decode()


def test_the_manager_of_another_store_does_not_see_this_stores_runs(client_for, manager2, run):
    response = client_for(manager2).get(reverse("checklists:board"))
    assert response.status_code == 200 and run.template.name not in response.content.decode()
    assert client_for(manager2).get(run.get_absolute_url()).status_code == 404


def _make_runs(store, template, people, days):
    today = timezone.localdate()
    rows = []
    for d in range(days):
        day = today - dt.timedelta(days=d)
        for p in people:
            rows.append(
                ChecklistRun(
                    template=template,
                    store=store,
                    assignee=p,
                    date=day,
                    starts_at=at(8, 30, day),
                    due_at=at(9, 0, day),
                    ends_at=at(18, 0, day),
                )
            )
    ChecklistRun.objects.bulk_create(rows, ignore_conflicts=True)


def test_board_query_count_is_constant_as_runs_grow(
    client_for, manager, store, template, clerk, clerk2, django_assert_max_num_queries
):
    client = client_for(manager)
    url = reverse("checklists:board")
    _make_runs(store, template, [clerk], 2)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    other = opening_template(store, name="营业员班后收尾")
    _make_runs(store, template, [clerk2], 7)
    _make_runs(store, other, [clerk, clerk2], 7)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.content.decode().count('data-testid="board-row"') == 23
    assert len(large) == len(small)


def test_the_board_filters_by_person_position_and_dates(client_for, manager, store, template, clerk, clerk2):
    _make_runs(store, template, [clerk, clerk2], 3)
    client = client_for(manager)
    today = timezone.localdate()
    body = client.get(
        reverse("checklists:board"), {"person": clerk2.pk, "date_from": today, "date_to": today}
    ).content.decode()
    assert body.count('data-testid="board-row"') == 1
    body = client.get(
        reverse("checklists:board"),
        {"position": template.position.pk, "date_from": today - dt.timedelta(days=5)},
    ).content.decode()
    assert body.count('data-testid="board-row"') == 6
    assert client.get(reverse("checklists:board"), {"date_from": "not-a-date"}).status_code == 200


def test_template_pages_are_for_admins(client_for, clerk, manager, admin, template):
    assert client_for(manager).get(reverse("checklists:templates")).status_code == 403
    client = client_for(admin)
    assert client.get(reverse("checklists:templates")).status_code == 200
    assert client.get(reverse("checklists:template_edit", args=[template.pk])).status_code == 200
    assert client.get(reverse("checklists:template_new")).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        {"store": "abc"},
        {"store": "12345678901234567890"},
        {"store": "-1"},
        {"date": "2026-02-30"},
        {"date": "x\x00"},
        {},
    ],
)
def test_a_closing_report_address_with_a_bad_store_or_date_is_a_message_not_a_500(
    client_for, manager, store, query
):
    """The store and the day come from the address, where anything may be typed."""
    params = {"store": store.pk, **query} if "store" not in query and query else query
    response = client_for(manager).get(reverse("checklists:closing_report"), params)
    assert response.status_code == 302
    assert response["Location"] == reverse("checklists:board")


# ---------------------------------------------------------------- failed items and generated items


@pytest.fixture
def failure(run, template, clerk):
    services.item_answer(run=run, item=item(template, ItemKind.TICK), user=clerk, ok=False, note="发票不足")
    return run.failures.get()


def test_the_manager_resolves_a_failed_item_from_the_board(client_for, manager, failure):
    client = client_for(manager)
    response = client.post(reverse("checklists:resolve", args=[failure.pk]), {"resolution": "已补领发票"})
    assert response.status_code == 302 and response["Location"] == reverse("checklists:board")
    failure.refresh_from_db()
    assert (failure.state, failure.resolved_by, failure.resolution) == ("resolved", manager, "已补领发票")
    assert "发票不足" not in client.get(reverse("checklists:board")).content.decode()


def test_a_clerk_cannot_resolve_a_failed_item_nor_can_another_stores_manager(
    client_for, clerk, manager2, failure
):
    url = reverse("checklists:resolve", args=[failure.pk])
    assert client_for(clerk).post(url, {"resolution": "自己关掉"}).status_code == 404
    assert client_for(manager2).post(url, {"resolution": "不是我的店"}).status_code == 404
    failure.refresh_from_db()
    assert failure.state == "open" and failure.resolved_by is None


def _with_duties(template):
    from apps.roles.models import DutyArea, DutyTask, Frequency, PositionRevision

    rev = PositionRevision.objects.create(
        position=template.position, number=1, title="营业员", effective_date=dt.date(2025, 1, 1)
    )
    template.position.current_revision = rev
    template.position.save()
    area = DutyArea.objects.create(revision=rev, name="班前准备")
    DutyTask.objects.create(area=area, order=1, text="检查视频监控设备", frequency=Frequency.PER_SHIFT)
    DutyTask.objects.create(area=area, order=2, text="月度盘点", frequency=Frequency.MONTHLY)
    return template


def test_an_admin_generates_items_from_the_positions_duties_on_the_template_page(client_for, admin, template):
    _with_duties(template)
    before = template.items.count()
    response = client_for(admin).post(reverse("checklists:template_generate", args=[template.pk]))
    assert response["Location"] == reverse("checklists:template_edit", args=[template.pk])
    assert template.items.count() == before + 1
    assert template.items.filter(text="检查视频监控设备", duty_task__isnull=False).exists()


def test_a_manager_cannot_generate_items_nor_can_another_organisations_admin(client_for, manager, template):
    from apps.org.models import RoleTier
    from tests.factories.org import StoreFactory, member

    _with_duties(template)
    before = template.items.count()
    url = reverse("checklists:template_generate", args=[template.pk])
    assert client_for(manager).post(url).status_code == 403
    stranger = member(StoreFactory(), RoleTier.ADMIN, "admin_elsewhere")
    assert client_for(stranger).post(url).status_code == 404
    assert template.items.count() == before
