"""Checklist templates and runs (班前准备 / 营业中 / 班后收尾 / 安全巡查) and shift handovers (交接班).

Who is on shift: the active holders (roles.PositionHolder) of a template's position in a store, on
the template's weekdays; the shift's hours come from the store's opening hours (see `Shift`). An
accepted handover, its lines and every signature are immutable: the model layer refuses changes,
and database triggers (migration 0002) refuse them too.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

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
        return str(day.isoweekday()) in self.weekdays

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


# ---------------------------------------------------------------- handovers (交接班)


class Counter(models.Model):
    """A counter (台席) of a store; handovers pass from one clerk to the next at a counter."""

    store = models.ForeignKey(
        Store, on_delete=models.PROTECT, related_name="counters", verbose_name=_("store")
    )
    code = models.SlugField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=60)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("counter")
        verbose_name_plural = _("counters")
        ordering = ["store", "code"]
        constraints = [models.UniqueConstraint(fields=["store", "code"], name="checklists_counter_unique")]

    def __str__(self):
        return self.name


class Section(models.TextChoices):
    FLOAT = "float", _("Float (备用金)")
    TAKINGS = "takings", _("Takings (营业款)")
    STOCK = "stock", _("Stock and important documents")


class StockItem(models.Model):
    """What is counted at a handover: the float, takings by payment type, cards, SIMs, handsets, invoices …"""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="handover_items", verbose_name=_("organisation")
    )
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=80)
    section = models.CharField(_("section"), max_length=8, choices=Section)
    unit = models.CharField(_("unit"), max_length=10, default="张")
    # Cash counted by denomination: e.g. "100,50,20,10,5,1,0.5,0.1" (empty: one figure).
    denominations = models.CharField(_("denominations"), max_length=60, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("handover item")
        verbose_name_plural = _("handover items")
        ordering = ["organisation", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="checklists_stockitem_unique")
        ]

    def __str__(self):
        return self.name

    @property
    def is_money(self) -> bool:
        return self.section != Section.STOCK

    def denomination_list(self) -> list[Decimal]:
        return [Decimal(d.strip()) for d in self.denominations.split(",") if d.strip()]


class MovementKind(models.TextChoices):
    RECEIPT = "receipt", _("Receipt (+)")
    ISSUE = "issue", _("Issue (−)")


class StockMovement(models.Model):
    """Receipts and issues recorded during a shift: they make the next handover's expected figure."""

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+", verbose_name=_("store"))
    counter = models.ForeignKey(
        Counter, on_delete=models.PROTECT, related_name="movements", verbose_name=_("counter")
    )
    item = models.ForeignKey(
        StockItem, on_delete=models.PROTECT, related_name="movements", verbose_name=_("item")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=MovementKind)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    occurred_at = models.DateTimeField(_("when"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        ordering = ["-occurred_at"]
        indexes = [models.Index(fields=["counter", "item", "occurred_at"])]

    def __str__(self):
        return f"{self.item} {self.get_kind_display()} {self.quantity}"


class OpeningBalance(models.Model):
    """A figure the manager sets (a new counter, after an audit); newer than the last handover, it wins."""

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+", verbose_name=_("store"))
    counter = models.ForeignKey(
        Counter, on_delete=models.PROTECT, related_name="balances", verbose_name=_("counter")
    )
    item = models.ForeignKey(StockItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("item"))
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    effective_at = models.DateTimeField(_("effective from"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("set by")
    )

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("opening balance")
        verbose_name_plural = _("opening balances")
        ordering = ["-effective_at"]

    def __str__(self):
        return f"{self.counter} {self.item} {self.quantity}"


class HandoverState(models.TextChoices):
    DRAFT = "draft", _("Counting")
    SIGNED = "signed", _("Signed by the outgoing clerk")
    ACCEPTED = "accepted", _("Accepted")


class ImmutableError(Exception):
    """An accepted handover (or a confirmed amendment, or a signature) was about to change."""


class HandoverQuerySet(ScopedQuerySet):
    def update(self, **kwargs):
        if self.filter(state=HandoverState.ACCEPTED).exists():
            raise ImmutableError("An accepted handover cannot change.")
        return super().update(**kwargs)

    def delete(self):
        if self.filter(state=HandoverState.ACCEPTED).exists():
            raise ImmutableError("An accepted handover cannot be deleted.")
        return super().delete()


class Handover(models.Model):
    store = models.ForeignKey(
        Store, on_delete=models.PROTECT, related_name="handovers", verbose_name=_("store")
    )
    counter = models.ForeignKey(
        Counter, on_delete=models.PROTECT, related_name="handovers", verbose_name=_("counter")
    )
    business_date = models.DateField(_("business date"))
    outgoing = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="handovers_given",
        verbose_name=_("outgoing clerk"),
    )
    incoming = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="handovers_received",
        verbose_name=_("incoming clerk"),
    )
    witness = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handovers_witnessed",
        verbose_name=_("witness (监交人)"),
    )
    state = models.CharField(_("state"), max_length=10, choices=HandoverState, default=HandoverState.DRAFT)
    period_start = models.DateTimeField(_("counted since"))
    previous = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("previous handover"),
    )
    open_matters = models.JSONField(_("open matters handed over"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    witnessed_at = models.DateTimeField(_("witnessed at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    never_deleted = Q(state__in=[HandoverState.SIGNED, HandoverState.ACCEPTED])

    objects = HandoverQuerySet.as_manager()

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A double click or two people starting at once never make two open handovers.
            models.UniqueConstraint(
                fields=["store", "counter"],
                condition=Q(state__in=["draft", "signed"]),
                name="checklists_one_open_handover_per_counter",
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(signed_at__isnull=False),
                name="checklists_handover_signed_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(state="accepted") | Q(accepted_at__isnull=False),
                name="checklists_handover_accepted_has_time",
            ),
        ]
        indexes = [models.Index(fields=["store", "business_date"]), models.Index(fields=["counter", "state"])]

    def __str__(self):
        return f"{self.counter} {self.business_date} {self.outgoing} → {self.incoming}"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._loaded_state = self.state if self.pk else None

    def save(self, *args, **kwargs):
        if self._loaded_state == HandoverState.ACCEPTED:
            raise ImmutableError("An accepted handover cannot change; record an amendment instead.")
        super().save(*args, **kwargs)
        self._loaded_state = self.state

    def get_absolute_url(self):
        return reverse("handovers:detail", args=[self.pk])

    def delete(self, *args, **kwargs):
        if self._loaded_state == HandoverState.ACCEPTED:
            raise ImmutableError("An accepted handover cannot be deleted.")
        return super().delete(*args, **kwargs)

    @property
    def is_editable(self) -> bool:
        return self.state == HandoverState.DRAFT


class LineQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if self.filter(handover__state=HandoverState.ACCEPTED).exists():
            raise ImmutableError("The lines of an accepted handover cannot change.")
        return super().update(**kwargs)

    def delete(self):
        if self.filter(handover__state=HandoverState.ACCEPTED).exists():
            raise ImmutableError("The lines of an accepted handover cannot be deleted.")
        return super().delete()


class HandoverLine(models.Model):
    handover = models.ForeignKey(
        Handover, on_delete=models.PROTECT, related_name="lines", verbose_name=_("handover")
    )
    item = models.ForeignKey(StockItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("item"))
    order = models.PositiveIntegerField(_("order"), default=0)
    expected = models.DecimalField(_("expected"), max_digits=12, decimal_places=2, default=0)
    counted = models.DecimalField(_("counted"), max_digits=12, decimal_places=2, null=True, blank=True)
    # Cash by denomination: {"100": 12, "50": 4, …}; counted is their sum.
    breakdown = models.JSONField(_("by denomination"), default=dict, blank=True)
    explanation = models.TextField(_("explanation of the difference"), blank=True)

    never_deleted = True

    objects = LineQuerySet.as_manager()

    class Meta:
        verbose_name = _("handover line")
        verbose_name_plural = _("handover lines")
        ordering = ["handover", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["handover", "item"], name="checklists_line_unique")]

    def __str__(self):
        return f"{self.item}: {self.counted} / {self.expected}"

    def save(self, *args, **kwargs):
        if Handover.objects.filter(pk=self.handover_id, state=HandoverState.ACCEPTED).exists():
            raise ImmutableError("The lines of an accepted handover cannot change.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("Handover lines are never deleted.")

    @property
    def difference(self) -> Decimal | None:
        return None if self.counted is None else self.counted - self.expected

    @property
    def needs_explanation(self) -> bool:
        return bool(self.difference) and not self.explanation.strip()


class AmendmentState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed")


class HandoverAmendment(models.Model):
    """A correction of an accepted handover: the original never changes; this record carries the fix."""

    handover = models.ForeignKey(
        Handover, on_delete=models.PROTECT, related_name="amendments", verbose_name=_("handover")
    )
    number = models.PositiveIntegerField(_("number"))
    line = models.ForeignKey(
        HandoverLine, on_delete=models.PROTECT, related_name="amendments", verbose_name=_("line")
    )
    counted = models.DecimalField(_("corrected count"), max_digits=12, decimal_places=2)
    reason = models.TextField(_("reason"))
    state = models.CharField(
        _("state"), max_length=10, choices=AmendmentState, default=AmendmentState.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("proposed by")
    )
    proposed_at = models.DateTimeField(_("proposed at"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    never_deleted = True

    class Meta:
        verbose_name = _("handover amendment")
        verbose_name_plural = _("handover amendments")
        ordering = ["handover", "number"]
        constraints = [
            models.UniqueConstraint(fields=["handover", "number"], name="checklists_amendment_unique_number")
        ]

    def __str__(self):
        return f"{self.handover} #{self.number}"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._loaded_state = self.state if self.pk else None

    def save(self, *args, **kwargs):
        if self._loaded_state == AmendmentState.CONFIRMED:
            raise ImmutableError("A confirmed amendment cannot change.")
        super().save(*args, **kwargs)
        self._loaded_state = self.state

    def delete(self, *args, **kwargs):
        raise ImmutableError("Amendments are never deleted.")


class SignatureRole(models.TextChoices):
    OUTGOING = "outgoing", _("Handed over by")
    WITNESS = "witness", _("Witness (监交人)")
    INCOMING = "incoming", _("Accepted by")
    AMEND_PROPOSER = "amend_proposer", _("Correction proposed by")
    AMEND_CONFIRMER = "amend_confirmer", _("Correction confirmed by")


class HandoverSignature(models.Model):
    """Append-only: at most one signature per role per handover (or amendment)."""

    handover = models.ForeignKey(
        Handover, on_delete=models.PROTECT, related_name="signatures", verbose_name=_("handover")
    )
    amendment = models.ForeignKey(
        HandoverAmendment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signatures",
        verbose_name=_("amendment"),
    )
    role = models.CharField(_("role"), max_length=16, choices=SignatureRole)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("signed by")
    )
    signed_at = models.DateTimeField(_("signed at"))

    never_deleted = True

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["handover", "role"],
                condition=Q(amendment__isnull=True),
                name="checklists_one_signature_per_role",
            ),
            models.UniqueConstraint(
                fields=["amendment", "role"],
                condition=Q(amendment__isnull=False),
                name="checklists_one_amendment_signature_per_role",
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()}: {self.user}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ImmutableError("A signature cannot change.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("A signature cannot be deleted.")
