"""The business calendar, shift types, the weekly roster (排班), leave and swap requests, arrivals.

- `CalendarDay`: the days that differ from the plain week: statutory holidays (法定节假日) and the
  make-up working days (调休上班) on a weekend. Filled from `chinese_calendar` per year and edited by
  an admin where a store's region or a late State Council notice differs.
- `ShiftType`: a store's shifts (早班 / 晚班 / 全天) with their times.
- `Shift`: one person on one shift type on one day in one store (the roster grid's cell).
- `ShiftRequest`: 请假 (leave for a span of days) or 换班 (swap a day with a colleague), approved by
  the store's manager.
- `CheckIn`: a person's arrival on a day (每日早提前15分钟到岗), compared with the roster.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.org.access import ScopedQuerySet
from apps.org.models import Store


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Statutory holiday")
    WORKDAY = "workday", _("Make-up working day (调休)")


class CalendarDay(models.Model):
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=DayKind)
    name = models.CharField(_("name"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}".strip()


class ShiftType(models.Model):
    store = models.ForeignKey(
        Store, on_delete=models.CASCADE, related_name="shift_types", verbose_name=_("store")
    )
    name = models.CharField(_("name"), max_length=20)
    code = models.CharField(_("short code"), max_length=4, help_text=_("Shown in the roster grid, e.g. 早."))
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"), help_text=_("Earlier than the start for a shift past midnight."))
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("shift type")
        verbose_name_plural = _("shift types")
        ordering = ["store", "position", "starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["store", "name"], name="roster_shift_type_unique_name")
        ]

    def __str__(self):
        return f"{self.name} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"

    @property
    def hours(self) -> float:
        start = dt.datetime.combine(dt.date.min, self.starts_at)
        end = dt.datetime.combine(dt.date.min, self.ends_at)
        if end <= start:
            end += dt.timedelta(days=1)
        return (end - start).total_seconds() / 3600


class Shift(models.Model):
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="shifts", verbose_name=_("store"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shifts", verbose_name=_("person")
    )
    date = models.DateField(_("date"))
    shift_type = models.ForeignKey(
        ShiftType, on_delete=models.PROTECT, related_name="shifts", verbose_name=_("shift")
    )
    note = models.CharField(_("note"), max_length=100, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["date", "shift_type__starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["store", "user", "date"], name="roster_shift_one_a_day")
        ]
        indexes = [models.Index(fields=["store", "date"]), models.Index(fields=["user", "date"])]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.user} {self.shift_type.name}"


class RequestKind(models.TextChoices):
    LEAVE = "leave", _("Leave (请假)")
    SWAP = "swap", _("Shift swap (换班)")


class RequestState(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ShiftRequest(models.Model):
    store = models.ForeignKey(
        Store, on_delete=models.CASCADE, related_name="shift_requests", verbose_name=_("store")
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="shift_requests",
        verbose_name=_("requested by"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=RequestKind)
    date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))
    swap_with = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("swap with"),
    )
    reason = models.CharField(_("reason"), max_length=200)
    state = models.CharField(_("state"), max_length=10, choices=RequestState, default=RequestState.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("comment"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("leave or swap request")
        verbose_name_plural = _("leave and swap requests")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["store", "state", "-created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.requester} {self.date:%Y-%m-%d}"


class CheckIn(models.Model):
    store = models.ForeignKey(
        Store, on_delete=models.CASCADE, related_name="check_ins", verbose_name=_("store")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="check_ins", verbose_name=_("person")
    )
    date = models.DateField(_("date"))
    at = models.DateTimeField(_("arrived at"))
    due_at = models.DateTimeField(_("due by"), null=True, blank=True)
    late_minutes = models.PositiveIntegerField(_("minutes late"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("arrival")
        verbose_name_plural = _("arrivals")
        ordering = ["-date", "at"]
        constraints = [models.UniqueConstraint(fields=["store", "user", "date"], name="roster_check_in_once")]
        indexes = [models.Index(fields=["store", "date"])]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.user} {self.at:%H:%M}"
