from celery import shared_task

from .services import heartbeat_record


@shared_task(name="apps.health.tasks.heartbeat_task", ignore_result=True)
def heartbeat_task() -> None:
    heartbeat_record(name="beat")
