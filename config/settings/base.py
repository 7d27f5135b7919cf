"""Settings shared by every environment; all of it read from the environment (12-factor).

`local`, `production` and `test` only override what differs.
"""

import datetime as dt
import importlib.util
from pathlib import Path

import environ
from celery.schedules import crontab
from whitenoise.compress import Compressor

from config.sentry import sentry_init
from config.storage import media_storage

BASE_DIR = Path(__file__).resolve().parent.parent.parent
APPS_DIR = BASE_DIR / "apps"
VAR_DIR = Path(environ.Env().str("DUTYDESK_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
env.read_env(BASE_DIR / ".env", overwrite=False) if (BASE_DIR / ".env").exists() else None

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Internationalisation: Chinese first, English second.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# Each app keeps its own catalogue (apps/<app>/locale) next to its templates; the project's
# catalogue (templates/, config/, org, health) comes last so that makemessages files each
# string into the catalogue of the app it belongs to.
LOCALE_PATHS = [*sorted(APPS_DIR.glob("*/locale")), BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# Database: DATABASE_URL, or an SQLite file under var/ that web and worker can share.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'dutydesk.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while a writer writes; IMMEDIATE takes the write lock at BEGIN, so
    # the web process and the worker queue for it instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # The covering indexes made for PostgreSQL (INCLUDE columns) are plain indexes on SQLite; the
    # embedded default says so once here instead of on every command.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
# Behind PgBouncer in transaction mode (PGBOUNCER=true): a transaction may run on any server
# connection, so no server-side cursors (QuerySet.iterator) and no prepared statements.
PGBOUNCER = env.bool("PGBOUNCER", default=False)
if PGBOUNCER:
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = None
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

DJANGO_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.admin",
]
THIRD_PARTY_APPS = [
    "django_prometheus",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_filters",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "rest_framework",
    "drf_spectacular",
]
LOCAL_APPS = [
    "apps.org",
    "apps.health",
    "apps.printing",
    "apps.notifications",
    "apps.reports",
    "apps.roster",
    "apps.roles",
    "apps.checklists",
    "apps.handovers",
    "apps.customers",
    "apps.tickets",
    "apps.followups",
    "apps.targets",
    "apps.bankdesk",
    "apps.api",
    "apps.integrations",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

AUTH_USER_MODEL = "org.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in lockout (django-axes). The user name and the address lock independently: 5 failures on
# one user name from any addresses lock that user name; 5 failures from one address, whatever the
# user names, lock that address. Every password typed into a page goes through the same count
# (apps/org/passwords.py). A success does not reset the count: a reset would also clear the
# failures the same address made against other user names.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "apps.org.passwords.lockout_response"
# Behind a reverse proxy every request comes from the proxy: say how many proxies append to
# X-Forwarded-For, so that the lockout counts the client's address and not the proxy's.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "apps.org.passwords.client_address"
# Never stored in clear in axes' records of failed attempts.
AXES_SENSITIVE_PARAMETERS = [
    "username",
    "ip_address",
    "password",
    "old_password",
    "new_password1",
    "new_password2",
    "password1",
    "password2",
    "confirmer_password",
]
# Sessions end after SESSION_IDLE_TIMEOUT seconds without activity (background polling does not
# count) and SESSION_ABSOLUTE_TIMEOUT seconds after sign-in at most (apps/org/session_limits.py).
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_ABSOLUTE_TIMEOUT = env.int("SESSION_ABSOLUTE_TIMEOUT", default=12 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "apps.org.logs.RequestContextMiddleware",
    "apps.health.metrics.QueryCountMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # An expired session ends before anything else looks at the user (two-factor included).
    "apps.org.session_limits.SessionLimitMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "apps.org.two_factor.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    # Last, as axes' documentation asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.org.context_processors.navigation",
                "apps.notifications.context_processors.inbox",
            ],
        },
    }
]

# Two-factor sign-in (django-otp: TOTP apps, recovery codes): required for these role tiers
# (superusers and staff count as admin), available to everyone; apps/org/two_factor.py.
MFA_REQUIRED_TIERS = env.list("MFA_REQUIRED_TIERS", default=["admin", "manager"])
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="DutyDesk")
# Wrong codes wait factor × 2^(n-1) seconds before the next try, per device.
OTP_TOTP_THROTTLE_FACTOR = env.int("OTP_TOTP_THROTTLE_FACTOR", default=1)
OTP_STATIC_THROTTLE_FACTOR = env.int("OTP_STATIC_THROTTLE_FACTOR", default=1)
# The admin may remove a lost device (the owner then sets up again) but never reads its secret.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

STATIC_URL = "/static/"
STATIC_ROOT = env.str("STATIC_ROOT", default=str(VAR_DIR / "staticfiles"))
STATICFILES_DIRS: list[Path | tuple[str, Path]] = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(VAR_DIR / "media"))
# Uploaded files: MEDIA_ROOT, or S3-compatible storage shared by every replica (config/storage.py).
MEDIA_STORAGE_URL = env.str("MEDIA_STORAGE_URL", default="")
STORAGES = {
    "default": media_storage(MEDIA_STORAGE_URL),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Uploaded files are served only through views that check who may see them (no MEDIA_URL route).
# Imports: an .xlsx / .docx is refused before it is opened when its members unpack to more than
# UPLOADS_ARCHIVE_MAX_BYTES, a large member is packed tighter than MAX_RATIO : 1, or it has more
# than MAX_MEMBERS parts (apps/uploads.py).
UPLOADS_ARCHIVE_MAX_BYTES = env.int("UPLOADS_ARCHIVE_MAX_BYTES", default=60 * 1024 * 1024)
UPLOADS_ARCHIVE_MAX_RATIO = env.int("UPLOADS_ARCHIVE_MAX_RATIO", default=100)
UPLOADS_ARCHIVE_MAX_MEMBERS = env.int("UPLOADS_ARCHIVE_MAX_MEMBERS", default=1000)
# The customer import: at most MAX_ROWS rows per sheet; above BACKGROUND_ROWS the dry run and the
# import run as a background job with a progress bar (the printing app's jobs).
CUSTOMERS_IMPORT_MAX_ROWS = env.int("CUSTOMERS_IMPORT_MAX_ROWS", default=20_000)
CUSTOMERS_IMPORT_BACKGROUND_ROWS = env.int("CUSTOMERS_IMPORT_BACKGROUND_ROWS", default=2_000)
# Positions: rows of the Excel import; characters and lines of a role description (.docx / .txt /
# pasted), whose .docx may also unpack to at most ROLES_IMPORT_MAX_DOCX_BYTES.
ROLES_IMPORT_MAX_ROWS = env.int("ROLES_IMPORT_MAX_ROWS", default=2_000)
ROLES_IMPORT_MAX_CHARS = env.int("ROLES_IMPORT_MAX_CHARS", default=50_000)
ROLES_IMPORT_MAX_LINES = env.int("ROLES_IMPORT_MAX_LINES", default=2_000)
ROLES_IMPORT_MAX_DOCX_BYTES = env.int("ROLES_IMPORT_MAX_DOCX_BYTES", default=10 * 1024 * 1024)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: EMAIL_URL (smtp://, consolemail://, ...); the console by default.
_email = env.email("EMAIL_URL", default="consolemail://")
vars().update(_email)
if _email["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend":
    # One INFO line per message instead of the whole message printed (at WARNING in the worker).
    EMAIL_BACKEND = "apps.notifications.mail.LogEmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="DutyDesk <noreply@dutydesk.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis when REDIS_URL / CELERY_BROKER_URL is given, otherwise kombu's filesystem
# transport under var/, which needs no server and is shared by the web, worker and beat processes.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),  # not ./control in whatever folder it runs from
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# The one place where periodic work is scheduled. Every job is idempotent and claims its rows in
# the database, so a missed or doubled tick does no harm.
CELERY_BEAT_SCHEDULE = {
    "health-heartbeat": {"task": "apps.health.tasks.heartbeat_task", "schedule": crontab()},
    "checklists-tick": {"task": "apps.checklists.tasks.checklists_tick_task", "schedule": crontab()},
    "customers-flag-late-files": {"task": "apps.customers.tasks.flag_late_files_task", "schedule": crontab()},
    "tickets-escalate": {"task": "apps.tickets.tasks.escalate_tickets_task", "schedule": crontab()},
    "followups-tick": {"task": "apps.followups.tasks.followups_tick_task", "schedule": crontab()},
    "followups-generate": {
        "task": "apps.followups.tasks.generate_followups_task",
        "schedule": crontab(minute="*/15"),
    },
    "bankdesk-password-reminders": {
        "task": "apps.bankdesk.tasks.password_reminders_task",
        "schedule": crontab(minute=5, hour=8),
    },
    "targets-kpi-snapshots": {
        "task": "apps.targets.tasks.refresh_kpi_snapshots_task",
        "schedule": crontab(minute="*/5"),
    },
    "integrations-outbox": {"task": "apps.integrations.tasks.outbox_deliver_task", "schedule": crontab()},
}

# LOG_FORMAT=json: one JSON object a line with time, level, logger, request id, user id and store.
LOG_FORMAT = env.str("LOG_FORMAT", default="plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "context": {"()": "apps.org.logs.ContextFilter"},
        "quiet_forbidden": {"()": "apps.org.logs.QuietForbidden"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "apps.org.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["context", "quiet_forbidden"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own console handler (DEBUG only) printed every record a second time, a refused
        # request with its traceback: the root handler above writes each record once.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # A 403 is routine: one line, no traceback, for every handler (the filter sits on the
        # logger, so the record is stripped before any handler, or a test, sees it).
        "django.request": {"filters": ["quiet_forbidden"]},
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
# The worker logs through the configuration above (JSON too), not Celery's own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_WORKER_REDIRECT_STDOUTS_LEVEL = "INFO"

# Operations: /metrics for a bearer token or from these addresses; /healthz answers 503 past these.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
METRICS_ALLOWED_ADDRESSES = env.list("METRICS_ALLOWED_ADDRESSES", default=["127.0.0.1", "::1"])
HEALTH_MAX_REMINDER_LAG = env.int("HEALTH_MAX_REMINDER_LAG", default=15 * 60)  # seconds
HEALTH_MAX_OUTBOX = env.int("HEALTH_MAX_OUTBOX", default=1000)
HEALTH_MAX_BEAT_AGE = env.int("HEALTH_MAX_BEAT_AGE", default=None)  # seconds; unset: reported only

# Where the run command serves DutyDesk; used in messages such as seed_demo's sign-in hints.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="demo1234")

# Outbound webhooks (apps/integrations): public https:// addresses only, unless this is set (a
# development machine posting to a receiver on localhost); each POST waits at most this long.
INTEGRATIONS_ALLOW_PRIVATE_URLS = env.bool("INTEGRATIONS_ALLOW_PRIVATE_URLS", default=False)
INTEGRATIONS_TIMEOUT_SECONDS = env.float("INTEGRATIONS_TIMEOUT_SECONDS", default=10.0)

# Errors to Sentry (web and worker) when SENTRY_DSN is set; nothing is sent otherwise.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
SENTRY_ENABLED = sentry_init(
    dsn=SENTRY_DSN,
    environment=env.str("SENTRY_ENVIRONMENT", default="production"),
    release=env.str("SENTRY_RELEASE", default=""),
    traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
)

# Response headers (#10). Both middlewares sit right after WhiteNoise (static files are answered
# before them), so they also mark the responses that later middleware returns early.
# - Content-Security-Policy (django-csp 4), in every environment so that the tests and the browser
#   suite run under it: scripts only from DutyDesk's own static files (no inline script, no eval,
#   no CDN); inline styles stay allowed for style="" attributes and the org chart's SVG <style>;
#   images also from data: (Bootstrap's icons in CSS) and blob: (the org chart's PNG download).
# - Permissions-Policy and no-store for signed-in pages: apps/org/response_headers.py.
INSTALLED_APPS += ["csp"]
_after_static = MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1
MIDDLEWARE[_after_static:_after_static] = [
    "csp.middleware.CSPMiddleware",
    "apps.org.response_headers.ResponseHeadersMiddleware",
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Browser features no page of DutyDesk uses: switched off for every page (an empty list). Only
# features Chromium knows: an unknown one is an error in the browser's console.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
    )
}

# The REST API (apps/api, #16): Django REST framework, JSON only. Personal tokens (Bearer) or the
# browser's session (with CSRF); the capability of each action as on the pages; errors as JSON in
# the caller's language; API_THROTTLE_RATE requests per token (per person on a session).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.api.authentication.TokenAuthentication",
        "apps.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["apps.api.throttling.TokenRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser", "rest_framework.parsers.FormParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "apps.api.errors.exception_handler",
    "DEFAULT_VERSIONING_CLASS": None,
}
API_THROTTLE_RATE = env.str("API_THROTTLE_RATE", default="120/min")
# The OpenAPI document (/api/schema/, in the caller's language) and Swagger UI (/api/docs/) served
# from DutyDesk's own static files (drf-spectacular-sidecar): no CDN, within the CSP above.
# Only Swagger UI's files of the sidecar are collected (not its 5 MB ReDoc bundle), at the address
# drf-spectacular links to; source maps are served as they are, not compressed at every build.
_sidecar = importlib.util.find_spec("drf_spectacular_sidecar")
if _sidecar is not None and _sidecar.origin:
    STATICFILES_DIRS.append(
        (
            "drf_spectacular_sidecar/swagger-ui-dist",
            Path(_sidecar.origin).parent / "static" / "drf_spectacular_sidecar" / "swagger-ui-dist",
        )
    )
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]
SPECTACULAR_SETTINGS = {
    "TITLE": "DutyDesk API",
    "DESCRIPTION": "岗位服务台 DutyDesk: tickets, customers, follow-ups, checklists, handovers, positions, KPIs.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/",
    # One name per choice set (several models have a `kind` or a `state`).
    "ENUM_NAME_OVERRIDES": {
        "TicketKindEnum": "apps.tickets.models.Ticket.Kind",
        "TicketStateEnum": "apps.tickets.models.Ticket.State",
        "TicketPriorityEnum": "apps.tickets.models.Ticket.Priority",
        "TicketEventKindEnum": "apps.tickets.models.TicketEvent.Kind",
        "CustomerKindEnum": "apps.customers.models.Customer.Kind",
        "ChannelEnum": "apps.customers.models.Customer.Channel",
        "FollowUpStateEnum": "apps.followups.models.FollowUp.State",
        "FollowUpPriorityEnum": "apps.followups.models.Priority",
        "ChecklistRunStateEnum": "apps.checklists.models.RunState",
        "ChecklistItemKindEnum": "apps.checklists.models.ItemKind",
        "HandoverStateEnum": "apps.handovers.models.HandoverState",
    },
}
