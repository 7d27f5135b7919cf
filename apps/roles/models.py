"""Positions (岗位) and their revisions.

A `Position` is the stable identity (document number, department, reporting lines); everything
written in the 岗位说明书 lives on a `PositionRevision`, and every saved change is a new revision.
`Position.current_revision` points at the one in force.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from apps.org.models import Department, Organisation, Store, StoreKind


class Frequency(models.TextChoices):
    PER_SHIFT = "per_shift", _("Every shift")
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    AS_NEEDED = "as_needed", _("As needed")


class Position(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="positions", verbose_name=_("organisation")
    )
    code = models.CharField(_("document number"), max_length=40, unique=True)
    title = models.CharField(pgettext_lazy("position", "title"), max_length=80)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="positions",
        null=True,
        blank=True,
        verbose_name=_("department"),
    )
    store_kind = models.CharField(_("store kind"), max_length=20, choices=StoreKind.choices, blank=True)
    superiors = models.ManyToManyField(
        "self", symmetrical=False, related_name="subordinates", blank=True, verbose_name=_("direct superiors")
    )
    parallels = models.ManyToManyField(
        "self", symmetrical=True, blank=True, verbose_name=_("parallel relations")
    )
    current_revision = models.ForeignKey(
        "PositionRevision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current revision"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords(m2m_fields=[superiors])

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["department__name", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("roles:detail", args=[self.pk])


class PositionRevision(models.Model):
    position = models.ForeignKey(
        Position, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("position")
    )
    number = models.PositiveIntegerField(_("revision"))
    title = models.CharField(pgettext_lazy("position", "title"), max_length=80)
    summary = models.TextField(_("summary (岗位描述)"), blank=True)
    education = models.CharField(_("education"), max_length=200, blank=True)
    experience = models.CharField(_("experience"), max_length=200, blank=True)
    knowledge = models.TextField(_("knowledge"), blank=True)
    skills = models.TextField(_("skills"), blank=True)
    personality = models.TextField(_("personality"), blank=True)
    authority = models.TextField(_("authority (管理权限)"), blank=True)
    appointment = models.TextField(_("appointment (任用资格)"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # The reporting lines as they were when this revision was saved (titles and ids), for print and diff.
    relations = models.JSONField(_("relations"), default=dict, blank=True)
    effective_date = models.DateField(_("effective date"))
    approver = models.CharField(_("approver (签发人)"), max_length=60, blank=True)
    change_summary = models.CharField(_("change summary"), max_length=300, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    class Meta:
        verbose_name = _("position revision")
        verbose_name_plural = _("position revisions")
        ordering = ["position", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["position", "number"], name="roles_revision_unique_number")
        ]

    def __str__(self):
        return f"{self.title} v{self.number}"


class DutyArea(models.Model):
    """A group of duties (e.g. 主动服务营销体系), ordered within a revision."""

    revision = models.ForeignKey(
        PositionRevision, on_delete=models.CASCADE, related_name="areas", verbose_name=_("revision")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    name = models.CharField(_("area"), max_length=120)

    class Meta:
        verbose_name = _("duty area")
        verbose_name_plural = _("duty areas")
        ordering = ["revision", "order", "pk"]

    def __str__(self):
        return self.name


class DutyTask(models.Model):
    area = models.ForeignKey(DutyArea, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("area"))
    order = models.PositiveIntegerField(_("order"), default=0)
    text = models.TextField(_("task"))
    frequency = models.CharField(
        _("frequency"), max_length=12, choices=Frequency, default=Frequency.AS_NEEDED
    )

    class Meta:
        verbose_name = _("duty task")
        verbose_name_plural = _("duty tasks")
        ordering = ["area", "order", "pk"]

    def __str__(self):
        return self.text[:60]


class Kpi(models.Model):
    revision = models.ForeignKey(
        PositionRevision, on_delete=models.CASCADE, related_name="kpis", verbose_name=_("revision")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    name = models.CharField(_("KPI"), max_length=120)
    definition = models.TextField(_("definition"), blank=True)
    target = models.CharField(_("target"), max_length=60, blank=True)
    unit = models.CharField(_("unit"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        ordering = ["revision", "order", "pk"]

    def __str__(self):
        return self.name


class PositionHolder(models.Model):
    """Who holds a position in a store (a position may be vacant in a store)."""

    position = models.ForeignKey(
        Position, on_delete=models.CASCADE, related_name="holders", verbose_name=_("position")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="positions_held",
        verbose_name=_("holder"),
    )
    store = models.ForeignKey(
        Store, on_delete=models.CASCADE, related_name="position_holders", verbose_name=_("store")
    )
    since = models.DateField(_("since"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("position holder")
        verbose_name_plural = _("position holders")
        constraints = [
            models.UniqueConstraint(fields=["position", "user", "store"], name="roles_holder_unique")
        ]
        indexes = [models.Index(fields=["store", "position"])]

    def __str__(self):
        return f"{self.user} · {self.position} @ {self.store}"
