"""The weekly report a store owes its superior (营业厅经理 每周六做好投诉报告与工作总结上传直管领导).

Drafted from the week's records (the sections registered by the apps), the manager adds a summary
and submits it; the figures are then frozen in `figures`. The superior accepts it or returns it
with a comment; a returned report is edited and submitted again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.org.access import ScopedQuerySet
from apps.org.models import Store


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    ACCEPTED = "accepted", _("Accepted")


class WeeklyReport(models.Model):
    store = models.ForeignKey(
        Store, on_delete=models.PROTECT, related_name="weekly_reports", verbose_name=_("store")
    )
    week_start = models.DateField(_("week from"))
    due_on = models.DateField(_("due on"))
    state = models.CharField(_("state"), max_length=10, choices=ReportState, default=ReportState.DRAFT)
    summary = models.TextField(_("summary of the week"), blank=True)
    plans = models.TextField(_("plans for next week"), blank=True)
    figures = models.JSONField(_("figures"), default=list, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("superior's comment"), blank=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("weekly report")
        verbose_name_plural = _("weekly reports")
        ordering = ["-week_start", "store__name"]
        constraints = [
            models.UniqueConstraint(fields=["store", "week_start"], name="reports_weekly_one_a_week")
        ]
        indexes = [
            models.Index(fields=["store", "-week_start"]),
            models.Index(fields=["state", "-week_start"]),
        ]

    def __str__(self):
        return f"{self.store} {self.week_start:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("reports:detail", args=[self.pk])

    def get_week_url(self):
        return reverse("reports:week", args=[self.store_id, self.week_start.isoformat()])

    @property
    def is_frozen(self) -> bool:
        return self.state in (ReportState.SUBMITTED, ReportState.ACCEPTED)


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class CorrectiveAction(models.Model):
    """A corrective action (整改措施) agreed at a station's monthly quality meeting: what, who, by
    when; its status is reviewed at the next month's meeting."""

    store = models.ForeignKey(
        Store, on_delete=models.PROTECT, related_name="corrective_actions", verbose_name=_("store")
    )
    month = models.DateField(_("meeting month"), help_text=_("The first day of the month it was agreed in."))
    title = models.CharField(_("action"), max_length=200)
    cause = models.CharField(_("what it corrects"), max_length=200, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus, default=ActionStatus.OPEN)
    outcome = models.TextField(_("outcome"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")
        ordering = ["month", "due_on", "pk"]
        indexes = [models.Index(fields=["store", "month"])]

    def __str__(self):
        return self.title

    @property
    def is_overdue(self) -> bool:
        return (
            self.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
            and self.due_on < timezone.localdate()
        )
