from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name


class StoreKind(models.TextChoices):
    BUSINESS_HALL = "business_hall", _("Business hall")
    SERVICE_STATION = "service_station", _("Service station")
    BANK_BRANCH = "bank_branch", _("Bank branch")
    BACK_OFFICE = "back_office", _("Back office")


# The kinds of store that look after cars: only they show vehicle fields (plate, VIN / 车架号,
# mileage / 里程, the promised delivery time and 准时交车). Every other kind never sees them.
VEHICLE_STORE_KINDS = frozenset({StoreKind.SERVICE_STATION})


class OpenDays(models.TextChoices):
    """Which days of the business calendar (apps.roster: holidays and 调休) a store is open."""

    EVERY_DAY = "every_day", _("Every day, statutory holidays too")
    NOT_ON_HOLIDAYS = "not_on_holidays", _("Every day except statutory holidays")
    WORKING_DAYS = "working_days", _("Working days only (Monday to Friday and 调休 days, no holidays)")


class Store(models.Model):
    """A service outlet (门店 / 营业厅 / 网点 / 服务站): the unit every record is scoped to."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="stores", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=120)
    code = models.SlugField(_("code"), max_length=40)
    kind = models.CharField(_("kind"), max_length=20, choices=StoreKind)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    opens_at = models.TimeField(_("opens at"), default="08:30")
    closes_at = models.TimeField(_("closes at"), default="18:00")
    open_days = models.CharField(
        _("open on"),
        max_length=16,
        choices=OpenDays,
        default=OpenDays.EVERY_DAY,
        help_text=_("Closed days get no checklist runs and do not count in business-hour deadlines."),
    )
    requires_handover_witness = models.BooleanField(_("handover needs a witness (监交)"), default=False)
    customer_file_within = models.CharField(
        _("customer file due"),
        max_length=16,
        choices=[
            ("48h", _("48 hours after the visit")),
            ("2_business_days", _("2 business days after the visit")),
        ],
        default="48h",
        help_text=_("The two-day rule of the customer file (两日内建立客户档案)."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("store")
        verbose_name_plural = _("stores")
        ordering = ["organisation__name", "name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="org_store_unique_code")]

    def __str__(self):
        return self.name

    @property
    def keeps_vehicles(self) -> bool:
        """Whether this store's pages, forms and papers show vehicle fields (see VEHICLE_STORE_KINDS)."""
        return self.kind in VEHICLE_STORE_KINDS


class Department(models.Model):
    """A department of the organisation (售后服务部, 行政部 …), optionally tied to one store."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="departments", verbose_name=_("organisation")
    )
    store = models.ForeignKey(
        Store,
        on_delete=models.PROTECT,
        related_name="departments",
        null=True,
        blank=True,
        verbose_name=_("store"),
    )
    name = models.CharField(_("name"), max_length=120)
    code = models.SlugField(_("code"), max_length=40)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="org_department_unique_code")
        ]

    def __str__(self):
        return self.name


class RoleTier(models.TextChoices):
    """What a person may do in a store; ordered from most to least authority."""

    ADMIN = "admin", _("Administrator")
    MANAGER = "manager", _("Store manager")
    CLERK = "clerk", _("Clerk")
    AFTERSALES = "aftersales", _("After-sales staff")


class User(AbstractUser):
    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # Mirrors "has a confirmed authenticator", so that the sign-in gate costs no query per request;
    # apps/org/two_factor.py keeps it in step with the devices.
    two_factor_enabled = models.BooleanField(_("two-factor sign-in on"), default=False, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.display_name or self.get_full_name() or self.username

    @cached_property
    def active_memberships(self):
        """This user's memberships with their stores, loaded once per request."""
        return list(self.memberships.filter(is_active=True, store__is_active=True).select_related("store"))

    @cached_property
    def admin_organisation_ids(self) -> frozenset[int]:
        return frozenset(m.store.organisation_id for m in self.active_memberships if m.tier == RoleTier.ADMIN)

    @property
    def is_org_admin(self) -> bool:
        return self.is_superuser or bool(self.admin_organisation_ids)

    def tier_in(self, store) -> str | None:
        """The highest tier this user holds in `store` (admins of its organisation count as admin)."""
        if self.is_superuser or store.organisation_id in self.admin_organisation_ids:
            return RoleTier.ADMIN
        tiers = [m.tier for m in self.active_memberships if m.store_id == store.pk]
        order = list(RoleTier.values)
        return min(tiers, key=order.index) if tiers else None

    @property
    def tiers(self) -> set[str]:
        return {m.tier for m in self.active_memberships} | ({RoleTier.ADMIN} if self.is_superuser else set())


class Membership(models.Model):
    """Ties a user to a store with a role tier; a user may belong to several stores."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    store = models.ForeignKey(
        Store, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("store")
    )
    tier = models.CharField(_("role tier"), max_length=20, choices=RoleTier)
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("department"),
    )
    title = models.CharField(_("job title"), max_length=80, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    since = models.DateField(_("since"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["store__name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "store", "tier"], name="org_membership_unique")
        ]
        indexes = [models.Index(fields=["store", "tier"])]

    def __str__(self):
        return f"{self.user} @ {self.store} ({self.get_tier_display()})"

    def get_absolute_url(self):
        return reverse("home")

    def badge_label(self) -> str:
        """The role tier and the job title, without saying the same word twice: "营业员" rather than
        "营业员 · 营业员", the title alone when it contains the tier's name."""
        tier, title = str(self.get_tier_display()), self.title.strip()
        if not title or title in tier:
            return tier
        if tier in title:
            return title
        return f"{tier} · {title}"
