from .models import PrintJob


def print_jobs_waiting_count() -> int:
    """Print jobs queued or running: an operator's gauge."""
    return PrintJob.objects.filter(state__in=[PrintJob.State.QUEUED, PrintJob.State.RUNNING]).count()
