"""Shift handovers (交接班) at a counter (台席) and the stock ledger that makes their expected figures.

An accepted handover, its lines and every signature are immutable: the model layer refuses changes,
and database triggers refuse them too (checklists migration 0002, from when these models lived
there). The tables keep their `checklists_` names: the triggers, constraints and rows were made
under them, and moving the models into this app changed only Django's state (migration 0001).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.org.access import ScopedQuerySet
from apps.org.models import Organisation, Store, StoreKind


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
        db_table = "checklists_counter"
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
    CASH = "cash", _("Cash by denomination")
    VOUCHER = "voucher", _("Important blank vouchers")


MONEY_SECTIONS = frozenset({Section.FLOAT, Section.TAKINGS, Section.CASH})


def _denominations(text: str) -> tuple[list[Decimal], list[str]]:
    """(the positive numbers in the comma-separated `text`, the parts that are not)."""
    good: list[Decimal] = []
    bad: list[str] = []
    for part in (p.strip() for p in (text or "").split(",")):
        if not part:
            continue
        try:
            value = Decimal(part)
        except InvalidOperation:
            bad.append(part)
            continue
        if value.is_finite() and value > 0:
            good.append(value)
        else:
            bad.append(part)
    return good, bad


def _denominations_valid(text: str) -> None:
    bad = _denominations(text)[1]
    if bad:
        raise ValidationError(
            _("Denominations are positive numbers separated by commas, e.g. 100,50,20; not: %(parts)s"),
            params={"parts": "、".join(bad)},
        )


class StockItem(models.Model):
    """What is counted at a handover of one kind of store: at a business hall the float, takings by
    payment type, SIMs, cards, handsets, invoices; at a bank branch the tail-box cash, blank vouchers,
    seals, tokens, keys; at a station its own. A store counts only the items of its kind."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="handover_items", verbose_name=_("organisation")
    )
    store_kind = models.CharField(
        _("kind of store"), max_length=20, choices=StoreKind, default=StoreKind.BUSINESS_HALL
    )
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=80)
    section = models.CharField(_("section"), max_length=8, choices=Section)
    unit = models.CharField(_("unit"), max_length=10, default="张")
    # Cash counted by denomination: e.g. "100,50,20,10,5,1,0.5,0.1" (empty: one figure).
    denominations = models.CharField(
        _("denominations"), max_length=60, blank=True, validators=[_denominations_valid]
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        db_table = "checklists_stockitem"
        verbose_name = _("handover item")
        verbose_name_plural = _("handover items")
        ordering = ["organisation", "store_kind", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "store_kind", "code"], name="handovers_stockitem_unique_per_kind"
            )
        ]

    def __str__(self):
        return self.name

    @property
    def is_money(self) -> bool:
        return self.section in MONEY_SECTIONS

    def denomination_list(self) -> list[Decimal]:
        """The notes and coins counted, largest first as typed; what is not a positive number is
        left out (the field's validator refuses it when an admin types it)."""
        return _denominations(self.denominations)[0]


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
    history = HistoricalRecords(table_name="checklists_historicalstockmovement")

    class Meta:
        db_table = "checklists_stockmovement"
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
    history = HistoricalRecords(table_name="checklists_historicalopeningbalance")

    class Meta:
        db_table = "checklists_openingbalance"
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
        db_table = "checklists_handover"
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
        db_table = "checklists_handoverline"
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
        db_table = "checklists_handoveramendment"
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
        db_table = "checklists_handoversignature"
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
