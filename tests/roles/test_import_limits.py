"""Role imports have limits: a .docx or .xlsx zip bomb is refused before python-docx / openpyxl open
it, a role description has a size cap (pasted, .txt or .docx), and the Excel import a row cap."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from apps.roles.excel import COLUMNS, import_workbook
from apps.roles.models import Position
from tests.office_files import document, docx_bomb, workbook, xlsx_bomb

pytestmark = pytest.mark.django_db


def _refuse(*args, **kwargs):
    raise AssertionError("the file was opened")


@pytest.fixture
def no_opening(monkeypatch):
    """Neither python-docx nor openpyxl may open the file (patched where DutyDesk looks them up: in
    the library, and in a module that imported the name at import time)."""
    import docx
    import openpyxl

    from apps.roles import excel, parsing

    for module, name in (
        (docx, "Document"),
        (parsing, "Document"),
        (openpyxl, "load_workbook"),
        (excel, "load_workbook"),
    ):
        if module in (docx, openpyxl) or hasattr(module, name):
            monkeypatch.setattr(module, name, _refuse)


def _zip_bomb_refused(html: str) -> bool:
    return "压缩炸弹" in html or "zip bomb" in html


def test_a_docx_zip_bomb_is_refused_with_a_message_without_being_opened(client_for, admin, no_opening):
    response = client_for(admin).post(reverse("roles:import"), {"file": docx_bomb()})
    assert response.status_code == 200 and _zip_bomb_refused(response.content.decode())


def test_reading_a_docx_zip_bomb_is_refused_by_the_parser_too(no_opening):
    from django.core.exceptions import ValidationError

    from apps.roles.parsing import read_upload

    with pytest.raises(ValidationError):
        read_upload(docx_bomb())


def test_an_xlsx_zip_bomb_is_refused_by_the_excel_import_without_being_opened(client_for, admin, no_opening):
    response = client_for(admin).post(reverse("roles:import_excel"), {"file": xlsx_bomb(), "dry_run": "on"})
    assert response.status_code == 200 and _zip_bomb_refused(response.content.decode())


def test_the_excel_import_service_refuses_a_zip_bomb_itself(organisation, admin, no_opening):
    report = import_workbook(xlsx_bomb(), organisation=organisation, author=admin, dry_run=False)
    assert not report.ok and _zip_bomb_refused(" ".join(report.errors))


@override_settings(ROLES_IMPORT_MAX_CHARS=1000, ROLES_IMPORT_MAX_LINES=50)
@pytest.mark.parametrize(
    "upload",
    [
        lambda: document(["一、岗位职责"] + [f"{n}、负责营业厅的日常管理工作。" for n in range(1, 80)]),
        lambda: SimpleUploadedFile("职责.txt", ("1、负责日常管理。\n" * 200).encode()),
        lambda: SimpleUploadedFile("职责.txt", ("负" * 1200).encode("gb18030")),
    ],
    ids=["docx-lines", "txt-lines", "txt-characters"],
)
def test_a_role_description_over_the_size_cap_is_refused_with_the_caps(client_for, admin, upload):
    html = client_for(admin).post(reverse("roles:import"), {"file": upload()}).content.decode()
    assert "1000" in html and "50" in html
    assert 'name="areas-0-name"' not in html  # the editor did not open


@override_settings(ROLES_IMPORT_MAX_CHARS=1000, ROLES_IMPORT_MAX_LINES=50)
def test_a_pasted_description_over_the_size_cap_is_refused(client_for, admin):
    html = client_for(admin).post(reverse("roles:import"), {"text": "负责日常管理。" * 200}).content.decode()
    assert "1000" in html and 'name="areas-0-name"' not in html


@override_settings(ROLES_IMPORT_MAX_CHARS=1000, ROLES_IMPORT_MAX_LINES=50)
def test_a_description_within_the_caps_still_opens_in_the_editor(client_for, admin):
    upload = document(["厨师岗位职责"] + [f"{n}、负责食品采买。" for n in range(1, 20)])
    html = client_for(admin).post(reverse("roles:import"), {"file": upload}).content.decode()
    assert "负责食品采买" in html


@override_settings(ROLES_IMPORT_MAX_ROWS=3)
def test_an_excel_sheet_over_the_row_cap_is_refused_with_the_cap(client_for, admin):
    header = [h for _k, h in COLUMNS]
    rows = [[f"P-{n}", f"岗位{n}"] + [""] * (len(header) - 2) for n in range(4)]
    html = (
        client_for(admin)
        .post(reverse("roles:import_excel"), {"file": workbook(header, rows, "positions.xlsx")})
        .content.decode()
    )
    assert "3" in html and "import-ok" not in html
    assert not Position.objects.exists()
