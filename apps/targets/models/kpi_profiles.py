"""The KPI profile of each store kind: which catalogue KPIs a kind of outlet is measured by, in what
order, and their default monthly targets. Data an admin edits (`/targets/kpis/profiles/`), seeded from
the source documents by migration 0006; no target lives in the code of a formula."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.org.models import StoreKind


class KindKpi(models.Model):
    """One KPI of a store kind's profile. The key may name a formula another app has not registered
    yet (the bank's desk registers its own): every reader skips such a row until it exists."""

    kind = models.CharField(_("store kind"), max_length=20, choices=StoreKind)
    kpi_key = models.CharField(_("KPI"), max_length=60)
    target = models.DecimalField(
        _("default monthly target"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Used where no signed responsibility letter sets one; empty: no target."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("store-kind KPI")
        verbose_name_plural = _("store-kind KPIs")
        ordering = ["kind", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["kind", "kpi_key"], name="targets_kindkpi_unique")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.kpi_key}"
