"""Prometheus metrics at `/metrics`: requests and latency by view (django-prometheus), database
queries by view, and DutyDesk's own gauges (`gauges.py`). Closed to the public: a bearer token
(`METRICS_TOKEN`) or an allowed address (`METRICS_ALLOWED_ADDRESSES`, addresses or networks)."""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os

from django.conf import settings
from django.db import connections
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

from .gauges import read_gauges

log = logging.getLogger(__name__)

QUERIES = Counter("dutydesk_db_queries_total", "Database queries, by view", ["view"])
QUERIES_PER_REQUEST = Histogram(
    "dutydesk_db_queries_per_request",
    "Database queries a request made, by view",
    ["view"],
    buckets=(1, 2, 5, 10, 15, 20, 30, 50, 100, 200),
)


class GaugeCollector:
    """Reads every registered gauge at scrape time; a gauge that fails is left out, not fatal."""

    def describe(self):
        # Registering asks a collector for its names; without this it would collect, i.e. query
        # the database while the apps are still loading.
        return []

    def collect(self):
        for spec, value in read_gauges():
            if isinstance(value, Exception):
                log.error("gauge %s could not be read", spec.name, exc_info=value)
                continue
            family = GaugeMetricFamily(f"dutydesk_{spec.name}", spec.help)
            family.add_metric([], value)
            yield family


_collector = GaugeCollector()


def install_collector() -> None:
    """Once per process (AppConfig.ready)."""
    if _collector not in REGISTRY._collector_to_names:
        REGISTRY.register(_collector)


class QueryCountMiddleware:
    """Counts the database queries of each request and records them under the view's name."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = [0]

        def counting(execute, sql, params, many, context):
            count[0] += 1
            return execute(sql, params, many, context)

        with connections["default"].execute_wrapper(counting):
            response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match else "") or "<unresolved>"
        QUERIES.labels(view).inc(count[0])
        QUERIES_PER_REQUEST.labels(view).observe(count[0])
        return response


def _client_allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    auth = request.headers.get("Authorization", "")
    if token and auth.startswith("Bearer ") and hmac.compare_digest(auth[7:].strip(), token):
        return True
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    for allowed in settings.METRICS_ALLOWED_ADDRESSES:
        try:
            if address in ipaddress.ip_network(allowed, strict=False):
                return True
        except ValueError:
            continue
    return False


def _registry():
    """This process's registry; with several gunicorn workers (PROMETHEUS_MULTIPROC_DIR set), the
    counters of every worker summed, plus the gauges read now."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    registry.register(_collector)
    return registry


@never_cache
def metrics(request):
    if not _client_allowed(request):
        raise Http404  # nothing to see for the public, not even that the page exists
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)
