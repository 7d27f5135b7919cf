from celery import shared_task

from .services import snapshot_refresh_due


@shared_task
def refresh_kpi_snapshots_task():
    """Beat job: recompute the KPI snapshot table (idempotent upserts keyed by store, KPI and month)."""
    return snapshot_refresh_due()
