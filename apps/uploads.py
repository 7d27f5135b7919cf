"""Files people upload: checked before they are opened, and served back only through views.

- `archive_check(upload)`: an .xlsx or .docx is a zip archive whose members may unpack to far more
  than the upload's size (a "zip bomb"). The archive's directory is read (cheap: no member is
  unpacked) and the file is refused, with a translatable message, when it has more than
  `UPLOADS_ARCHIVE_MAX_MEMBERS` members, a large member is packed more tightly than
  `UPLOADS_ARCHIVE_MAX_RATIO` : 1, or its members unpack to more than `UPLOADS_ARCHIVE_MAX_BYTES`. Call it
  before openpyxl or python-docx see the file. Python's zipfile never returns more bytes than a
  member's recorded size, so the recorded sizes bound what the readers get.
- `file_response(fieldfile, filename=...)`: a stored file streamed by a view that has already
  checked the user may see the owning object. Images that browsers show safely are served inline,
  everything else as an attachment; the content type comes from the file name, never from what
  the uploader claimed, and `X-Content-Type-Options: nosniff` stops the browser from guessing.
  Files are never served from `MEDIA_URL`: there is no such route.
"""

from __future__ import annotations

import mimetypes
import zipfile
from pathlib import Path

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

# Members smaller than this cannot hurt, however tightly they are packed (styles.xml of an empty
# .docx is packed about 30 : 1).
_RATIO_FLOOR_BYTES = 1024 * 1024
# Served inline: raster images a browser renders without running anything. SVG (scripts) and PDF
# (a viewer with scripts of its own) are downloaded instead.
INLINE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})


def archive_check(upload, *, max_bytes: int | None = None) -> None:
    """Refuse an .xlsx / .docx whose members would unpack too large, before anything opens it.

    Raises ValidationError (the user's message); leaves the upload's position at its start.
    """
    max_bytes = max_bytes or settings.UPLOADS_ARCHIVE_MAX_BYTES
    max_ratio = settings.UPLOADS_ARCHIVE_MAX_RATIO
    max_members = settings.UPLOADS_ARCHIVE_MAX_MEMBERS
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ValidationError(
            _("This file is damaged or is not an Office file (.xlsx / .docx)."), code="not_an_archive"
        ) from exc
    finally:
        upload.seek(0)
    if len(members) > max_members:
        raise ValidationError(
            _("This file has more than %(n)s parts; it was not opened."),
            code="too_many_members",
            params={"n": max_members},
        )
    for m in members:
        if m.file_size > _RATIO_FLOOR_BYTES and m.file_size > max_ratio * max(m.compress_size, 1):
            raise ValidationError(
                _("This file is packed suspiciously tightly (a “zip bomb”); it was not opened."),
                code="zip_bomb",
            )
    total = sum(m.file_size for m in members)
    if total > max_bytes:
        raise ValidationError(
            _("This file unpacks to more than %(mb)s MB; it was not opened. Split it into smaller files."),
            code="too_large_unpacked",
            params={"mb": max_bytes // (1024 * 1024)},
        )


def file_response(fieldfile, *, filename: str | None = None) -> FileResponse:
    """Stream a stored file to a user the calling view has already authorised (404 if it is gone)."""
    if not fieldfile:
        raise Http404
    filename = filename or Path(fieldfile.name).name
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    try:
        handle = fieldfile.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=content_type not in INLINE_TYPES,
        filename=filename,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Whatever a browser makes of the file, it runs nothing in DutyDesk's origin.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


class StoredFileAdmin(admin.ModelAdmin):
    """The Django admin of a model with an uploaded file: the file is linked through the download
    view that checks who may see it (`download_url`), never by its storage URL, and files are
    attached on the owning object's page, not here."""

    exclude = ["file"]
    readonly_fields = ["download", "size", "content_type"]

    def has_add_permission(self, request):
        return False

    def download_url(self, obj) -> str:
        raise NotImplementedError

    @admin.display(description=_lazy("file"))
    def download(self, obj):
        if not obj.pk:
            return "—"
        return format_html('<a href="{}">{}</a>', self.download_url(obj), obj.name)
