"""The registers a bank branch's 营业主管 keeps (银行网点营业主管岗位职责 4, 7, 8):

- `CounterfeitNote`: a note a teller suspects, verified by the supervisor (对柜员发现的假币进行鉴定确认).
- `TransactionReport`: a large-value or suspicious transaction to report by a deadline
  (分析大额交易，及时识别可疑类交易，对大额可疑类交易及时报告).
- `CashBoxHandover`: cash boxes handed to or received from the escort company, both sides named
  (监督执行与押运公司的钞箱交接流程).
- `VoucherPacket`: vouchers received from tellers, packed and sent to the audit department
  (接收柜员及个人业务顾问上交的凭证，整理封包后上交稽核部门).
- `TellerPasswordChange`: when each teller last changed the teller-card password
  (督促柜员定期、不定期修改柜员卡密码); overdue ones remind the teller and the supervisor.

The tail boxes (尾箱) and the branch's stock against its limits (库存限额):

- `TailBox`: a teller's box; its ledger is a handover counter's (opening balance + receipts − issues).
- `TailBoxCheck` / `TailBoxLine`: the end-of-day count of a box against that ledger, cash by
  denomination, every difference explained, sealed by the teller and a second person (双人封箱).
- `BranchLimit`: the most the branch may hold of an item; `BranchTransfer`: 金库调拨 / 后台调拨 in and
  out of a box (each one also a receipt or issue in the box's ledger); `OverLimit`: a day on which the
  branch held more than its limit (the supervisor is told once per item and day).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.org.access import ScopedQuerySet
from apps.org.models import Store

USER = settings.AUTH_USER_MODEL


class Outcome(models.TextChoices):
    PENDING = "pending", _("Waiting for verification")
    COUNTERFEIT = "counterfeit", _("Confirmed counterfeit (confiscated)")
    GENUINE = "genuine", _("Genuine (returned to the customer)")


class CounterfeitNote(models.Model):
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+", verbose_name=_("store"))
    found_at = models.DateTimeField(_("found at"))
    found_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("found by"))
    denomination = models.PositiveIntegerField(_("denomination (yuan)"))
    pieces = models.PositiveIntegerField(_("pieces"), default=1)
    serials = models.CharField(_("serial numbers"), max_length=300, blank=True)
    customer = models.CharField(_("customer"), max_length=100, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome, default=Outcome.PENDING)
    receipt_number = models.CharField(_("confiscation receipt number"), max_length=40, blank=True)
    verified_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("verified by")
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("suspected counterfeit note")
        verbose_name_plural = _("suspected counterfeit notes")
        ordering = ["-found_at", "-pk"]
        indexes = [models.Index(fields=["store", "-found_at"])]

    def __str__(self):
        return f"{self.found_at:%Y-%m-%d} {self.pieces}×{self.denomination}"


class ReportKind(models.TextChoices):
    LARGE = "large", _("Large-value transaction (大额)")
    SUSPICIOUS = "suspicious", _("Suspicious transaction (可疑)")


class TransactionReport(models.Model):
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+", verbose_name=_("store"))
    kind = models.CharField(_("kind"), max_length=12, choices=ReportKind)
    occurred_on = models.DateField(_("transaction or finding date"))
    account_name = models.CharField(_("account holder"), max_length=100)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=16, decimal_places=2)
    description = models.CharField(_("what happened"), max_length=500)
    due_on = models.DateField(_("report due"))
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    reported_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("reported by")
    )
    reference = models.CharField(_("report reference"), max_length=60, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("large or suspicious transaction report")
        verbose_name_plural = _("large and suspicious transaction reports")
        ordering = ["reported_at", "due_on", "-pk"]
        indexes = [models.Index(fields=["store", "reported_at", "due_on"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.account_name} {self.amount}"


class Direction(models.TextChoices):
    OUT = "out", _("Handed to the escort (出库)")
    IN = "in", _("Received from the escort (入库)")


class CashBoxHandover(models.Model):
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+", verbose_name=_("store"))
    at = models.DateTimeField(_("at"))
    direction = models.CharField(_("direction"), max_length=4, choices=Direction)
    boxes = models.CharField(_("box numbers"), max_length=200)
    seals = models.CharField(_("seal numbers"), max_length=200, blank=True)
    escort_company = models.CharField(_("escort company"), max_length=100)
    escort_names = models.CharField(_("escort staff (names and badge numbers)"), max_length=200)
    branch_first = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("branch staff (first)")
    )
    branch_second = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("branch staff (second)")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("cash box handover")
        verbose_name_plural = _("cash box handovers")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["store", "-at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_direction_display()} {self.boxes}"


class PacketState(models.TextChoices):
    PACKED = "packed", _("Packed")
    SENT = "sent", _("Sent to audit")


class VoucherPacket(models.Model):
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+", verbose_name=_("store"))
    number = models.CharField(_("packet number"), max_length=40)
    covers_from = models.DateField(_("vouchers from"))
    covers_to = models.DateField(_("vouchers to"))
    vouchers = models.PositiveIntegerField(_("vouchers in the packet"))
    packed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("packed by")
    )
    packed_at = models.DateTimeField(_("packed at"))
    state = models.CharField(_("state"), max_length=8, choices=PacketState, default=PacketState.PACKED)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    received_by = models.CharField(_("received by (audit)"), max_length=60, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("voucher packet")
        verbose_name_plural = _("voucher packets")
        ordering = ["-packed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["store", "number"], name="bankdesk_packet_unique_number")
        ]

    def __str__(self):
        return self.number


class TellerPasswordChange(models.Model):
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+", verbose_name=_("store"))
    teller = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+", verbose_name=_("teller"))
    changed_on = models.DateField(_("changed on"))
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("teller card password change")
        verbose_name_plural = _("teller card password changes")
        ordering = ["-changed_on", "-pk"]
        indexes = [models.Index(fields=["store", "teller", "-changed_on"])]

    def __str__(self):
        return f"{self.teller} {self.changed_on:%Y-%m-%d}"


# ---- tail boxes (尾箱) and the branch's stock against its limits


class TailBox(models.Model):
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+", verbose_name=_("store"))
    number = models.CharField(_("box number"), max_length=20)
    teller = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("teller"))
    counter = models.ForeignKey(
        "handovers.Counter",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ledger (counter)"),
        help_text=_("The counter whose opening balances, receipts and issues make this box's book figures."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("tail box")
        verbose_name_plural = _("tail boxes")
        ordering = ["store", "number"]
        constraints = [models.UniqueConstraint(fields=["store", "number"], name="bankdesk_tailbox_unique")]

    def __str__(self):
        return self.number


class CheckState(models.TextChoices):
    COUNTING = "counting", _("Counting")
    SIGNED = "signed", _("Signed by the teller, waiting for the second signature")
    SEALED = "sealed", _("Sealed by two people")


class TailBoxCheck(models.Model):
    """The end-of-day check of one tail box: counted against the book, signed by the teller, then
    sealed with a second person's signature (双人封箱). Never changes once signed."""

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+", verbose_name=_("store"))
    box = models.ForeignKey(TailBox, on_delete=models.PROTECT, related_name="checks", verbose_name=_("box"))
    teller = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("teller"))
    business_date = models.DateField(_("business date"))
    state = models.CharField(_("state"), max_length=10, choices=CheckState, default=CheckState.COUNTING)
    seal_number = models.CharField(_("seal number"), max_length=40, blank=True)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    second = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("second signature"),
    )
    sealed_at = models.DateTimeField(_("sealed at"), null=True, blank=True)

    never_deleted = Q(state__in=[CheckState.SIGNED, CheckState.SEALED])

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("tail box check")
        verbose_name_plural = _("tail box checks")
        ordering = ["-business_date", "box"]
        constraints = [
            models.UniqueConstraint(
                fields=["box", "business_date"], name="bankdesk_one_check_per_box_and_day"
            ),
            models.CheckConstraint(
                condition=~Q(state="sealed") | (Q(second__isnull=False) & ~Q(second=models.F("teller"))),
                name="bankdesk_sealed_by_two_people",
            ),
        ]
        indexes = [models.Index(fields=["store", "business_date"])]

    def __str__(self):
        return f"{self.box} {self.business_date}"


class TailBoxLine(models.Model):
    box_check = models.ForeignKey(
        TailBoxCheck, on_delete=models.PROTECT, related_name="lines", verbose_name=_("check")
    )
    item = models.ForeignKey(
        "handovers.StockItem", on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    expected = models.DecimalField(_("book figure"), max_digits=14, decimal_places=2, default=0)
    counted = models.DecimalField(_("counted"), max_digits=14, decimal_places=2, null=True, blank=True)
    # Cash by denomination: {"100": 12, "50": 4, …}; counted is their sum.
    breakdown = models.JSONField(_("by denomination"), default=dict, blank=True)
    explanation = models.CharField(_("explanation of the difference"), max_length=500, blank=True)

    never_deleted = True

    class Meta:
        verbose_name = _("tail box line")
        verbose_name_plural = _("tail box lines")
        ordering = ["box_check", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["box_check", "item"], name="bankdesk_tailbox_line_unique")
        ]

    def __str__(self):
        return f"{self.item}: {self.counted} / {self.expected}"

    @property
    def difference(self) -> Decimal | None:
        return None if self.counted is None else self.counted - self.expected

    @property
    def needs_explanation(self) -> bool:
        return bool(self.difference) and not self.explanation.strip()


class BranchLimit(models.Model):
    """库存限额: the most the branch may hold of an item (cash in yuan, vouchers in pieces)."""

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+", verbose_name=_("store"))
    item = models.ForeignKey(
        "handovers.StockItem", on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    limit = models.DecimalField(_("limit"), max_digits=14, decimal_places=2)
    set_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("set by"))
    set_at = models.DateTimeField(_("set at"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("stock limit")
        verbose_name_plural = _("stock limits")
        ordering = ["store", "item"]
        constraints = [models.UniqueConstraint(fields=["store", "item"], name="bankdesk_limit_unique")]

    def __str__(self):
        return f"{self.item} ≤ {self.limit}"


class Channel(models.TextChoices):
    VAULT = "vault", _("Vault transfer (金库调拨)")
    BACK_OFFICE = "back_office", _("Back-office transfer (后台调拨)")


class Flow(models.TextChoices):
    IN = "in", _("In (to the box)")
    OUT = "out", _("Out (from the box)")


class BranchTransfer(models.Model):
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+", verbose_name=_("store"))
    box = models.ForeignKey(TailBox, on_delete=models.PROTECT, related_name="+", verbose_name=_("box"))
    item = models.ForeignKey(
        "handovers.StockItem", on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    channel = models.CharField(_("channel"), max_length=12, choices=Channel)
    flow = models.CharField(_("in or out"), max_length=4, choices=Flow)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=2)
    at = models.DateTimeField(_("at"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    movement = models.OneToOneField(
        "handovers.StockMovement",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ledger movement"),
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("branch transfer")
        verbose_name_plural = _("branch transfers")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["store", "-at"])]

    def __str__(self):
        return f"{self.get_channel_display()} {self.get_flow_display()} {self.item} {self.quantity}"


class OverLimit(models.Model):
    """A day on which the branch held more of an item than its limit (counted once per item and day)."""

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+", verbose_name=_("store"))
    item = models.ForeignKey(
        "handovers.StockItem", on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    day = models.DateField(_("day"))
    holding = models.DecimalField(_("held"), max_digits=14, decimal_places=2)
    limit = models.DecimalField(_("limit"), max_digits=14, decimal_places=2)
    found_at = models.DateTimeField(_("found at"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("stock over its limit")
        verbose_name_plural = _("stock over its limit")
        ordering = ["-day", "item"]
        constraints = [
            models.UniqueConstraint(fields=["store", "item", "day"], name="bankdesk_overlimit_once_a_day")
        ]

    def __str__(self):
        return f"{self.day} {self.item} {self.holding} > {self.limit}"
