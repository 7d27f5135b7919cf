from celery import shared_task

from .escalating import tickets_escalate_due


@shared_task
def escalate_tickets_task():
    """Beat, every minute: warnings before the answer deadline, escalations after it (idempotent)."""
    return tickets_escalate_due()
