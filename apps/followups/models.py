"""Follow-up rules (data an admin edits), the follow-ups they create (the queue), call attempts,
campaigns, and the reminder outbox: reminders and their send log
(the in-app inbox itself is apps.notifications)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.customers.models import Asset, Customer
from apps.org.access import ScopedQuerySet
from apps.org.models import Organisation, Store
from apps.tickets.models import Ticket

from .surveys import answer_label


class Trigger(models.TextChoices):
    DELIVERED = "delivered", _("Vehicle or product delivered")
    TICKET_CLOSED = "ticket_closed", _("Ticket closed (customer picked up)")
    MAJOR_REPAIR_CLOSED = "major_repair", _("Major repair closed")
    MAINTENANCE_DUE = "maintenance_due", _("Asset maintenance due")
    TIER_PERIODIC = "tier_periodic", _("Customer tier, periodic")
    CAMPAIGN = "campaign", _("Campaign")
    CHAIN = "chain", _("After the previous follow-up")


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    VISIT = "visit", _("Visit")
    LETTER = "letter", _("Letter")
    SMS = "sms", _("SMS / chat")


class AssigneePolicy(models.TextChoices):
    OWNER = "owner", _("File owner")
    POSITION = "position", _("A position in the store")
    ROUND_ROBIN = "round_robin", _("Round robin among after-sales staff")


class Priority(models.IntegerChoices):
    HIGH = 1, _("High")
    NORMAL = 2, _("Normal")
    LOW = 3, _("Low")


class RuleQuerySet(models.QuerySet):
    def for_user(self, user):
        from apps.org.access import stores_for

        if getattr(user, "is_superuser", False) and user.is_active:
            return self
        return self.filter(organisation_id__in=stores_for(user).values("organisation_id"))


class FollowUpRule(models.Model):
    """When to call whom, about what: a trigger, conditions, a window, a channel and an assignee policy."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="followup_rules", verbose_name=_("organisation")
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    is_active = models.BooleanField(_("active"), default=True)
    trigger = models.CharField(_("trigger"), max_length=20, choices=Trigger)
    # Conditions: empty means "any".
    tiers = models.JSONField(_("customer tiers"), default=list, blank=True)
    ticket_kinds = models.JSONField(_("ticket kinds"), default=list, blank=True)
    asset_kind = models.CharField(_("asset type"), max_length=10, choices=Asset.Kind.choices, blank=True)
    # The kinds of store the rule calls for (empty: every kind): the station's 是否准时交车 call is
    # not the business hall's or the bank branch's.
    store_kinds = models.JSONField(
        _("store kinds"), default=list, blank=True, help_text=_("empty: every kind")
    )
    store = models.ForeignKey(
        Store,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="followup_rules",
        verbose_name=_("only in store"),
    )
    window_start_days = models.IntegerField(
        _("window opens (days)"), help_text=_("days after the trigger, or after the previous follow-up")
    )
    window_end_days = models.IntegerField(_("window closes (days)"))
    grace_days = models.PositiveSmallIntegerField(
        _("overdue grace (days)"),
        default=3,
        help_text=_("after the window closes, before it counts as missed"),
    )
    period_months = models.PositiveSmallIntegerField(
        _("period (months)"), default=6, help_text=_("periodic rules: one follow-up per period")
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel, default=Channel.PHONE)
    assignee_policy = models.CharField(
        _("assignee"), max_length=20, choices=AssigneePolicy, default=AssigneePolicy.OWNER
    )
    position = models.ForeignKey(
        "roles.Position",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("position"),
    )
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority, default=Priority.NORMAL)
    talking_points = models.TextField(_("talking points"), blank=True)
    survey_name = models.CharField(_("survey form"), max_length=80, blank=True)
    survey_items = models.JSONField(_("survey items"), default=list, blank=True)
    next_rule = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="previous_rules",
        verbose_name=_("next follow-up"),
    )
    skip_if_open_order = models.BooleanField(_("skip when the asset has an open order"), default=False)
    retry_hours = models.JSONField(
        _("retry ladder (hours)"), default=list, blank=True, help_text=_("after each unanswered call")
    )

    objects = RuleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("follow-up rule")
        verbose_name_plural = _("follow-up rules")
        ordering = ["organisation", "trigger", "code"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="followups_rule_unique_code")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("followups:rule_edit", args=[self.pk])

    def calls_for(self, store_kind: str) -> bool:
        """Whether the rule calls customers of a store of this kind."""
        return not self.store_kinds or store_kind in self.store_kinds


class CampaignQuerySet(ScopedQuerySet):
    store_lookup = "store"


class Campaign(models.Model):
    class Kind(models.TextChoices):
        FREE_CHECK = "free_check", _("Free inspection week")
        DISCOUNT_MONTH = "discount_month", _("Discount service month")
        GATHERING = "gathering", _("Customer gathering")
        OTHER = "other", _("Other")

    store = models.ForeignKey(
        Store, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("store")
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.FREE_CHECK)
    event_date = models.DateField(_("event date"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    letter_body = models.TextField(_("letter text"), blank=True)
    criteria = models.JSONField(_("customer filters"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CampaignQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-event_date", "-pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("followups:campaign", args=[self.pk])


class FollowUpQuerySet(ScopedQuerySet):
    store_lookup = "store"

    def active(self):
        return self.filter(state__in=FollowUp.ACTIVE)


# Active follow-ups that may wait for a later day although their window has opened.
WAITING = (
    models.Q(state="scheduled")
    | models.Q(snoozed_until__isnull=False)
    | models.Q(next_attempt_at__isnull=False)
)


class FollowUp(models.Model):
    """One follow-up in the queue, created by a rule for a trigger; keyed (rule, trigger, sequence)."""

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        UNREACHABLE = "unreachable", _("Unreachable")
        MISSED = "missed", _("Missed (expired)")
        SKIPPED = "skipped", _("Skipped")

    ACTIVE = (State.SCHEDULED, State.OPEN)

    store = models.ForeignKey(
        Store, on_delete=models.PROTECT, related_name="followups", verbose_name=_("store")
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="followups", verbose_name=_("customer")
    )
    asset = models.ForeignKey(
        Asset,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="followups",
        verbose_name=_("asset"),
    )
    ticket = models.ForeignKey(
        Ticket,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="followups",
        verbose_name=_("trigger ticket"),
    )
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="followups",
        verbose_name=_("campaign"),
    )
    rule = models.ForeignKey(
        FollowUpRule, on_delete=models.PROTECT, related_name="followups", verbose_name=_("rule")
    )
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_followups",
        verbose_name=_("previous follow-up"),
    )
    key = models.CharField(_("key"), max_length=80, unique=True)
    trigger = models.CharField(_("trigger"), max_length=20, choices=Trigger)
    trigger_date = models.DateField(_("trigger date"))
    reason = models.CharField(_("why it is due"), max_length=250)
    window_start = models.DateField(_("window opens"))
    window_end = models.DateField(_("window closes"))
    expires_on = models.DateField(_("expires on"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel, default=Channel.PHONE)
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority, default=Priority.NORMAL)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="followups_assigned",
        verbose_name=_("assignee"),
    )
    talking_points = models.TextField(_("talking points"), blank=True)
    survey_name = models.CharField(_("survey form"), max_length=80, blank=True)
    survey_items = models.JSONField(_("survey items"), default=list, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.SCHEDULED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("call again at"), null=True, blank=True)
    snoozed_until = models.DateField(_("snoozed until"), null=True, blank=True)
    snooze_reason = models.CharField(_("snooze reason"), max_length=200, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction (1–5)"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    # The local date of `completed_at`, stored so that the KPIs compare dates from an index instead of
    # converting every row's time to the local date (set with it: `engine.followup_close`).
    completed_on = models.DateField(_("completed on"), null=True, blank=True, editable=False)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("completed by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = FollowUpQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["window_end", "priority", "pk"]
        indexes = [
            models.Index(fields=["state", "window_start"]),
            models.Index(fields=["state", "expires_on"]),
            models.Index(fields=["store", "state", "window_end"]),
            models.Index(fields=["assignee", "state", "window_end"]),
            models.Index(fields=["store", "window_end"]),
            # The queue's tabs, in their order, over the active follow-ups only.
            models.Index(
                fields=["store", "state", "priority", "window_end", "id"],
                condition=models.Q(state__in=["scheduled", "open"]),
                name="followup_queue_store_idx",
            ),
            models.Index(
                fields=["store", "window_start", "id"],
                condition=models.Q(state__in=["scheduled", "open"]),
                name="followup_upcoming_store_idx",
            ),
            models.Index(
                fields=["assignee", "state", "priority", "window_end", "id"],
                condition=models.Q(state__in=["scheduled", "open"]),
                name="followup_queue_own_idx",
            ),
            # The month's KPIs (home panel, dashboard) read from the index alone.
            models.Index(
                fields=["store", "completed_on"],
                include=["id", "window_end", "satisfaction"],
                condition=models.Q(state="done"),
                name="followup_kpi_done_on_idx",
            ),
            models.Index(
                fields=["store", "window_end"],
                include=["id", "state", "window_start", "completed_on", "satisfaction"],
                name="followup_kpi_due_on_idx",
            ),
            models.Index(
                fields=["assignee", "window_start", "id"],
                condition=models.Q(state__in=["scheduled", "open"]),
                name="followup_upcoming_own_idx",
            ),
            # "Upcoming" among those whose window has opened: waiting for the beat, snoozed or a
            # call-back, without the many that are due now (`selectors._upcoming_parts`).
            models.Index(
                fields=["store", "window_start", "id"],
                condition=models.Q(state__in=["scheduled", "open"]) & WAITING,
                name="followup_waiting_store_idx",
            ),
            models.Index(
                fields=["assignee", "window_start", "id"],
                condition=models.Q(state__in=["scheduled", "open"]) & WAITING,
                name="followup_waiting_own_idx",
            ),
            # The dashboard's overdue count (open, window closed, not yet expired), by store ids.
            models.Index(
                fields=["store", "window_end", "expires_on"],
                include=["id", "assignee"],
                condition=models.Q(state="open"),
                name="followup_overdue_idx",
            ),
        ]

    def __str__(self):
        return f"{self.customer} · {self.rule}"

    def get_absolute_url(self):
        return reverse("followups:detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.state in self.ACTIVE


class Attempt(models.Model):
    """One call (or visit / letter) on a follow-up and what came of it."""

    class Result(models.TextChoices):
        REACHED = "reached", _("Reached")
        NO_ANSWER = "no_answer", _("No answer")
        WRONG_NUMBER = "wrong_number", _("Wrong number")
        CALL_BACK = "call_back", _("Call back at …")

    followup = models.ForeignKey(
        FollowUp, on_delete=models.PROTECT, related_name="attempts_log", verbose_name=_("follow-up")
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    result = models.CharField(_("result"), max_length=20, choices=Result.choices)
    callback_at = models.DateTimeField(_("call back at"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction (1–5)"), null=True, blank=True)
    survey = models.JSONField(_("survey answers"), default=dict, blank=True)
    requests = models.TextField(_("customer requests"), blank=True)
    request_answered = models.BooleanField(_("request answered on the spot"), default=True)
    complaint = models.TextField(_("complaint"), blank=True)
    tickets = models.ManyToManyField(Ticket, blank=True, related_name="+", verbose_name=_("tickets"))

    # The call log: a follow-up with calls is closed, never deleted.
    never_deleted = True

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.followup_id} {self.get_result_display()}"

    def survey_answers(self) -> list[tuple[str, str]]:
        """(question, answer as shown): "是" / "否" for a yes / no question, "4/5" for a score."""
        return [(question, answer_label("", value)) for question, value in (self.survey or {}).items()]


class StoreWebhook(models.Model):
    """A WeCom / DingTalk group robot (an apprise URL) that receives a store's reminders."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+", verbose_name=_("store"))
    name = models.CharField(_("name"), max_length=80)
    url = models.CharField(
        _("apprise URL"), max_length=400, help_text=_("e.g. wecombot://KEY or dingtalk://TOKEN")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("store webhook")
        verbose_name_plural = _("store webhooks")

    def __str__(self):
        return self.name


class RoundRobinCursor(models.Model):
    store = models.OneToOneField(Store, on_delete=models.CASCADE, related_name="+")
    last_user_id = models.BigIntegerField(null=True)

    def __str__(self):
        return f"{self.store_id}:{self.last_user_id}"


class Reminder(models.Model):
    """A reminder due at a time: the outbox row the beat job claims. Sent once (its key is unique)."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Follow-up opens")
        EXPIRING = "expiring", _("About to expire")
        OVERDUE = "overdue", _("Overdue")
        CALLBACK = "callback", _("Call again")
        ALERT = "alert", _("Alert to the manager")

    followup = models.ForeignKey(
        FollowUp, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("follow-up")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    key = models.CharField(_("key"), max_length=80, unique=True)
    due_at = models.DateTimeField(_("due at"))
    text = models.CharField(_("text"), max_length=250, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(
                fields=["due_at"],
                name="followups_reminder_pending",
                condition=models.Q(sent_at__isnull=True, cancelled_at__isnull=True),
            )
        ]

    def __str__(self):
        return self.key


class SendLog(models.Model):
    """Each send of a reminder to one person on one channel; the unique key makes a second send fail."""

    class ChannelKind(models.TextChoices):
        INAPP = "inapp", _("In-app")
        EMAIL = "email", _("E-mail")
        WEBHOOK = "webhook", _("Group webhook")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    # PROTECT throughout: a reminder, a person or a webhook that was sent to is kept (deactivated).
    reminder = models.ForeignKey(
        Reminder, on_delete=models.PROTECT, related_name="sends", verbose_name=_("reminder")
    )
    # No index on the person (rows are never looked up by person: people are deactivated, not
    # deleted) and a partial one on the webhook: dispatch writes thousands of rows a second.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    webhook = models.ForeignKey(
        StoreWebhook, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    channel = models.CharField(_("channel"), max_length=10, choices=ChannelKind.choices)
    key = models.CharField(_("key"), max_length=120, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SENT)
    tries = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(_("error"), max_length=250, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    never_deleted = True

    class Meta:
        verbose_name = _("send log entry")
        verbose_name_plural = _("send log")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["created_at"], name="followups_sendlog_queued", condition=models.Q(status="queued")
            ),
            models.Index(
                fields=["webhook"],
                name="followups_sendlog_webhook",
                condition=models.Q(webhook__isnull=False),
            ),
        ]

    def __str__(self):
        return self.key
