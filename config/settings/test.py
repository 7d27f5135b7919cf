"""The test suite: DATABASE_URL / REDIS_URL select the real servers; SQLite in memory otherwise."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY", default="test-only-insecure-key-not-for-production-use-0123456789")
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run inline unless a test talks to the broker itself.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# Two-factor sign-in is off for every tier in tests that sign in with force_login; the tests of
# two-factor itself turn it on with settings.MFA_REQUIRED_TIERS.
MFA_REQUIRED_TIERS = []
# The walks make hundreds of API requests as one person; the throttle's own test sets a low rate.
API_THROTTLE_RATE = "100000/min"
