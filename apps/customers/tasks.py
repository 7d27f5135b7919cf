from celery import shared_task

from .services import visits_flag_late_files


@shared_task
def flag_late_files_task():
    """Beat, every minute: the two-day rule (idempotent; flagged visits carry late_file_flagged_at)."""
    return visits_flag_late_files()
