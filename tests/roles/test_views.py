import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.org.models import RoleTier, StoreKind
from apps.printing.models import PrintJob
from apps.roles.chart import BOX_H, chart_svg
from apps.roles.models import Position
from tests.factories.org import DepartmentFactory, OrganisationFactory, StoreFactory, member
from tests.factories.roles import hold, make_position
from tests.pdf_checks import assert_cjk_font_embedded, pdf_text
from tests.walks.crawl import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def dept(organisation):
    return DepartmentFactory(organisation=organisation, code="hall-ops", name="营业部")


@pytest.fixture
def position(organisation, dept, admin):
    boss = make_position(organisation, "营业厅经理", department=dept)
    return make_position(
        organisation,
        "营业员",
        department=dept,
        superiors=[boss],
        author=admin,
        areas={"班前准备": [("营业前准备", "daily")], "班后收尾": [("核对卡品库存及营收款项", "per_shift")]},
        kpis=[("满意率", "≥98%")],
        summary="在营业厅前台为客户办理业务",
    )


@pytest.fixture
def outsider():
    other = OrganisationFactory(name="别的集团", code="other-org")
    return member(StoreFactory(organisation=other), RoleTier.ADMIN, "outsider")


def edit_data(position, **overrides):
    data = {
        "title": position.title,
        "department": position.department_id or "",
        "store_kind": "",
        "superiors": [s.pk for s in position.superiors.all()],
        "effective_date": "2025-07-01",
        "approver": "李行政",
        "change_summary": "修改",
        "areas-0-name": "班前准备",
        "areas-0-tasks-0-text": "营业前准备",
        "areas-0-tasks-0-frequency": "daily",
    }
    data.update(overrides)
    return data


def test_the_list_groups_positions_by_department_with_holders_in_my_stores(
    client_for, clerk, store, position
):
    hold(position, clerk, store)
    response = client_for(clerk).get(reverse("roles:list"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "营业部" in content and "营业员" in content and "张敏" in content


def test_the_list_searches_and_filters(client_for, clerk, position, dept):
    client = client_for(clerk)
    assert "营业员" in client.get(reverse("roles:list"), {"q": "卡品"}).content.decode()
    assert "营业员" not in client.get(reverse("roles:list"), {"q": "不存在的词"}).content.decode()
    assert "营业员" in client.get(reverse("roles:list"), {"department": dept.pk}).content.decode()


@pytest.mark.parametrize("count", [10, 200])
def test_the_list_page_query_count_does_not_grow(
    count, client_for, admin, store, organisation, dept, django_assert_num_queries
):
    boss = make_position(organisation, "经理", department=dept)
    for i in range(count - 1):
        p = Position.objects.create(
            organisation=organisation, code=f"T-{i}", title=f"岗位{i}", department=dept
        )
        p.superiors.add(boss)
        hold(p, admin, store)
    client = client_for(admin)
    client.get(reverse("roles:list"))  # warm the session
    with django_assert_num_queries(
        11
    ):  # +1: the header bell's unread count; +1: the kinds of the user's stores
        assert client.get(reverse("roles:list")).status_code == 200


def test_everyone_in_the_organisation_reads_a_position(client_for, clerk, manager2, position):
    for user in (clerk, manager2):
        response = client_for(user).get(position.get_absolute_url())
        assert response.status_code == 200
        assert "核对卡品库存及营收款项" in response.content.decode()


def test_a_user_of_another_organisation_cannot_see_positions(client_for, outsider, position):
    client = client_for(outsider)
    for name in ("detail", "pdf", "history", "diff", "edit"):
        assert client.get(reverse(f"roles:{name}", args=[position.pk])).status_code == 404
    assert client.get(reverse("roles:revision", args=[position.pk, 1])).status_code == 404
    assert "营业员" not in client.get(reverse("roles:list")).content.decode()


def test_a_clerk_cannot_edit(client_for, clerk, position):
    client = client_for(clerk)
    assert client.get(reverse("roles:edit", args=[position.pk])).status_code == 403
    assert client.post(reverse("roles:edit", args=[position.pk]), edit_data(position)).status_code == 403
    assert client.get(reverse("roles:create")).status_code == 403
    assert client.post(reverse("roles:duties_op"), {"op": "add_area"}).status_code == 403
    assert client.get(reverse("roles:import")).status_code == 403
    assert client.get(reverse("roles:import_excel")).status_code == 403
    assert position.revisions.count() == 1


def test_an_admin_edit_makes_a_revision(client_for, admin, position):
    response = client_for(admin).post(
        reverse("roles:edit", args=[position.pk]),
        edit_data(position, **{"areas-0-tasks-1-text": "检查设备", "areas-0-tasks-1-frequency": "per_shift"}),
    )
    assert response.status_code == 302
    position.refresh_from_db()
    assert position.current_revision.number == 2
    assert [t.text for t in position.current_revision.areas.get().tasks.all()] == ["营业前准备", "检查设备"]
    assert client_for(admin).get(reverse("roles:revision", args=[position.pk, 1])).status_code == 200


def test_invalid_duties_keep_what_was_typed(client_for, admin, position):
    data = edit_data(position, **{"areas-0-name": "", "areas-0-tasks-0-text": "我刚输入的任务"})
    response = client_for(admin).post(reverse("roles:edit", args=[position.pk]), data)
    content = response.content.decode()
    assert response.status_code == 200
    assert "我刚输入的任务" in content and "is-invalid" in content
    assert position.revisions.count() == 1


def test_the_form_names_the_position_that_closes_a_reporting_loop(client_for, admin, organisation, position):
    boss = position.superiors.get()
    data = edit_data(boss, superiors=[position.pk], title=boss.title)
    response = client_for(admin).post(reverse("roles:edit", args=[boss.pk]), data)
    content = response.content.decode()
    assert response.status_code == 200
    assert "营业厅经理 → 营业员 → 营业厅经理" in content
    assert boss.revisions.count() == 1


def test_the_editor_adds_moves_and_removes_rows_in_place(client_for, admin):
    client = client_for(admin)
    base = {"areas-0-name": "甲", "areas-0-tasks-0-text": "一", "areas-0-tasks-1-text": "二"}
    html = client.post(reverse("roles:duties_op"), {**base, "op": "down_task:0:0"}).content.decode()
    assert html.index(">二<") < html.index(">一<")
    html = client.post(reverse("roles:duties_op"), {**base, "op": "add_area"}).content.decode()
    assert 'name="areas-1-name"' in html
    html = client.post(reverse("roles:duties_op"), {**base, "op": "remove_task:0:0"}).content.decode()
    assert ">一<" not in html and ">二<" in html
    assert client.post(reverse("roles:duties_op"), {**base, "op": "remove_task:9:9"}).status_code == 200


def test_history_and_diff_pages(client_for, admin, clerk, position):
    client_for(admin).post(
        reverse("roles:edit", args=[position.pk]),
        edit_data(position, **{"areas-0-tasks-1-text": "检查设备"}),
    )
    client = client_for(clerk)
    assert "v2" in client.get(reverse("roles:history", args=[position.pk])).content.decode()
    html = client.get(reverse("roles:diff", args=[position.pk]), {"a": 1, "b": 2}).content.decode()
    assert "检查设备" in html and "核对卡品库存及营收款项" in html
    assert client.get(reverse("roles:diff", args=[position.pk]), {"a": "x"}).status_code == 404


def test_the_pdf_has_the_title_duties_and_an_embedded_cjk_font(client_for, clerk, position):
    response = client_for(clerk).get(reverse("roles:pdf", args=[position.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content).replace(" ", "")
    assert "营业员岗位说明书" in text and "核对卡品库存及营收款项" in text
    assert position.code in text and re.search(r"第1页/共\d+页", text) and "签发" in text
    assert_cjk_font_embedded(response.content)
    old = client_for(clerk).get(reverse("roles:revision_pdf", args=[position.pk, 1]))
    assert old.status_code == 200 and old.content[:5] == b"%PDF-"


def test_the_department_book_is_built_by_a_print_job(
    client_for, clerk, position, dept, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(clerk).post(reverse("roles:book"), {"department": dept.pk})
    job = PrintJob.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    job.refresh_from_db()
    assert job.state == PrintJob.State.DONE
    text = pdf_text(bytes(job.pdf)).replace(" ", "")
    assert "营业员岗位说明书" in text and "营业厅经理岗位说明书" in text


def test_the_book_form_starts_on_the_first_department_with_positions(
    client_for, clerk, organisation, position
):
    """人事部 (no positions) sorts before 营业部: it is listed but cannot be chosen, and the form starts
    on 营业部 instead of offering an empty book."""
    empty = DepartmentFactory(organisation=organisation, code="hr", name="人事部")
    page = parse("/roles/", 200, "text/html", client_for(clerk).get(reverse("roles:list")).content.decode())
    (book,) = [f for f in page.forms if f.action.endswith(reverse("roles:book"))]
    (field,) = [f for f in book.fields if f.name == "department"]
    assert str(empty.pk) in field.options and field.options.index(str(empty.pk)) == 0
    assert field.value == str(position.department_id)
    html = client_for(clerk).get(reverse("roles:list")).content.decode()
    assert re.search(rf'<option value="{empty.pk}"[^>]*disabled', html)


def test_the_book_of_another_organisations_department_answers_404(client_for, outsider, dept):
    assert client_for(outsider).post(reverse("roles:book"), {"department": dept.pk}).status_code == 404


def test_the_org_chart_connects_a_two_superior_position_to_both(client_for, clerk, organisation, dept):
    vp = make_position(organisation, "分管副总经理")
    head = make_position(organisation, "服务站长", superiors=[vp])
    manager = make_position(organisation, "服务经理", superiors=[vp, head])
    html = client_for(clerk).get(reverse("roles:chart")).content.decode()
    assert f'data-from="{vp.pk}" data-to="{manager.pk}"' in html
    assert f'data-from="{head.pk}" data-to="{manager.pk}"' in html
    svg = client_for(clerk).get(reverse("roles:chart_svg"))
    assert svg["Content-Type"].startswith("image/svg+xml") and b"<svg" in svg.content


def test_the_org_chart_shows_titles_and_department_names_as_text(client_for, clerk, manager2, organisation):
    """The chart is markup built from titles an admin typed: on the page and in the SVG download a
    title or department name with markup in it stays text (and the download stays well-formed XML)."""
    from xml.etree import ElementTree

    hostile = DepartmentFactory(organisation=organisation, code="x", name='"><img src=x onerror=alert(1)>')
    make_position(organisation, "<script>alert(1)</script>", department=hostile)
    for user in (clerk, manager2):
        html = client_for(user).get(reverse("roles:chart")).content.decode()
        assert "<script>a" not in html and "<img src=x" not in html
        # A box shows a long title on two lines of nine characters.
        assert "&gt;&lt;img src=x onerror=alert(1)&gt;</text>" in html and ">&lt;script&gt;a</text>" in html
    svg = client_for(clerk).get(reverse("roles:chart_svg")).content.decode()
    assert "<script>a" not in svg and "<img src=x" not in svg
    texts = list(ElementTree.fromstring(svg.split("\n", 1)[1]).itertext())
    assert '"><img src=x onerror=alert(1)>' in texts and "<script>a" in texts


def test_a_line_that_skips_a_level_runs_below_the_rows_in_between(organisation, dept):
    vp = make_position(organisation, "分管副总经理")
    make_position(organisation, "营业厅经理", superiors=[vp])  # a box in the row in between
    head = make_position(organisation, "服务站长", superiors=[vp])
    manager = make_position(organisation, "服务经理", superiors=[vp, head])
    svg = chart_svg(Position.objects.prefetch_related("superiors").select_related("department"))
    top = {int(pk): float(y) for pk, y in re.findall(r'data-position="(\d+)"><rect [^>]*? y="([\d.]+)"', svg)}
    path = re.search(rf'data-from="{vp.pk}" data-to="{manager.pk}" d="M[\d.]+,[\d.]+ V([\d.]+) H', svg)
    lane = float(path.group(1))
    assert top[head.pk] + BOX_H < lane < top[manager.pk]


def test_import_a_pasted_description_then_save_it_as_a_new_position(client_for, admin, organisation):
    client = client_for(admin)
    text = "厨师岗位职责\n1、负责员工工作午餐\n2、负责食品采买\n这行没有编号"
    html = client.post(reverse("roles:import"), {"text": text}).content.decode()
    assert "负责员工工作午餐" in html and "这行没有编号" in html
    data = {
        "step": "save",
        "count": "1",
        "p0-include": "on",
        "p0-target": "",
        "p0-title": "厨师",
        "p0-effective_date": "2025-07-01",
        "p0-notes": "这行没有编号",
        "p0-areas-0-name": "岗位职责",
        "p0-areas-0-tasks-0-text": "负责员工工作午餐（修改）",
        "p0-areas-0-tasks-0-frequency": "daily",
    }
    response = client.post(reverse("roles:import"), data)
    assert response.status_code == 302
    chef = Position.objects.get(title="厨师")
    assert chef.current_revision.notes == "这行没有编号"


GUARD_TEXT = "营业厅保安岗位职责\n1、负责营业厅安全巡查\n2、负责开门与关门\n3、负责监控设备的日常检查"


@pytest.fixture
def guard(organisation, dept, store, clerk, admin):
    """营业厅保安 with everything a position holds besides its text: department, store kind, superiors,
    a parallel relation, a subordinate, a holder and an approver."""
    boss = make_position(organisation, "营业厅经理", department=dept)
    peer = make_position(organisation, "大堂经理", department=dept)
    guard = make_position(organisation, "营业厅保安", department=dept, superiors=[boss], author=admin)
    guard.store_kind = StoreKind.BUSINESS_HALL
    guard.save(update_fields=["store_kind"])
    guard.parallels.set([peer])
    make_position(organisation, "保安队员", department=dept, superiors=[guard])
    hold(guard, clerk, store)
    return guard


def import_review(client, text) -> tuple[str, dict]:
    """Read a description; return the review page and what a browser sends when it is saved untouched."""
    response = client.post(reverse("roles:import"), {"text": text})
    assert response.status_code == 200
    body = response.content.decode()
    form = next(f for f in parse("/roles/import/", 200, "text/html", body).forms if "step" in f.data())
    return body, form.data()


def relations(position):
    position.refresh_from_db()
    return {
        "department": position.department_id,
        "store_kind": position.store_kind,
        "superiors": sorted(p.title for p in position.superiors.all()),
        "parallels": sorted(p.title for p in position.parallels.all()),
        "subordinates": sorted(p.title for p in position.subordinates.all()),
        "holders": [h.user.username for h in position.holders.all()],
        "approver": position.current_revision.approver,
        "code": position.code,
        "is_active": position.is_active,
    }


def test_an_import_saved_as_the_suggested_new_revision_keeps_every_relation_of_the_position(
    client_for, admin, guard
):
    before = relations(guard)
    client = client_for(admin)
    body, data = import_review(client, GUARD_TEXT)
    assert data["p0-target"] == [str(guard.pk)], "the matching title suggests a new revision of it"
    response = client.post(reverse("roles:import"), data)
    assert response.status_code == 302
    assert relations(guard) == before
    revision = guard.current_revision
    assert revision.number == 2
    assert [t.text for a in revision.areas.all() for t in a.tasks.all()] == [
        "负责营业厅安全巡查",
        "负责开门与关门",
        "负责监控设备的日常检查",
    ]
    assert revision.relations["superiors"][0]["title"] == "营业厅经理"


def test_a_new_revision_chosen_by_hand_keeps_the_relations_of_the_position_it_revises(
    client_for, admin, guard
):
    before = relations(guard)
    client = client_for(admin)
    body, data = import_review(client, GUARD_TEXT.replace("营业厅保安", "门卫"))
    assert data.get("p0-target", [""]) == [""]  # no title matches: a new position is suggested
    data["p0-target"] = [str(guard.pk)]
    data["p0-title"] = ["营业厅保安"]
    assert client.post(reverse("roles:import"), data).status_code == 302
    assert relations(guard) == before
    assert guard.current_revision.number == 2


def test_a_relation_the_reviewer_changes_on_the_import_review_is_changed_and_the_rest_kept(
    client_for, admin, organisation, guard
):
    before = relations(guard)
    chief = make_position(organisation, "安保主管")
    client = client_for(admin)
    body, data = import_review(client, GUARD_TEXT)
    data["p0-superiors"] = [str(chief.pk)]
    data["p0-department"] = [""]
    data["p0-approver"] = ["王总"]
    assert client.post(reverse("roles:import"), data).status_code == 302
    after = relations(guard)
    assert after["superiors"] == ["安保主管"]
    assert after["department"] is None
    assert after["approver"] == "王总"
    for kept in ("store_kind", "parallels", "subordinates", "holders", "code", "is_active"):
        assert after[kept] == before[kept], kept


def test_an_import_cannot_revise_a_position_of_another_organisation(client_for, outsider, guard):
    client = client_for(outsider)
    body, data = import_review(client, GUARD_TEXT)
    assert f'value="{guard.pk}"' not in body
    data["p0-target"] = [str(guard.pk)]
    assert client.post(reverse("roles:import"), data).status_code == 404
    assert guard.revisions.count() == 1


@pytest.mark.parametrize("target", ["x\x00", "-1", "12345678901234567890"])
def test_saving_an_import_over_a_position_that_is_not_there_answers_404_not_500(client_for, admin, target):
    data = {
        "step": "save",
        "count": "1",
        "p0-target": target,
        "p0-title": "厨师",
        "p0-effective_date": "2025-07-01",
    }
    assert client_for(admin).post(reverse("roles:import"), data).status_code == 404
    assert not Position.objects.filter(title="厨师").exists()


def test_import_rejects_an_empty_paste_and_a_wrong_file(client_for, admin):
    """An empty paste, a file that is neither .docx nor .txt, and a .docx that is not one are each
    refused on the import form, and nothing is read or imported."""
    from django.core.exceptions import NON_FIELD_ERRORS
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(admin)

    def refused(data):
        response = client.post(reverse("roles:import"), data)
        assert response.status_code == 200
        return response.context["form"]

    assert refused({"text": " "}).has_error(NON_FIELD_ERRORS)
    assert refused({"file": SimpleUploadedFile("x.pdf", b"%PDF-")}).has_error("file")
    broken = refused({"file": SimpleUploadedFile("x.docx", b"not a zip")})
    assert broken.has_error("file", code="not_an_archive")
    assert not Position.objects.exists()


def test_excel_export_and_dry_run_import_report_row_by_row(client_for, admin, position):
    client = client_for(admin)
    response = client.get(reverse("roles:export"))
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.active
    assert ws.cell(1, 1).value == "编号" and ws.cell(1, 2).value == "岗位名称"
    # Change one row, break another, add a new one.
    rows = {ws.cell(r, 2).value: r for r in range(2, ws.max_row + 1)}
    ws.cell(rows["营业员"], 15).value = "【班前准备】\n- 营业前准备 〔每日〕\n- 新的任务 〔每班〕"
    ws.cell(rows["营业厅经理"], 3).value = "不存在的部门"
    ws.append(["", "新岗位", "营业部"])
    out = io.BytesIO()
    wb.save(out)
    from django.core.files.uploadedfile import SimpleUploadedFile

    def upload(dry):
        f = SimpleUploadedFile("p.xlsx", out.getvalue())
        return client.post(reverse("roles:import_excel"), {"file": f, "dry_run": "on" if dry else ""})

    html = upload(True).content.decode()
    assert "不存在的部门" in html and "import-errors" in html
    assert position.revisions.count() == 1 and not Position.objects.filter(title="新岗位").exists()
    ws.cell(rows["营业厅经理"], 3).value = "营业部"
    out = io.BytesIO()
    wb.save(out)
    html = upload(True).content.decode()
    assert "import-ok" in html and position.revisions.count() == 1
    upload(False)
    assert position.revisions.count() == 2 and Position.objects.filter(title="新岗位").exists()


def test_exported_text_that_looks_like_a_formula_stays_text_and_imports_back_unchanged(
    client_for, admin, organisation, dept
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    risky = make_position(organisation, "公式岗", department=dept, author=admin, summary="=HYPERLINK(1)")
    client = client_for(admin)
    ws = load_workbook(io.BytesIO(client.get(reverse("roles:export")).content)).active
    summaries = [ws.cell(r, c).value for r in range(2, ws.max_row + 1) for c in range(1, ws.max_column + 1)]
    assert "'=HYPERLINK(1)" in summaries and "=HYPERLINK(1)" not in summaries
    out = io.BytesIO()
    ws.parent.save(out)
    client.post(reverse("roles:import_excel"), {"file": SimpleUploadedFile("p.xlsx", out.getvalue())})
    assert risky.revisions.count() == 1
    risky.refresh_from_db()
    assert risky.current_revision.summary == "=HYPERLINK(1)"
