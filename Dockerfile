# DutyDesk production image: gunicorn serves the web; the same image runs the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH=/opt/venv/bin:$PATH

# gettext: compile translations; Pango + Noto CJK: WeasyPrint PDFs with Chinese text.
RUN apt-get update \
 && apt-get install -y --no-install-recommends gettext fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core curl \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
RUN pip install --no-cache-dir "uv==0.13.9"
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project

COPY . .
# Build-time only values: nothing here is used at run time.
RUN SECRET_KEY=build-only ALLOWED_HOSTS=localhost DUTYDESK_VAR_DIR=/tmp/build-var \
    sh -c "python manage.py compilemessages -v0 --ignore=.venv && python manage.py collectstatic --noinput -v0"

RUN useradd --system --uid 1000 --home /app dutydesk \
 && mkdir -p /app/var/media /tmp/prometheus && chown -R dutydesk /app/var /tmp/prometheus
USER dutydesk
EXPOSE 8000
# Metrics of every gunicorn worker summed (prometheus_client's multiprocess mode), from an empty folder.
ENV PROMETHEUS_MULTIPROC_DIR=/tmp/prometheus
CMD ["sh", "-c", "rm -rf \"$PROMETHEUS_MULTIPROC_DIR\" && mkdir -p \"$PROMETHEUS_MULTIPROC_DIR\" && exec gunicorn config.wsgi:application --bind 0.0.0.0:8000 --workers 3 --threads 2 --access-logfile -"]
