from celery import shared_task

from . import services


@shared_task
def checklists_tick_task() -> dict:
    """Every minute: create due runs, mark late and missed runs, send reminders, tick the weekly
    duties whose report was already submitted (all idempotent)."""
    result = services.checklists_tick()
    result["reports"] = services.report_duties_sync()
    return result
