"""Responsibility letters (目标责任书) and their KPI lines: a signed letter never changes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.org.access import ScopedQuerySet
from apps.org.models import Store

from ..kpis import validate_kpi_key
from .plans import Locked, TargetPlan


class LetterQuerySet(ScopedQuerySet):
    store_lookup = "store"


class ResponsibilityLetter(models.Model):
    """A 目标责任书: a snapshot of the position's revision for a named holder and period."""

    store = models.ForeignKey(
        Store, on_delete=models.PROTECT, related_name="target_letters", verbose_name=_("store")
    )
    position = models.ForeignKey(
        "roles.Position", on_delete=models.PROTECT, related_name="target_letters", verbose_name=_("position")
    )
    revision = models.ForeignKey(
        "roles.PositionRevision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("position revision"),
    )
    plan = models.ForeignKey(
        TargetPlan,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="letters",
        verbose_name=_("plan"),
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="target_letters",
        verbose_name=_("holder"),
    )
    issuer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("issuer (签发人)"),
    )
    number = models.CharField(_("document number"), max_length=40, unique=True)
    title = models.CharField(_("position title"), max_length=80)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    # Pre-filled from the revision, then frozen with the letter.
    relations = models.JSONField(_("relations"), default=dict, blank=True)
    appointment = models.TextField(_("appointment"), blank=True)
    summary = models.TextField(_("main task"), blank=True)
    duties = models.JSONField(_("main duties"), default=list, blank=True)
    near_term_tasks = models.TextField(_("near-term tasks"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    holder_signed_at = models.DateTimeField(_("signed by the holder at"), null=True, blank=True)
    issuer_signed_at = models.DateTimeField(_("signed by the issuer at"), null=True, blank=True)

    # Signed by either party: kept (half signed is already a commitment).
    never_deleted = models.Q(holder_signed_at__isnull=False) | models.Q(issuer_signed_at__isnull=False)

    objects = LetterQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("responsibility letter")
        verbose_name_plural = _("responsibility letters")
        ordering = ["-period_start", "title"]
        indexes = [
            models.Index(fields=["store", "period_start"]),
            models.Index(fields=["holder", "period_start"]),
        ]

    def __str__(self):
        return f"{self.number} {self.title} {self.holder}"

    def save(self, *args, **kwargs):
        if self.pk:
            stored = ResponsibilityLetter.objects.filter(pk=self.pk).first()
            if stored and stored.is_signed:
                raise Locked(_("A signed letter cannot be changed."))
            if stored and not stored.is_editable:
                # Half signed: only the missing signature may be added.
                for f in self._meta.concrete_fields:
                    if f.name in ("holder_signed_at", "issuer_signed_at"):
                        continue
                    if getattr(stored, f.attname) != getattr(self, f.attname):
                        raise Locked(_("A letter being signed cannot be changed."))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("targets:letter", args=[self.pk])

    def delete(self, *args, **kwargs):
        if self.holder_signed_at or self.issuer_signed_at:
            raise Locked(_("A signed letter cannot be deleted."))
        return super().delete(*args, **kwargs)

    @property
    def is_signed(self) -> bool:
        return bool(self.holder_signed_at and self.issuer_signed_at)

    @property
    def is_editable(self) -> bool:
        return not self.holder_signed_at and not self.issuer_signed_at


class LetterKpi(models.Model):
    letter = models.ForeignKey(
        ResponsibilityLetter, on_delete=models.CASCADE, related_name="kpis", verbose_name=_("letter")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    name = models.CharField(_("KPI"), max_length=120)
    kpi_key = models.CharField(_("catalogue KPI"), max_length=60, blank=True, validators=[validate_kpi_key])
    definition = models.TextField(_("definition"), blank=True)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    base = models.DecimalField(_("base target"), max_digits=14, decimal_places=2, null=True, blank=True)
    stretch = models.DecimalField(_("stretch target"), max_digits=14, decimal_places=2, null=True, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=0)
    higher_is_better = models.BooleanField(_("higher is better"), default=True)

    never_deleted = models.Q(letter__holder_signed_at__isnull=False) | models.Q(
        letter__issuer_signed_at__isnull=False
    )

    class Meta:
        verbose_name = _("letter KPI")
        verbose_name_plural = _("letter KPIs")
        ordering = ["letter", "order", "pk"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self._check_letter()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._check_letter()
        return super().delete(*args, **kwargs)

    def _check_letter(self):
        letter = ResponsibilityLetter.objects.filter(pk=self.letter_id).first()
        if letter and not letter.is_editable:
            raise Locked(_("A signed letter cannot be changed."))
