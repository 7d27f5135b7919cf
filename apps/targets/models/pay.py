"""Performance pay: schemes per position and store, and the monthly pay sheets (locked ones never change)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.org.access import ScopedQuerySet
from apps.org.models import Store

from .letters import ResponsibilityLetter
from .plans import Locked


class PayScheme(models.Model):
    class ScoreSource(models.TextChoices):
        LETTER = "letter", _("Weighted KPI attainment of the letter")
        ENTERED = "entered", _("Entered by the manager")

    class OutputScope(models.TextChoices):
        STORE = "store", _("Whole store")
        PERSON = "person", _("Own tickets")

    position = models.ForeignKey(
        "roles.Position", on_delete=models.PROTECT, related_name="pay_schemes", verbose_name=_("position")
    )
    store = models.ForeignKey(
        Store, on_delete=models.CASCADE, related_name="pay_schemes", verbose_name=_("store")
    )
    base = models.DecimalField(_("base pay"), max_digits=10, decimal_places=2)
    commission_rate = models.DecimalField(
        _("commission rate on output value"),
        max_digits=7,
        decimal_places=5,
        default=0,
        help_text=_("e.g. 0.005 for 0.5 %"),
    )
    output_scope = models.CharField(
        _("output value counted"), max_length=8, choices=OutputScope.choices, default=OutputScope.STORE
    )
    score_source = models.CharField(
        _("score source"), max_length=8, choices=ScoreSource.choices, default=ScoreSource.LETTER
    )
    daily_incentive = models.DecimalField(
        _("default daily incentives"), max_digits=10, decimal_places=2, default=0
    )
    minimum = models.DecimalField(_("minimum guarantee"), max_digits=10, decimal_places=2, default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pay scheme")
        verbose_name_plural = _("pay schemes")
        constraints = [models.UniqueConstraint(fields=["position", "store"], name="targets_scheme_unique")]

    def __str__(self):
        return f"{self.position} @ {self.store}"


class PaySheetQuerySet(ScopedQuerySet):
    store_lookup = "store"

    def visible_to(self, user):
        """A manager sees their stores' sheets; everyone else only their own."""
        from apps.org.access import stores_where

        if getattr(user, "is_superuser", False) and user.is_active:
            return self
        return self.filter(models.Q(store__in=stores_where(user, "pay.view_store")) | models.Q(user=user))


class PaySheet(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        LOCKED = "locked", _("Locked")

    store = models.ForeignKey(
        Store, on_delete=models.PROTECT, related_name="pay_sheets", verbose_name=_("store")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="pay_sheets",
        verbose_name=_("person"),
    )
    month = models.DateField(_("month"))
    scheme = models.ForeignKey(
        PayScheme, on_delete=models.PROTECT, related_name="sheets", verbose_name=_("pay scheme")
    )
    # PROTECT: deleting a draft letter must not rewrite a locked sheet behind its back.
    letter = models.ForeignKey(
        ResponsibilityLetter,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsibility letter"),
    )
    base = models.DecimalField(_("base pay"), max_digits=10, decimal_places=2)
    output_value = models.DecimalField(_("output value"), max_digits=14, decimal_places=2, default=0)
    commission_rate = models.DecimalField(_("commission rate"), max_digits=7, decimal_places=5, default=0)
    score = models.DecimalField(_("performance score"), max_digits=6, decimal_places=2, null=True, blank=True)
    score_entered = models.BooleanField(_("score entered by hand"), default=False)
    score_detail = models.JSONField(_("score detail"), default=list, blank=True)
    incentives = models.DecimalField(_("daily incentives"), max_digits=10, decimal_places=2, default=0)
    minimum = models.DecimalField(_("minimum guarantee"), max_digits=10, decimal_places=2, default=0)
    amount = models.DecimalField(_("pay"), max_digits=12, decimal_places=2, default=0)
    note = models.CharField(_("note"), max_length=200, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.DRAFT)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("locked by"),
    )
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)

    never_deleted = models.Q(state=State.LOCKED)

    objects = PaySheetQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pay sheet")
        verbose_name_plural = _("pay sheets")
        ordering = ["-month", "store__name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["store", "user", "month"], name="targets_paysheet_unique")
        ]
        indexes = [models.Index(fields=["store", "month"])]

    def __str__(self):
        return f"{self.user} {self.month:%Y-%m}"

    def save(self, *args, **kwargs):
        if self.pk:
            stored = PaySheet.objects.filter(pk=self.pk).values_list("state", flat=True).first()
            if stored == self.State.LOCKED:
                raise Locked(_("A locked pay sheet cannot be changed."))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("targets:pay_sheet", args=[self.pk])
