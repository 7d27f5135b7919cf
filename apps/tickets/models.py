"""Service tickets: repair orders (委托书), complaints (投诉), inquiries (咨询) and matters handed to a
supervisor (后续服务), with promised time, settlement, on-time delivery and escalation."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.customers.models import Asset, Customer, FileAttachment
from apps.org.access import ScopedQuerySet
from apps.org.models import Store, StoreKind


class TicketQuerySet(ScopedQuerySet):
    store_lookup = "store"

    def open(self):
        return self.exclude(state__in=[Ticket.State.RESOLVED, Ticket.State.CLOSED])


class Ticket(models.Model):
    class Kind(models.TextChoices):
        REPAIR_ORDER = "repair_order", _("Repair order (委托书)")
        COMPLAINT = "complaint", _("Complaint")
        INQUIRY = "inquiry", _("Inquiry")
        FOLLOW_ON = "follow_on", _("Follow-on service")

    class State(models.TextChoices):
        NEW = "new", _("New")
        IN_PROGRESS = "in_progress", _("In progress")
        WAITING_CUSTOMER = "waiting_customer", _("Waiting for customer")
        WAITING_PARTS = "waiting_parts", _("Waiting for parts")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")

    class Priority(models.TextChoices):
        LOW = "low", _("Low")
        NORMAL = "normal", _("Normal")
        HIGH = "high", _("High")
        URGENT = "urgent", _("Urgent")

    store = models.ForeignKey(
        Store, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("store")
    )
    number = models.CharField(_("number"), max_length=30, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("customer")
    )
    asset = models.ForeignKey(
        Asset,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("asset"),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.NEW, db_index=True
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets_assigned",
        verbose_name=_("assignee"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="tickets_created",
        verbose_name=_("created by"),
    )
    source = models.CharField(_("source"), max_length=40, blank=True, help_text=_("e.g. followup:12"))
    is_major_repair = models.BooleanField(_("major repair"), default=False)
    # Policy deadline for an answer (complaints: 2 days, configurable), separate from the promise.
    answer_due_at = models.DateTimeField(_("answer due"), null=True, blank=True)
    answered_at = models.DateTimeField(_("customer answered at"), null=True, blank=True)
    solution_found_at = models.DateTimeField(_("solution found at"), null=True, blank=True)
    # The first answer to the customer after the solution was found (the same-day rule measures it).
    solution_told_at = models.DateTimeField(_("customer told the solution at"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    # Escalation bookkeeping for the beat job: when to warn, when the next level is due, and who
    # the ticket has been escalated to (the reporting line above the assignee).
    warn_at = models.DateTimeField(_("warn at"), null=True, blank=True)
    next_escalation_at = models.DateTimeField(_("next escalation at"), null=True, blank=True, db_index=True)
    escalated_to = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="tickets_escalated", verbose_name=_("escalated to")
    )
    # Repair orders: the promised delivery time (约定交车时间) and the settlement (结算单).
    promised_at = models.DateTimeField(_("promised delivery time"), null=True, blank=True)
    settled_at = models.DateTimeField(_("settlement time"), null=True, blank=True, db_index=True)
    settlement_amount = models.DecimalField(
        _("settlement amount"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    # Filled at settlement: delivered on time, counting customer-confirmed delays and re-confirmed
    # added items. An order settled without a promise is late (准时交车率 counts every settled order).
    on_time = models.BooleanField(_("on time"), null=True, blank=True)
    # The station's monthly quality meeting reads 准时交车率 by mechanic and the reasons of late orders.
    mechanic = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="repair_orders_worked",
        verbose_name=_("mechanic (维修技师)"),
    )
    late_reason = models.CharField(
        _("why it was late"),
        max_length=120,
        blank=True,
        help_text=_("e.g. 等待配件, 增项未确认, 技师排班不足"),
    )
    # The manager's review (e.g. the customer said in the follow-up call it was not delivered on time).
    review_flagged_at = models.DateTimeField(_("flagged for review at"), null=True, blank=True)
    review_reason = models.CharField(_("why it needs a review"), max_length=250, blank=True)
    review_resolved_at = models.DateTimeField(_("review resolved at"), null=True, blank=True)
    review_resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("review resolved by"),
    )
    review_resolution = models.TextField(_("review outcome"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, db_index=True)

    objects = TicketQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["store", "state"]),
            models.Index(fields=["store", "kind", "-created_at"]),
            models.Index(fields=["assignee", "state"]),
            # The list's scope and order: an index scan that stops at the page size.
            models.Index(fields=["store", "-created_at", "-id"], name="ticket_store_newest_idx"),
            # "My tickets" on the home page: the open ones assigned to a person, soonest due first.
            models.Index(
                fields=["assignee", "answer_due_at", "promised_at", "created_at", "id"],
                condition=~models.Q(state__in=["resolved", "closed"]),
                name="ticket_open_by_assignee_idx",
            ),
            # "Escalated to me" on the home page: the open tickets among those ever escalated to a
            # person, with their order, read from the index alone.
            models.Index(
                fields=["id"],
                include=["store", "answer_due_at", "promised_at", "created_at"],
                condition=~models.Q(state__in=["resolved", "closed"]),
                name="ticket_open_cover_idx",
            ),
            # The dashboard's escalated complaints: a few rows out of every complaint.
            models.Index(
                fields=["store", "answer_due_at", "id"],
                condition=models.Q(kind="complaint", escalation_level__gt=0),
                name="ticket_escalated_complaint_idx",
            ),
            # The manager's review list: a few flagged rows out of every order.
            models.Index(
                fields=["store", "review_flagged_at"],
                condition=models.Q(review_flagged_at__isnull=False, review_resolved_at__isnull=True),
                name="ticket_review_open_idx",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("tickets:detail", args=[self.pk])

    @property
    def needs_review(self) -> bool:
        return bool(self.review_flagged_at and not self.review_resolved_at)


class TicketEvent(models.Model):
    """The ticket's timeline: comments, state changes, answers to the customer, escalations."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        COMMENT = "comment", _("Comment")
        STATE = "state", _("State changed")
        ASSIGNED = "assigned", _("Assigned")
        ANSWERED = "answered", _("Answered the customer")
        SOLUTION = "solution", _("Solution found")
        ESCALATED = "escalated", _("Escalated")
        WARNING = "warning", _("Escalation warning")
        PROMISE = "promise", _("Promised time changed")
        ADDED_ITEM = "added_item", _("Added item")
        DELAY = "delay", _("Customer-caused delay")
        CONFIRMED = "confirmed", _("Customer confirmed")
        SETTLED = "settled", _("Settled")
        REVIEW = "review", _("Flagged for the manager's review")
        REVIEWED = "reviewed", _("Review resolved")

    # A ticket with events is never deleted: it is closed.
    ticket = models.ForeignKey(
        Ticket, on_delete=models.PROTECT, related_name="events", verbose_name=_("ticket")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    text = models.TextField(_("text"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    # Idempotency of beat jobs (e.g. "escalate:2"): one event per key and ticket.
    key = models.CharField(_("key"), max_length=60, blank=True)

    never_deleted = True

    class Meta:
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "key"], condition=~models.Q(key=""), name="tickets_event_unique_key"
            )
        ]

    def __str__(self):
        return f"{self.ticket.number} {self.get_kind_display()}"


class AddedItem(models.Model):
    """An added item (增项) on a repair order; it moves the promise only once the customer re-confirms."""

    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="added_items", verbose_name=_("ticket")
    )
    description = models.CharField(_("item"), max_length=200)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2, default=0)
    proposed_promised_at = models.DateTimeField(_("proposed new promised time"), null=True, blank=True)
    # Set with the Confirmation record; a bare note (older rows) is not a re-confirmation.
    customer_confirmed_at = models.DateTimeField(_("customer re-confirmed at"), null=True, blank=True)
    confirmation_note = models.CharField(_("how the customer confirmed"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("added item")
        verbose_name_plural = _("added items")
        ordering = ["pk"]

    def __str__(self):
        return self.description


class CustomerDelay(models.Model):
    """A delay the customer caused; counts as on time only with the customer's confirmation recorded."""

    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="customer_delays", verbose_name=_("ticket")
    )
    reason = models.CharField(_("reason"), max_length=200)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1)
    customer_confirmed_at = models.DateTimeField(_("customer confirmed at"), null=True, blank=True)
    confirmation_note = models.CharField(_("how the customer confirmed"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("customer-caused delay")
        verbose_name_plural = _("customer-caused delays")
        ordering = ["pk"]

    def __str__(self):
        return self.reason


class Confirmation(models.Model):
    """The customer's confirmation of an added item (增项) or a customer-caused delay: who
    confirmed, by which channel, when, and who recorded it (准时交车率目标管理: 顾客再次确认 /
    顾客签字确认). Kept for good: the on-time figure rests on it."""

    class Channel(models.TextChoices):
        PHONE = "phone", _("Phone call")
        SIGNATURE = "signature", _("Signature on the order")
        MESSAGE = "message", _("Message (SMS / chat)")

    ticket = models.ForeignKey(
        Ticket, on_delete=models.PROTECT, related_name="confirmations", verbose_name=_("ticket")
    )
    added_item = models.OneToOneField(
        AddedItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="confirmation",
        verbose_name=_("added item"),
    )
    delay = models.OneToOneField(
        CustomerDelay,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="confirmation",
        verbose_name=_("customer-caused delay"),
    )
    confirmed_by_name = models.CharField(_("confirmed by (customer)"), max_length=120)
    contact = models.CharField(_("customer contact"), max_length=60, blank=True)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    confirmed_at = models.DateTimeField(_("confirmed at"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    never_deleted = True

    class Meta:
        verbose_name = _("customer confirmation")
        verbose_name_plural = _("customer confirmations")
        ordering = ["confirmed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(added_item__isnull=False, delay__isnull=True)
                | models.Q(added_item__isnull=True, delay__isnull=False),
                name="tickets_confirmation_one_subject",
            )
        ]

    def __str__(self):
        return f"{self.confirmed_by_name} · {self.get_channel_display()}"


def ticket_attachment_path(instance, filename):
    return f"tickets/{instance.ticket_id}/{filename}"


class TicketAttachment(FileAttachment):
    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("ticket")
    )
    file = models.FileField(_("file"), upload_to=ticket_attachment_path, max_length=300)


class AnswerPolicy(models.Model):
    """How long a kind (and priority) of ticket may wait for an answer, in the store's business days.

    No row for a kind: the default in `apps.tickets.escalation.DEFAULT_POLICIES` applies.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=Ticket.Kind.choices)
    priority = models.CharField(
        _("priority"), max_length=10, choices=Ticket.Priority.choices, blank=True, help_text=_("empty: any")
    )
    business_days = models.DecimalField(_("answer within (business days)"), max_digits=5, decimal_places=2)
    warn_hours = models.DecimalField(
        _("warn before the breach (business hours)"), max_digits=5, decimal_places=1, default=4
    )

    class Meta:
        verbose_name = _("answer policy")
        verbose_name_plural = _("answer policies")
        ordering = ["kind", "priority"]
        constraints = [models.UniqueConstraint(fields=["kind", "priority"], name="tickets_policy_unique")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.get_priority_display() or '*'}: {self.business_days}"


# The kinds of ticket each kind of store takes when no TicketKindSetting row says otherwise (the
# data migration writes these rows; an admin edits them): 委托书 are the car station's paper.
DEFAULT_TICKET_KINDS: dict[str, tuple[str, ...]] = {
    StoreKind.SERVICE_STATION: tuple(Ticket.Kind.values),
    StoreKind.BUSINESS_HALL: (Ticket.Kind.COMPLAINT, Ticket.Kind.INQUIRY, Ticket.Kind.FOLLOW_ON),
    StoreKind.BANK_BRANCH: (Ticket.Kind.COMPLAINT, Ticket.Kind.INQUIRY, Ticket.Kind.FOLLOW_ON),
    StoreKind.BACK_OFFICE: (Ticket.Kind.COMPLAINT, Ticket.Kind.INQUIRY, Ticket.Kind.FOLLOW_ON),
}


class TicketKindSetting(models.Model):
    """Whether stores of a kind take tickets of a kind: the ticket kinds a clerk may open, filter
    and import at a business hall, a service station, a bank branch or a back office."""

    store_kind = models.CharField(_("store kind"), max_length=20, choices=StoreKind.choices)
    kind = models.CharField(_("ticket kind"), max_length=20, choices=Ticket.Kind.choices)
    is_offered = models.BooleanField(_("offered"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ticket kind of a store kind")
        verbose_name_plural = _("ticket kinds of the store kinds")
        ordering = ["store_kind", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["store_kind", "kind"], name="tickets_kind_setting_unique")
        ]

    def __str__(self):
        return f"{self.get_store_kind_display()}: {self.get_kind_display()}"


class Holiday(models.Model):
    """A day on which a store (or, with no store, every store) is closed: deadlines skip it."""

    date = models.DateField(_("date"), db_index=True)
    name = models.CharField(_("name"), max_length=60)
    store = models.ForeignKey(
        Store,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="holidays",
        verbose_name=_("store"),
        help_text=_("empty: every store"),
    )

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["date", "store"], name="tickets_holiday_unique")]

    def __str__(self):
        return f"{self.date} {self.name}"
