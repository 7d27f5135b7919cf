"""Customer files (客户档案): customers, their phones, assets (vehicles / products) and visits."""

import calendar
import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.org.access import ScopedQuerySet
from apps.org.models import Store

from .id_numbers import validate_id_number


class CustomerQuerySet(ScopedQuerySet):
    store_lookup = "store"


class Customer(models.Model):
    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual")
        COMPANY = "company", _("Company")

    class Tier(models.TextChoices):
        NORMAL = "normal", _("Normal")
        VIP = "vip", _("VIP")
        KEY = "key", _("Key account")

    class Channel(models.TextChoices):
        PHONE = "phone", _("Phone")
        SMS = "sms", _("SMS / chat")
        LETTER = "letter", _("Letter")
        VISIT = "visit", _("Visit")

    store = models.ForeignKey(
        Store, on_delete=models.PROTECT, related_name="customers", verbose_name=_("store")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.INDIVIDUAL)
    name = models.CharField(_("name"), max_length=120, db_index=True)
    contact_person = models.CharField(_("contact person"), max_length=60, blank=True)
    id_number = models.CharField(_("ID number"), max_length=40, blank=True, validators=[validate_id_number])
    address = models.CharField(_("address"), max_length=250, blank=True)
    tier = models.CharField(
        _("tier"), max_length=10, choices=Tier.choices, default=Tier.NORMAL, db_index=True
    )
    contact_consent = models.BooleanField(_("agrees to be contacted"), default=True)
    preferred_channel = models.CharField(
        _("preferred channel"), max_length=10, choices=Channel.choices, default=Channel.PHONE
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="customers_owned",
        verbose_name=_("file owner"),
    )
    wishes = models.TextField(_("services the customer wishes for"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CustomerQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The list's scope and order: an index scan that stops at the page size.
            models.Index(fields=["store", "-created_at", "-id"], name="customer_store_newest_idx"),
            models.Index(fields=["store", "tier"]),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("customers:detail", args=[self.pk])


class CustomerPhone(models.Model):
    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="phones", verbose_name=_("customer")
    )
    number = models.CharField(_("phone"), max_length=20, help_text=_("normalised, E.164"))
    # Digits only (no +86), so that "any part of the number" is a plain substring search.
    digits = models.CharField(_("digits"), max_length=20, db_index=True)
    label = models.CharField(_("label"), max_length=20, blank=True)
    is_primary = models.BooleanField(_("primary"), default=False)

    class Meta:
        verbose_name = _("phone")
        verbose_name_plural = _("phones")
        ordering = ["-is_primary", "pk"]

    def __str__(self):
        return self.number


class AssetQuerySet(ScopedQuerySet):
    store_lookup = "customer__store"


class Asset(models.Model):
    """A vehicle or a delivered product, with its maintenance cycle."""

    class Kind(models.TextChoices):
        VEHICLE = "vehicle", _("Vehicle")
        PRODUCT = "product", _("Product")

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="assets", verbose_name=_("customer")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.VEHICLE)
    model_name = models.CharField(_("model"), max_length=120)
    plate = models.CharField(_("plate"), max_length=20, blank=True, db_index=True)
    vin = models.CharField(_("VIN"), max_length=17, blank=True, db_index=True)
    vehicle_type = models.CharField(_("vehicle type"), max_length=40, blank=True)
    mileage_km = models.PositiveIntegerField(_("mileage (km)"), null=True, blank=True)
    serial_number = models.CharField(_("serial number"), max_length=60, blank=True, db_index=True)
    configuration = models.TextField(_("configuration"), blank=True)
    delivery_date = models.DateField(_("delivery date"), null=True, blank=True)
    acceptance_record = models.TextField(_("acceptance record (验收单)"), blank=True)
    packing_list = models.TextField(_("packing list"), blank=True)
    major_parts = models.TextField(_("major part replacements"), blank=True)
    maintenance_months = models.PositiveSmallIntegerField(
        _("maintenance every (months)"), null=True, blank=True
    )
    maintenance_km = models.PositiveIntegerField(_("maintenance every (km)"), null=True, blank=True)
    last_service_date = models.DateField(_("last service date"), null=True, blank=True)
    last_service_km = models.PositiveIntegerField(_("mileage at last service"), null=True, blank=True)
    next_due_date = models.DateField(_("next maintenance due"), null=True, blank=True, db_index=True)
    # The warranty period (保修期): months from delivery, or an end date given as such.
    warranty_months = models.PositiveSmallIntegerField(_("warranty (months)"), null=True, blank=True)
    warranty_ends_on = models.DateField(_("warranty ends on"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = AssetQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        ordering = ["customer", "pk"]

    def __str__(self):
        return self.plate or self.serial_number or self.model_name

    def get_absolute_url(self):
        return reverse("customers:asset", args=[self.customer_id, self.pk])

    def compute_warranty_end(self) -> dt.date | None:
        """The delivery date plus the warranty months (the day before the same day that many months on)."""
        if not (self.warranty_months and self.delivery_date):
            return self.warranty_ends_on
        base = self.delivery_date
        month = base.month - 1 + self.warranty_months
        year, month = base.year + month // 12, month % 12 + 1
        return dt.date(year, month, min(base.day, calendar.monthrange(year, month)[1])) - dt.timedelta(days=1)

    def in_warranty(self, on: dt.date) -> bool:
        start_ok = self.delivery_date is None or self.delivery_date <= on
        return bool(self.warranty_ends_on) and start_ok and on <= self.warranty_ends_on

    def compute_next_due(self, *, avg_km_per_month: int = 1500) -> dt.date | None:
        """Next maintenance by months or mileage, whichever comes first."""
        base = self.last_service_date or self.delivery_date
        if base is None:
            return None
        candidates = []
        if self.maintenance_months:
            month = base.month - 1 + self.maintenance_months
            year, month = base.year + month // 12, month % 12 + 1
            candidates.append(dt.date(year, month, min(base.day, calendar.monthrange(year, month)[1])))
        if self.maintenance_km and avg_km_per_month:
            driven = max((self.mileage_km or 0) - (self.last_service_km or 0), 0)
            remaining = max(self.maintenance_km - driven, 0)
            candidates.append(base + dt.timedelta(days=round(remaining / avg_km_per_month * 30.4)))
        return min(candidates) if candidates else None


class VisitQuerySet(ScopedQuerySet):
    store_lookup = "store"


class Visit(models.Model):
    """A service visit / service record (维修保养、交付、咨询到店)."""

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="visits", verbose_name=_("store"))
    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="visits", verbose_name=_("customer")
    )
    asset = models.ForeignKey(
        Asset,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("asset"),
    )
    visited_on = models.DateField(_("visit date"), db_index=True)
    # When the customer came (the two-day rule counts from here); older rows: the day's closing time.
    visited_at = models.DateTimeField(_("visit time"), null=True, blank=True)
    work_done = models.TextField(_("work done"), blank=True)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2, default=0)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff"),
    )
    mileage_km = models.PositiveIntegerField(_("mileage (km)"), null=True, blank=True)
    # When the customer file for this visit was complete (the two-day rule measures this).
    file_completed_at = models.DateTimeField(_("file completed at"), null=True, blank=True)
    # 48 hours (or 2 business days, per store) after `visited_at`: flagged late from then on.
    file_due_at = models.DateTimeField(_("file due at"), null=True, blank=True, db_index=True)
    late_file_flagged_at = models.DateTimeField(_("late file flagged at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = VisitQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-pk"]

    def __str__(self):
        return f"{self.customer} {self.visited_on:%Y-%m-%d}"


class VisitItem(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="items", verbose_name=_("visit"))
    description = models.CharField(_("item"), max_length=200)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("visit item")
        verbose_name_plural = _("visit items")
        ordering = ["pk"]

    def __str__(self):
        return self.description


class PiiAccessLog(models.Model):
    """Each use of "show in full" on a customer's phone or ID number."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("user")
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="pii_log", verbose_name=_("customer")
    )
    field = models.CharField(_("field"), max_length=20)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    # Evidence of who saw personal data: never deleted (and, on PostgreSQL, never changed: see
    # migration customers 0005). A customer with such a log is anonymised, not deleted.
    never_deleted = True

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.user} → {self.customer} ({self.field})"


class CustomerNote(models.Model):
    """A free note on a customer's file (or one of their assets), shown on the timeline."""

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="file_notes", verbose_name=_("customer")
    )
    asset = models.ForeignKey(
        Asset, on_delete=models.CASCADE, null=True, blank=True, related_name="notes", verbose_name=_("asset")
    )
    text = models.TextField(_("note"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return self.text[:40]


class FileAttachment(models.Model):
    """What every uploaded document records; the owning record and `file` come from the subclass."""

    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        abstract = True
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return self.name


def attachment_path(instance, filename):
    return f"customers/{instance.customer_id}/{filename}"


class Attachment(FileAttachment):
    """A document on a customer's file: a visit's photos, an asset's acceptance record, packing list …"""

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("customer")
    )
    asset = models.ForeignKey(
        Asset,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("asset"),
    )
    visit = models.ForeignKey(
        Visit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("visit"),
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
