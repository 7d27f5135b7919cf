"""HTML → A4 PDF with WeasyPrint, with the CJK font embedded where the text is Chinese.

Every printed template extends `pdf/base.html`, whose CSS names `CJK_FONT_STACK` in every
font-family list and numbers the pages 第 x 页 / 共 y 页. A document with no CJK character in it is
set in a Latin font (DejaVu Sans) and numbered "x / y" instead, so that it does not carry the CJK
fonts (about 150 KB). Fonts are subset with HarfBuzz (Debian's `libharfbuzz-subset0`); without it
WeasyPrint falls back to the much slower fontTools.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.encoding import escape_uri_path

CJK_FONT_STACK = '"Noto Sans CJK SC", "Noto Serif CJK SC", "Noto Sans CJK", sans-serif'
LATIN_FONT_STACK = '"DejaVu Sans", sans-serif'
# The page numbers as pdf/base.html writes them, and their language-neutral form.
CJK_PAGE_COUNTER = '"第 " counter(page) " 页 / 共 " counter(pages) " 页"'
LATIN_PAGE_COUNTER = 'counter(page) " / " counter(pages)'
_FONT_STACK_TOKEN = "DUTYDESK_PDF_FONT_STACK"
# CJK radicals, kana, ideographs, compatibility ideographs, CJK and full-width punctuation.
CJK_TEXT = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")


def pdf_html(template_name: str, context: dict | None = None, *, request=None) -> str:
    """The document's HTML, with the CJK fonts named only if it has CJK text."""
    html = render_to_string(
        template_name, {"CJK_FONT_STACK": _FONT_STACK_TOKEN, **(context or {})}, request=request
    )
    if CJK_TEXT.search(html.replace(CJK_PAGE_COUNTER, "")):
        return html.replace(_FONT_STACK_TOKEN, CJK_FONT_STACK)
    return html.replace(_FONT_STACK_TOKEN, LATIN_FONT_STACK).replace(CJK_PAGE_COUNTER, LATIN_PAGE_COUNTER)


def render_pdf(template_name: str, context: dict | None = None, *, request=None) -> bytes:
    # WeasyPrint loads Pango on import: keep it out of the start-up of every process.
    from weasyprint import HTML

    html = pdf_html(template_name, context, request=request)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def render_pdf_book(parts: list[tuple[str, dict]], *, request=None, progress=None) -> bytes:
    """Several documents as one PDF: each part rendered alone, then their pages joined in order."""
    from weasyprint import HTML

    documents = []
    for i, (template_name, context) in enumerate(parts, start=1):
        html = pdf_html(template_name, context, request=request)
        documents.append(HTML(string=html, base_url=str(settings.BASE_DIR)).render())
        if progress:
            progress(i, len(parts))
    if not documents:
        return render_pdf("pdf/empty.html", {}, request=request)
    pages = [page for doc in documents for page in doc.pages]
    return documents[0].copy(pages).write_pdf()


def pdf_response(pdf: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{escape_uri_path(filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response
