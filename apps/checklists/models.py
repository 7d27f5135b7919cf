"""Checklist templates and runs (班前准备 / 营业中 / 班后收尾 / 安全巡查).

Who is on shift: the active holders (roles.PositionHolder) of a template's position in a store, on
the template's weekdays and the days the store is open; where the store has a roster (apps.roster)
for the day, only the holders rostered that day, within their shift (`services.beat.runs_create_due`).
The template's hours come from the store's opening hours (see `Shift`).
Handovers moved to apps/handovers (their tables and migration 0002's triggers stayed as they were).
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.months import week_start
from apps.org.access import ScopedQuerySet
from apps.org.models import Organisation, Store
from apps.roles.models import DutyTask, Position


class Phase(models.TextChoices):
    OPENING = "opening", _("Before opening (班前准备)")
    DURING = "during", _("During business (营业中)")
    CLOSING = "closing", _("After closing (班后收尾)")
    SAFETY = "safety", _("Safety round (安全巡查)")


class Shift(models.TextChoices):
    """Shifts are cut from the store's opening hours: the whole day, or its first or second half."""

    DAY = "day", _("Whole day")
    EARLY = "early", _("Early shift")
    LATE = "late", _("Late shift")

    @staticmethod
    def hours(shift: str, store: Store) -> tuple[dt.time, dt.time]:
        opens = dt.datetime.combine(dt.date(2000, 1, 1), store.opens_at)
        closes = dt.datetime.combine(dt.date(2000, 1, 1), store.closes_at)
        middle = opens + (closes - opens) / 2
        if shift == Shift.EARLY:
            return opens.time(), middle.time()
        if shift == Shift.LATE:
            return middle.time(), closes.time()
        return opens.time(), closes.time()


class ItemKind(models.TextChoices):
    TICK = "tick", _("Tick (OK / not OK)")
    NUMBER = "number", _("Number within a range")
    COUNT = "count", _("Count against expected")
    CHOICE = "choice", _("Choice")
    TEXT = "text", _("Text")
    PHOTO = "photo", _("Photo")
    SECOND_PERSON = "second_person", _("Needs a second person (双人复核)")
    WEEKLY_REPORT = "weekly_report", _("The store's weekly report (ticked when it is submitted)")


class FailureAction(models.TextChoices):
    NONE = "none", _("Nothing more")
    MATTER = "matter", _("Open a matter for the manager")
    NOTIFY = "notify", _("Notify the manager")
    BLOCK = "block", _("Block closing until resolved")


class ChecklistTemplate(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="checklist_templates",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=120)
    position = models.ForeignKey(
        Position, on_delete=models.PROTECT, related_name="checklist_templates", verbose_name=_("position")
    )
    phase = models.CharField(_("phase"), max_length=12, choices=Phase)
    stores = models.ManyToManyField(Store, related_name="checklist_templates", verbose_name=_("stores"))
    weekdays = models.CharField(
        _("weekdays"), max_length=7, default="1234567", help_text=_("ISO weekdays, 1 = Monday … 7 = Sunday")
    )
    month_day = models.PositiveSmallIntegerField(
        _("day of the month"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text=_(
            "For a monthly checklist: the day it is done (in a shorter month, the last day). "
            "Empty: on the weekdays ticked."
        ),
    )
    shift = models.CharField(_("shift"), max_length=8, choices=Shift, default=Shift.DAY)
    due_time = models.TimeField(_("due time"))
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")
        ordering = ["position__title", "phase", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="checklists_template_unique_name")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("checklists:template_edit", args=[self.pk])

    def runs_on(self, day: dt.date) -> bool:
        """Is it due on this day: a monthly template on its day of the month (the month's last day
        when the month is shorter), any other on its weekdays."""
        if self.month_day:
            last = calendar.monthrange(day.year, day.month)[1]
            return day.day == min(self.month_day, last)
        return str(day.isoweekday()) in self.weekdays

    @property
    def cadence(self) -> str:
        """daily, weekly (one weekday) or monthly (a day of the month): which duties it takes."""
        if self.month_day:
            return "monthly"
        return "weekly" if len(set(self.weekdays)) == 1 else "daily"

    def schedule_label(self) -> str:
        if self.month_day:
            return gettext("Monthly on day %(day)d") % {"day": self.month_day}
        return self.weekday_labels()

    def weekday_labels(self) -> str:
        names = "一二三四五六日"
        return "、".join(f"周{names[int(d) - 1]}" for d in sorted(set(self.weekdays)) if d in "1234567")


class TemplateItem(models.Model):
    template = models.ForeignKey(
        ChecklistTemplate, on_delete=models.CASCADE, related_name="items", verbose_name=_("template")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    text = models.CharField(_("item"), max_length=300)
    kind = models.CharField(_("kind"), max_length=16, choices=ItemKind, default=ItemKind.TICK)
    required = models.BooleanField(_("required"), default=True)
    min_value = models.DecimalField(_("minimum"), max_digits=12, decimal_places=2, null=True, blank=True)
    max_value = models.DecimalField(_("maximum"), max_digits=12, decimal_places=2, null=True, blank=True)
    expected_count = models.IntegerField(_("expected count"), null=True, blank=True)
    choices = models.CharField(
        _("choices"), max_length=300, blank=True, help_text=_("Separated by |, e.g. 正常|异常")
    )
    fail_choices = models.CharField(
        _("choices that fail"), max_length=300, blank=True, help_text=_("Separated by |")
    )
    on_fail = models.CharField(
        _("when it fails"), max_length=8, choices=FailureAction, default=FailureAction.NONE
    )
    duty_task = models.ForeignKey(
        DutyTask,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from duty"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["template", "order", "pk"]

    def __str__(self):
        return self.text

    def clean(self):
        if self.kind == ItemKind.NUMBER and self.min_value is None and self.max_value is None:
            raise ValidationError(_("A number item needs a minimum or a maximum."))
        if self.min_value is not None and self.max_value is not None and self.min_value > self.max_value:
            raise ValidationError(_("The minimum is above the maximum."))
        if self.kind == ItemKind.COUNT and self.expected_count is None:
            raise ValidationError(_("A count item needs the expected count."))
        if self.kind == ItemKind.CHOICE and len(self.choice_list()) < 2:
            raise ValidationError(_("A choice item needs at least two choices."))
        if not set(self.fail_choice_list()) <= set(self.choice_list()):
            raise ValidationError(_("The failing choices must be among the choices."))

    def choice_list(self) -> list[str]:
        return [c.strip() for c in self.choices.split("|") if c.strip()]

    def fail_choice_list(self) -> list[str]:
        return [c.strip() for c in self.fail_choices.split("|") if c.strip()]

    @property
    def takes_value(self) -> bool:
        """Answered by a figure, a choice or a text (saved on leaving the field), not by OK / not OK."""
        return self.kind in (ItemKind.NUMBER, ItemKind.COUNT, ItemKind.CHOICE, ItemKind.TEXT)


class RunState(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    LATE = "late", _("Late")
    MISSED = "missed", _("Missed")


OPEN_RUN_STATES = [RunState.NOT_STARTED, RunState.IN_PROGRESS, RunState.LATE]


class RunQuerySet(ScopedQuerySet):
    def open(self):
        return self.filter(state__in=OPEN_RUN_STATES, completed_at__isnull=True)


class ChecklistRun(models.Model):
    """One person's run of a template on one day in one store."""

    template = models.ForeignKey(
        ChecklistTemplate, on_delete=models.PROTECT, related_name="runs", verbose_name=_("template")
    )
    store = models.ForeignKey(
        Store, on_delete=models.PROTECT, related_name="checklist_runs", verbose_name=_("store")
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="checklist_runs",
        verbose_name=_("person"),
    )
    date = models.DateField(_("date"))
    starts_at = models.DateTimeField(_("shift starts"))
    due_at = models.DateTimeField(_("due"))
    ends_at = models.DateTimeField(_("shift ends"))
    state = models.CharField(_("state"), max_length=12, choices=RunState, default=RunState.NOT_STARTED)
    item_count = models.PositiveIntegerField(_("items"), default=0)
    answered_count = models.PositiveIntegerField(_("answered"), default=0)
    failed_count = models.PositiveIntegerField(_("failed"), default=0)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    reminded_person_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_manager_at = models.DateTimeField(null=True, blank=True, editable=False)

    # A completed run is a record of what was checked, by whom: kept with its answers.
    never_deleted = Q(completed_at__isnull=False)

    objects = RunQuerySet.as_manager()

    class Meta:
        verbose_name = _("checklist run")
        verbose_name_plural = _("checklist runs")
        ordering = ["-date", "due_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "store", "assignee", "date"], name="checklists_run_unique_per_day"
            )
        ]
        indexes = [
            models.Index(fields=["store", "date"]),
            models.Index(fields=["assignee", "date"]),
            models.Index(fields=["state", "due_at"]),
        ]

    def __str__(self):
        return f"{self.template} · {self.assignee} · {self.date}"

    def get_absolute_url(self):
        return reverse("checklists:run", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.completed_at is None and self.state != RunState.MISSED

    def weekly_report_url(self) -> str:
        """The store's weekly report of the run's week (what a weekly-report item links to)."""
        return reverse("reports:week", args=[self.store_id, week_start(self.date).isoformat()])

    @property
    def progress_pct(self) -> int:
        return int(100 * self.answered_count / self.item_count) if self.item_count else 0


def photo_path(instance, filename):
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"checklists/{instance.run.store_id}/{instance.run.date:%Y/%m}/run{instance.run_id}-item{instance.item_id}.{ext}"


class ItemResult(models.Model):
    """The answer to one item of one run; saved the moment it is given."""

    run = models.ForeignKey(
        ChecklistRun, on_delete=models.PROTECT, related_name="results", verbose_name=_("run")
    )
    item = models.ForeignKey(
        TemplateItem, on_delete=models.PROTECT, related_name="results", verbose_name=_("item")
    )
    item_text = models.CharField(_("item"), max_length=300)
    ok = models.BooleanField(_("OK"))
    value_number = models.DecimalField(_("number"), max_digits=12, decimal_places=2, null=True, blank=True)
    value_text = models.CharField(_("answer"), max_length=500, blank=True)
    photo = models.FileField(_("photo"), upload_to=photo_path, blank=True)
    note = models.TextField(_("note"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("answered by")
    )
    answered_at = models.DateTimeField(_("answered at"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    never_deleted = Q(run__completed_at__isnull=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("item result")
        verbose_name_plural = _("item results")
        constraints = [models.UniqueConstraint(fields=["run", "item"], name="checklists_result_unique")]

    def __str__(self):
        return f"{self.item_text}: {'OK' if self.ok else 'NG'}"


class FailureState(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


class FailureQuerySet(ScopedQuerySet):
    def open(self):
        return self.filter(state=FailureState.OPEN)


class ItemFailure(models.Model):
    """A failed item: the matter it opens, carried over at handover until the manager resolves it."""

    store = models.ForeignKey(
        Store, on_delete=models.PROTECT, related_name="checklist_failures", verbose_name=_("store")
    )
    run = models.ForeignKey(
        ChecklistRun, on_delete=models.CASCADE, related_name="failures", verbose_name=_("run")
    )
    item = models.ForeignKey(
        TemplateItem, on_delete=models.PROTECT, related_name="failures", verbose_name=_("item")
    )
    result = models.OneToOneField(
        ItemResult, on_delete=models.CASCADE, related_name="failure", verbose_name=_("result")
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("raised by")
    )
    raised_at = models.DateTimeField(_("raised at"))
    action = models.CharField(_("action"), max_length=8, choices=FailureAction)
    note = models.TextField(_("note"))
    repeated = models.BooleanField(_("failed 3 runs in a row"), default=False)
    state = models.CharField(_("state"), max_length=10, choices=FailureState, default=FailureState.OPEN)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)

    objects = FailureQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("failed item")
        verbose_name_plural = _("failed items")
        ordering = ["-raised_at"]
        indexes = [models.Index(fields=["store", "state"])]

    def __str__(self):
        return f"{self.item} · {self.raised_at:%Y-%m-%d}"
