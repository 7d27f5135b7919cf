from celery import shared_task

from .engine import followups_generate
from .reminders import followups_tick, reminders_dispatch


@shared_task(name="apps.followups.tasks.followups_tick_task", ignore_result=True)
def followups_tick_task() -> None:
    followups_tick()


@shared_task(name="apps.followups.tasks.generate_followups_task", ignore_result=True)
def generate_followups_task() -> None:
    followups_generate()


@shared_task(name="apps.followups.tasks.dispatch_reminders_task", ignore_result=True)
def dispatch_reminders_task() -> None:
    reminders_dispatch()
