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
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
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
