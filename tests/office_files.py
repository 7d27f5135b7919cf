"""Office files built in the test: a real .xlsx / .docx, and "zip bombs" that look like one.

A zip bomb here is a few kB on disk whose member unpacks to many MB of zeros (deflate packs a long
run of zeros about 1000 : 1), named like the parts of an .xlsx or .docx.
"""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

XLSX_PARTS = ("[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels")
DOCX_PARTS = ("[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels")


def zip_bomb(name: str, *, bomb_member: str, other_members=(), unpacked_mb: int = 20) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for member in other_members:
            archive.writestr(member, "<x/>")
        with archive.open(bomb_member, "w", force_zip64=True) as fh:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(unpacked_mb):
                fh.write(chunk)
    return SimpleUploadedFile(name, buffer.getvalue())


def xlsx_bomb(name: str = "客户.xlsx", **kwargs) -> SimpleUploadedFile:
    return zip_bomb(name, bomb_member="xl/worksheets/sheet1.xml", other_members=XLSX_PARTS, **kwargs)


def docx_bomb(name: str = "岗位职责.docx", **kwargs) -> SimpleUploadedFile:
    return zip_bomb(name, bomb_member="word/document.xml", other_members=DOCX_PARTS, **kwargs)


def workbook(header: list, rows: list[list], name: str = "import.xlsx") -> SimpleUploadedFile:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def document(paragraphs: list[str], name: str = "岗位职责.docx") -> SimpleUploadedFile:
    from docx import Document

    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    buffer = io.BytesIO()
    doc.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())
