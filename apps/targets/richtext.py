"""Markdown prose in target plans, rendered to sanitised HTML.

Raw HTML typed into a field is shown as text (the Markdown parser's HTML handling is switched off), and
whatever HTML the parser produces passes through an allow-list (nh3) before it reaches a page or a PDF.
Headings start at h3 so that a plan's own `#` never outranks the page's section headings.
"""

from __future__ import annotations

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "blockquote",
    "code",
}
HEADING_SHIFT = 2


class _ShiftHeadings(Treeprocessor):
    def run(self, root):
        for element in root.iter():
            if len(element.tag) == 2 and element.tag[0] == "h" and element.tag[1].isdigit():
                element.tag = f"h{min(int(element.tag[1]) + HEADING_SHIFT, 6)}"


class _PlainTextOnly(Extension):
    """No raw HTML from the author: the parser escapes it instead of passing it through."""

    def extendMarkdown(self, md):
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_ShiftHeadings(md), "shift_headings", 5)


def _parser() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=["tables", "sane_lists", "nl2br", _PlainTextOnly()],
        output_format="html",
    )


def render_markdown(text: str | None) -> SafeString:
    """Sanitised HTML for Markdown `text`; an empty string for empty input."""
    if not text or not text.strip():
        return mark_safe("")
    html = _parser().convert(text)
    return mark_safe(nh3.clean(html, tags=ALLOWED_TAGS, attributes={}, link_rel=None))
