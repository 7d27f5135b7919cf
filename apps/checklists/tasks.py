from celery import shared_task

from . import services


@shared_task
def checklists_tick_task() -> dict:
    """Every minute: create due runs, mark late and missed runs, send reminders (all idempotent)."""
    return services.checklists_tick()
