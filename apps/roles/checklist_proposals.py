"""Checklist templates proposed from a standard operating procedure (SOP) at import.

roles reads the SOP and proposes one template per part of the shift; checklists owns templates and
depends on roles, so it registers the maker in its AppConfig.ready() and roles never imports it:

    from apps.roles.checklist_proposals import register_template_maker

    def template_from_proposal(*, position, phase, items, user) -> str:  # the new template's URL
        ...

    register_template_maker(template_from_proposal)
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

# The parts of a shift a SOP names, the same values as checklists' Phase.
PHASE_LABELS = {
    "opening": _("Before opening (班前准备)"),
    "during": _("During business (营业中)"),
    "closing": _("After closing (班后收尾)"),
}

_maker: Callable[..., str] | None = None


def register_template_maker(maker: Callable[..., str]) -> None:
    global _maker
    _maker = maker


def can_make_templates() -> bool:
    return _maker is not None


def template_accept(*, position, phase: str, items: list[str], user) -> str:
    """Creates the proposed template through the registered maker; returns its URL ("" when none)."""
    if _maker is None or phase not in PHASE_LABELS:
        return ""
    items = [item.strip() for item in items if item.strip()]
    return _maker(position=position, phase=phase, items=items, user=user) if items else ""
