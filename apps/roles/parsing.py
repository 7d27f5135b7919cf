"""Reading role descriptions: the text of an upload, and the positions it describes.

The reader itself is `apps/roles/reading/` (split → classify → assemble); this module keeps the
entry points the views use.
"""

from __future__ import annotations

from docx import Document

from .reading import ParsedArea, ParsedDescription, ParsedDocument, ParsedKpi, ParsedTask, parse_document

__all__ = [
    "ParsedArea",
    "ParsedDescription",
    "ParsedDocument",
    "ParsedKpi",
    "ParsedTask",
    "docx_text",
    "parse_document",
    "parse_text",
    "read_upload",
]


def parse_text(text: str) -> list[ParsedDescription]:
    """The positions a description describes: one per post (a 行政部 page may describe three)."""
    return parse_document(text).positions


def docx_text(file) -> str:
    """The text of a .docx, paragraphs and table rows in document order."""
    document = Document(file)
    lines: list[str] = []
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
    return "\n".join(lines)


def read_upload(upload) -> str:
    name = (upload.name or "").lower()
    if name.endswith(".docx"):
        return docx_text(upload)
    raw = upload.read()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError("unreadable")
