import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("dutydesk")
# Every CELERY_* setting in Django's settings configures Celery (the beat schedule lives there too).
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
