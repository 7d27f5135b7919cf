from celery import shared_task

from .services import password_reminders_send


@shared_task
def password_reminders_task():
    """Beat, every morning: remind tellers whose teller-card password is due (idempotent per due date)."""
    return password_reminders_send()
