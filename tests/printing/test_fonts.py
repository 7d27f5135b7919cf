"""Which fonts a printed document carries, and how they are subset."""

import io
import logging

from pypdf import PdfReader

from apps.printing.documents import render_pdf


def _font_names(pdf: bytes) -> set[str]:
    """The base font names of every font the PDF's pages use (pypdf)."""
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.get_object().values():
            names.add(str(ref.get_object()["/BaseFont"]))
    return names


def test_latin_only_document_does_not_embed_the_cjk_fonts():
    """A document without a CJK character (page numbers included) is set in a Latin font only."""
    pdf = render_pdf("pdf/base.html", {})
    names = _font_names(pdf)
    assert names, "the page numbers need a font"
    assert not [n for n in names if "CJK" in n], names


def test_chinese_document_embeds_the_cjk_font():
    """The forbidden path: a document with Chinese text still carries the CJK font."""
    names = _font_names(render_pdf("pdf/empty.html", {}))
    assert [n for n in names if "CJK" in n], names


class _Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def test_fonts_are_subset_with_harfbuzz_not_fonttools():
    """libharfbuzz-subset0 is installed and WeasyPrint uses it (no fontTools fallback warning)."""
    from weasyprint.text.ffi import harfbuzz_subset

    assert harfbuzz_subset is not None, "install Debian's libharfbuzz-subset0 (scripts/bootstrap.sh)"
    records = _Records()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(records)
    try:
        render_pdf("pdf/empty.html", {})
    finally:
        logger.removeHandler(records)
    assert not [m for m in records.messages if "fontTools" in m], records.messages
