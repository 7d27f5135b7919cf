from django.db import transaction
from django.utils import timezone

from .builders import get_builder
from .models import PrintJob


@transaction.atomic
def print_job_start(
    *, owner, builder: str, title: str, params: dict | None = None, upload: bytes | None = None
) -> PrintJob:
    """Queue a job for the worker (once the caller's transaction commits); `upload` is the file an
    import job reads, kept on the job until it ends."""
    get_builder(builder)  # unknown builders fail here, in the request, not later in the worker
    job = PrintJob.objects.create(
        owner=owner, builder=builder, title=title, params=params or {}, upload=upload
    )
    from .tasks import build_print_job_task

    transaction.on_commit(lambda: build_print_job_task.delay(job.pk))
    return job


def print_job_build(*, job_id: int) -> PrintJob:
    job = PrintJob.objects.get(pk=job_id)
    if job.state in (PrintJob.State.DONE, PrintJob.State.FAILED):
        return job
    PrintJob.objects.filter(pk=job.pk).update(state=PrintJob.State.RUNNING)

    def progress(done: int, total: int) -> None:
        PrintJob.objects.filter(pk=job.pk).update(done_steps=done, total_steps=total)

    try:
        result = get_builder(job.builder)(job=job, params=job.params, progress=progress)
    except Exception as exc:
        PrintJob.objects.filter(pk=job.pk).update(
            state=PrintJob.State.FAILED,
            error=f"{exc.__class__.__name__}: {exc}",
            upload=None,
            finished_at=timezone.now(),
        )
        raise
    if isinstance(result, dict):  # a job that ends in a report
        output = {"report": result}
    else:
        filename, pdf = result
        output = {"filename": filename, "pdf": pdf}
    PrintJob.objects.filter(pk=job.pk).update(
        state=PrintJob.State.DONE, upload=None, finished_at=timezone.now(), **output
    )
    job.refresh_from_db()
    return job
