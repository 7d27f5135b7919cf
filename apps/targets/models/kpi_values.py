"""KPI values entered by hand, and the monthly snapshots of every computed KPI."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.org.access import ScopedQuerySet
from apps.org.models import Store

from ..kpis import validate_kpi_key


class ManualKpiValue(models.Model):
    """A KPI value typed in (e.g. the manufacturer's CSI score), with who entered it and when."""

    kpi_key = models.CharField(_("KPI"), max_length=60, validators=[validate_kpi_key])
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+", verbose_name=_("store"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    month = models.DateField(_("month"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    note = models.CharField(_("source / note"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("entered by")
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("manual KPI value")
        verbose_name_plural = _("manual KPI values")
        ordering = ["-month", "kpi_key"]
        indexes = [models.Index(fields=["kpi_key", "store", "month"])]

    def __str__(self):
        return f"{self.kpi_key} {self.store} {self.month:%Y-%m}: {self.value}"


class KpiSnapshot(models.Model):
    """A store's KPI value for a month, refreshed by the beat job so the dashboard reads one table."""

    kpi_key = models.CharField(_("KPI"), max_length=60, validators=[validate_kpi_key])
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+", verbose_name=_("store"))
    month = models.DateField(_("month"))
    numerator = models.DecimalField(_("numerator"), max_digits=16, decimal_places=2, null=True)
    denominator = models.DecimalField(_("denominator"), max_digits=16, decimal_places=2, null=True)
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2, null=True)
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("KPI snapshot")
        verbose_name_plural = _("KPI snapshots")
        constraints = [
            models.UniqueConstraint(fields=["store", "kpi_key", "month"], name="targets_snapshot_unique"),
        ]
        indexes = [models.Index(fields=["store", "month"])]

    def __str__(self):
        return f"{self.kpi_key} {self.store_id} {self.month:%Y-%m}"
