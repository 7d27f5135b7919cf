"""Writes of the checklists app, one module per concern; import them from here. A rule that says
no raises django's ValidationError, whose message is for the user.

- templates: a template saved from its page or made from a SOP proposal, items generated from the position's duties
- beat: the minute beat job (runs created, marked late or missed, reminders)
- answers: answering a run, the failed items it raises, completing it, resolving a failure
- report_duties: the weekly duty ticked by the store's weekly report when it is submitted
"""

from .answers import failure_resolve, item_answer, run_complete
from .beat import checklists_tick, reminders_send, runs_create_due, runs_mark_overdue
from .report_duties import report_duties_sync, report_duty_tick
from .templates import (
    template_from_proposal,
    template_items_generate,
    template_save,
    templates_generate_for_position,
)

__all__ = [
    "checklists_tick",
    "failure_resolve",
    "item_answer",
    "reminders_send",
    "report_duties_sync",
    "report_duty_tick",
    "run_complete",
    "runs_create_due",
    "runs_mark_overdue",
    "template_from_proposal",
    "template_items_generate",
    "template_save",
    "templates_generate_for_position",
]
