import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("dutydesk")
# Every CELERY_* setting in Django's settings configures Celery (the beat schedule lives there too).
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def _load_url_modules(**kwargs):
    """Import every URL module when a worker process starts, so that the first reminder batch
    (which builds links with `reverse()`) does not pay for it."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018
