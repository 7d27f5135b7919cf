"""Reading role descriptions: the text of an upload, and the positions it describes.

The reader itself is `apps/roles/reading/` (split → classify → assemble); this module keeps the
entry points the views use.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from docx import Document

from apps.uploads import archive_check

from .reading import ParsedArea, ParsedDescription, ParsedDocument, ParsedKpi, ParsedTask, parse_document

__all__ = [
    "ParsedArea",
    "ParsedDescription",
    "ParsedDocument",
    "ParsedKpi",
    "ParsedTask",
    "description_check",
    "docx_text",
    "parse_document",
    "parse_text",
    "read_upload",
]


def parse_text(text: str) -> list[ParsedDescription]:
    """The positions a description describes: one per post (a 行政部 page may describe three)."""
    return parse_document(text).positions


def _too_long() -> ValidationError:
    return ValidationError(
        _(
            "A role description may have at most %(chars)s characters and %(lines)s lines; "
            "this one is longer. Import one position at a time."
        ),
        code="too_long",
        params={"chars": settings.ROLES_IMPORT_MAX_CHARS, "lines": settings.ROLES_IMPORT_MAX_LINES},
    )


def description_check(text: str) -> str:
    """A role description within ROLES_IMPORT_MAX_CHARS characters and ROLES_IMPORT_MAX_LINES lines
    (a real one has a few thousand characters); ValidationError otherwise."""
    if len(text) > settings.ROLES_IMPORT_MAX_CHARS or text.count("\n") >= settings.ROLES_IMPORT_MAX_LINES:
        raise _too_long()
    return text


def docx_text(file) -> str:
    """The text of a .docx, paragraphs and table rows in document order.

    The archive is checked before python-docx opens it, and reading stops once the text is longer
    than a role description may be (ValidationError)."""
    archive_check(file, max_bytes=settings.ROLES_IMPORT_MAX_DOCX_BYTES)
    document = Document(file)
    max_chars, max_lines = settings.ROLES_IMPORT_MAX_CHARS, settings.ROLES_IMPORT_MAX_LINES
    lines: list[str] = []
    size = 0
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
        elif tag == "tbl":
            for row in child.iter():
                if row.tag.endswith("}tr"):
                    cells = []
                    for cell in row.iterchildren():
                        if cell.tag.endswith("}tc"):
                            cells.append("".join(t.text or "" for t in cell.iter() if t.tag.endswith("}t")))
                    lines.append(" ".join(c for c in cells if c))
        else:
            continue
        size += len(lines[-1]) + 1
        if size > max_chars + 1 or len(lines) > max_lines:
            raise _too_long()
    return "\n".join(lines)


def read_upload(upload) -> str:
    """The text of an uploaded .docx or .txt role description (ValidationError when it is too large
    or unreadable)."""
    name = (upload.name or "").lower()
    if name.endswith(".docx"):
        try:
            return description_check(docx_text(upload))
        except ValidationError:
            raise
        except Exception as exc:  # python-docx on a damaged file: the user's error, not a 500
            raise ValidationError(_("This file could not be read."), code="unreadable") from exc
    # Four bytes cover any character in UTF-8 or GB18030: a larger file has too many characters.
    if upload.size is not None and upload.size > 4 * settings.ROLES_IMPORT_MAX_CHARS:
        raise _too_long()
    raw = upload.read(4 * settings.ROLES_IMPORT_MAX_CHARS + 1)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return description_check(raw.decode(encoding))
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("This file could not be read."), code="unreadable")
