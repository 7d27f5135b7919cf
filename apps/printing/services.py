from django.db import transaction
from django.utils import timezone

from .builders import get_builder
from .models import PrintJob


@transaction.atomic
def print_job_start(*, owner, builder: str, title: str, params: dict | None = None) -> PrintJob:
    get_builder(builder)  # unknown builders fail here, in the request, not later in the worker
    job = PrintJob.objects.create(owner=owner, builder=builder, title=title, params=params or {})
    from .tasks import build_print_job_task

    transaction.on_commit(lambda: build_print_job_task.delay(job.pk))
    return job


def print_job_build(*, job_id: int) -> PrintJob:
    job = PrintJob.objects.get(pk=job_id)
    if job.state == PrintJob.State.DONE:
        return job
    PrintJob.objects.filter(pk=job.pk).update(state=PrintJob.State.RUNNING)

    def progress(done: int, total: int) -> None:
        PrintJob.objects.filter(pk=job.pk).update(done_steps=done, total_steps=total)

    try:
        filename, pdf = get_builder(job.builder)(job=job, params=job.params, progress=progress)
    except Exception as exc:
        PrintJob.objects.filter(pk=job.pk).update(
            state=PrintJob.State.FAILED, error=f"{exc.__class__.__name__}: {exc}", finished_at=timezone.now()
        )
        raise
    PrintJob.objects.filter(pk=job.pk).update(
        state=PrintJob.State.DONE, filename=filename, pdf=pdf, finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job
