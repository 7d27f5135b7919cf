"""Running DutyDesk on a developer's machine: the embedded default (SQLite, no Redis)."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="local-only-insecure-key-not-for-production-use-0123456789")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["*"])

# `make run` shows web, worker and beat in one terminal. Celery's per-task lines (received,
# succeeded, sending due task: about twenty a minute) stay out of it, so that the URL and the demo
# sign-ins printed before them stay on screen; LOG_LEVEL=DEBUG shows them again.
if env.str("LOG_LEVEL", default="INFO").upper() != "DEBUG":
    for _name in ("celery.app.trace", "celery.worker.strategy", "celery.beat"):
        LOGGING["loggers"][_name] = {"level": "WARNING"}  # noqa: F405
