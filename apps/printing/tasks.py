from celery import shared_task

from .services import print_job_build


@shared_task(name="apps.printing.tasks.build_print_job_task", ignore_result=True)
def build_print_job_task(job_id: int) -> None:
    try:
        print_job_build(job_id=job_id)
    except Exception:
        # The failure is recorded on the job and shown to its owner; the task is not retried
        # because a print that failed once (bad data) fails again.
        return
