"""HTML → A4 PDF with WeasyPrint, with the CJK font embedded.

Every printed template extends `pdf/base.html`, whose CSS names the Noto CJK fonts (Debian's
`fonts-noto-cjk`) in every font-family list and numbers the pages 第 x 页 / 共 y 页.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.encoding import escape_uri_path

CJK_FONT_STACK = '"Noto Sans CJK SC", "Noto Serif CJK SC", "Noto Sans CJK", sans-serif'


def render_pdf(template_name: str, context: dict | None = None, *, request=None) -> bytes:
    # WeasyPrint loads Pango on import: keep it out of the start-up of every process.
    from weasyprint import HTML

    html = render_to_string(
        template_name, {"CJK_FONT_STACK": CJK_FONT_STACK, **(context or {})}, request=request
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def render_pdf_book(parts: list[tuple[str, dict]], *, request=None, progress=None) -> bytes:
    """Several documents as one PDF: each part rendered alone, then their pages joined in order."""
    from weasyprint import HTML

    documents = []
    for i, (template_name, context) in enumerate(parts, start=1):
        html = render_to_string(template_name, {"CJK_FONT_STACK": CJK_FONT_STACK, **context}, request=request)
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
