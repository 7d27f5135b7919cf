"""apps/uploads.py: archives refused before they are opened, files streamed safely, and no public
media route in any mode."""

import importlib
import io
import os
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import Resolver404, clear_url_caches, resolve

from apps.uploads import archive_check, file_response
from tests.office_files import document, docx_bomb, workbook, xlsx_bomb

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _messages(excinfo) -> str:
    return " ".join(excinfo.value.messages)


@pytest.mark.parametrize("bomb", [xlsx_bomb, docx_bomb], ids=["xlsx", "docx"])
def test_a_zip_bomb_is_refused_from_its_directory_alone(bomb):
    upload = bomb()
    assert upload.size < 100 * 1024  # small on disk, 20 MB of zeros unpacked
    with pytest.raises(ValidationError) as excinfo:
        archive_check(upload)
    assert "zip bomb" in _messages(excinfo) or "压缩炸弹" in _messages(excinfo)
    assert upload.tell() == 0


@override_settings(UPLOADS_ARCHIVE_MAX_BYTES=2 * 1024 * 1024)
def test_an_archive_that_unpacks_too_large_is_refused_with_the_limit():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", os.urandom(3 * 1024 * 1024))  # packs 1 : 1
    with pytest.raises(ValidationError) as excinfo:
        archive_check(SimpleUploadedFile("big.xlsx", buffer.getvalue()))
    assert excinfo.value.code == "too_large_unpacked" and "2 MB" in _messages(excinfo)


@override_settings(UPLOADS_ARCHIVE_MAX_MEMBERS=20)
def test_an_archive_with_too_many_members_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(21):
            archive.writestr(f"xl/media/image{n}.png", PNG)
    with pytest.raises(ValidationError) as excinfo:
        archive_check(SimpleUploadedFile("many.xlsx", buffer.getvalue()))
    assert excinfo.value.code == "too_many_members"


def test_a_file_that_is_not_an_archive_is_refused_as_damaged():
    with pytest.raises(ValidationError) as excinfo:
        archive_check(SimpleUploadedFile("fake.xlsx", b"PK\x03\x04 not really"))
    assert excinfo.value.code == "not_an_archive"


def test_real_office_files_pass():
    archive_check(workbook(["a", "b"], [[1, 2]] * 500))
    archive_check(document(["一、岗位职责", "1、负责营业厅的日常管理。"] * 200))


def _stored(name: str, content: bytes):
    """A stored file as a model's FileField gives it (in the test storage)."""
    from django.core.files.storage import default_storage
    from django.db.models.fields.files import FieldFile

    class _Field:
        storage = default_storage

    path = default_storage.save(f"tests/{name}", ContentFile(content))
    fieldfile = FieldFile(None, _Field(), path)
    return fieldfile


def test_an_image_is_served_inline_with_its_type_from_the_name_and_nosniff():
    response = file_response(_stored("photo.png", PNG), filename="门店照片.png")
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == PNG


@pytest.mark.parametrize("name", ["验收单.pdf", "page.html", "drawing.svg", "notes.txt", "noext"])
def test_anything_but_a_plain_image_is_downloaded_not_shown(name):
    response = file_response(_stored("f", b"<script>alert(1)</script>"), filename=name)
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


# --- No media route ---------------------------------------------------------------------------


def _reload_urls():
    import config.urls

    importlib.reload(config.urls)
    clear_url_caches()


@pytest.mark.django_db
def test_an_uploaded_file_is_not_served_from_media_url_even_with_debug_on(tmp_path, store, clerk):
    """`make run` has DEBUG on: a customer's file stays behind its permission-checked view."""
    from apps.customers.services import attachment_add
    from tests.factories import customers as f

    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    try:
        with override_settings(DEBUG=True, MEDIA_ROOT=str(tmp_path), STORAGES=storages):
            _reload_urls()
            customer = f.customer(store)
            attachment = attachment_add(
                customer=customer, upload=SimpleUploadedFile("身份证.png", PNG), by=clerk
            )
            assert (tmp_path / attachment.file.name).read_bytes() == PNG  # a real file on disk
            with pytest.raises(Resolver404):
                resolve("/media/" + attachment.file.name)
            assert Client().get("/media/" + attachment.file.name).status_code == 404
    finally:
        _reload_urls()
