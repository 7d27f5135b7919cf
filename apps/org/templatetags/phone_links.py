"""Phone numbers as links that a phone dials: `{% tel_link number %}`, `{{ number|tel_uri }}`.

Only for numbers the person may see in full: a masked customer number is never a link (its digits
are only sent after "Show in full", which is logged; see customers/_revealed.html).
"""

import re

from django import template
from django.utils.html import format_html

register = template.Library()

_DIALLED = re.compile(r"[^\d+]")


@register.filter
def tel_uri(number) -> str:
    """ "+86 138-0000-0001" -> "tel:+8613800000001"; "" when there is nothing to dial."""
    digits = _DIALLED.sub("", str(number or ""))
    plus = digits.startswith("+")
    digits = digits.replace("+", "")
    return f"tel:{'+' if plus else ''}{digits}" if digits else ""


@register.simple_tag
def tel_link(number, css_class: str = ""):
    """The number as a tel: link (the number itself when it has no digits)."""
    uri = tel_uri(number)
    if not uri:
        return number or ""
    if css_class:
        return format_html('<a href="{}" class="{}">{}</a>', uri, css_class, number)
    return format_html('<a href="{}">{}</a>', uri, number)
