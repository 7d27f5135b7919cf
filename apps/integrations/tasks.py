from celery import shared_task

from .outbox import outbox_deliver


@shared_task(name="apps.integrations.tasks.outbox_deliver_task", ignore_result=True)
def outbox_deliver_task() -> None:
    outbox_deliver()
