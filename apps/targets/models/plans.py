"""Target plans (目标计划书) and their tables: objectives, headcount, budget, action steps.

An approved plan never changes: `save()` and `delete()` refuse, and so do its child rows. A
correction is a new version that supersedes it; only the tracking status of its action steps moves.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.customers.models import FileAttachment
from apps.org.access import ScopedQuerySet
from apps.org.models import Department, Store


class Locked(ValidationError):
    """Raised when something tries to change an approved plan or a signed letter."""


class Quarter(models.IntegerChoices):
    Q1 = 1, _("Q1")
    Q2 = 2, _("Q2")
    Q3 = 3, _("Q3")
    Q4 = 4, _("Q4")


class StepStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class PlanQuerySet(ScopedQuerySet):
    store_lookup = "store"


# The prose sections of the 目标计划书 outline, in the order of the source document (一、目标背景分析;
# 三、(一) 所需资源 2-5 and 7-10, (二) 激励措施; 附件1 制度流程建设目标). The tables are the
# objectives (二), the headcount plan (附件2), the quarterly budget (附件3) and the action steps (附件4).
PLAN_SECTIONS = [
    "opportunities",
    "risks",
    "team_review",
    "resources_review",
    "functions_review",
    "direction",
    "post_proposals",
    "department_kpis",
    "post_kpis",
    "training",
    "policy_proposals",
    "resource_proposals",
    "authority_proposals",
    "management_mode",
    "incentives",
    "process_targets",
]
# 二、(五) 团队建设目标 3: 人员流失控制率 (分核心和一般), in percent.
PLAN_ATTRITION_FIELDS = ["attrition_core_pct", "attrition_general_pct"]


class TargetPlan(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        SUPERSEDED = "superseded", _("Superseded")

    store = models.ForeignKey(
        Store, on_delete=models.PROTECT, related_name="target_plans", verbose_name=_("store")
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="target_plans", verbose_name=_("department")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("supersedes"),
    )
    number = models.CharField(_("document number"), max_length=40)
    title = models.CharField(_("title"), max_length=120)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("responsible")
    )
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    # 一、背景分析
    opportunities = models.TextField(_("external opportunities"), blank=True)
    risks = models.TextField(_("external risks"), blank=True)
    team_review = models.TextField(_("team building and department management"), blank=True)
    resources_review = models.TextField(_("resources and authority"), blank=True)
    functions_review = models.TextField(_("functional management and support"), blank=True)
    direction = models.TextField(_("direction for the year"), blank=True)
    # 二、(五) 团队建设目标 3: 人员流失控制率, core and general staff (the other objectives are rows).
    attrition_core_pct = models.DecimalField(
        _("core staff attrition kept under (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    attrition_general_pct = models.DecimalField(
        _("general staff attrition kept under (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    # 三、保障措施 (一) 所需资源 (prose parts; headcount and budget are tables, 附件2 and 附件3)
    post_proposals = models.TextField(_("post settings"), blank=True)
    department_kpis = models.TextField(_("department KPIs"), blank=True)
    post_kpis = models.TextField(_("post KPIs"), blank=True)
    training = models.TextField(_("training"), blank=True)
    # 7. 公司制度、流程修改建议 (plans before the split kept both 7 and 8 here).
    policy_proposals = models.TextField(_("company policy and process change proposals"), blank=True)
    resource_proposals = models.TextField(_("company-level resource allocation proposals"), blank=True)
    authority_proposals = models.TextField(_("department authority proposals"), blank=True)
    management_mode = models.TextField(_("daily management mode adjustments"), blank=True)
    # (二) 达成与否的激励措施
    incentives = models.TextField(_("incentives"), blank=True)
    # 附件1: 制度流程建设目标
    process_targets = models.TextField(_("policy and process building targets (annex 1)"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by (签发人)"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    never_deleted = models.Q(state__in=[State.APPROVED, State.SUPERSEDED])

    objects = PlanQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target plan")
        verbose_name_plural = _("target plans")
        ordering = ["-year", "department__name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "year", "version"], name="targets_plan_unique_version"
            ),
        ]
        indexes = [models.Index(fields=["store", "year"])]

    def __str__(self):
        return f"{self.year} {self.department.name} v{self.version}"

    def save(self, *args, **kwargs):
        stored = self._stored_state()
        if stored == self.State.SUPERSEDED or (
            stored == self.State.APPROVED and self.state != self.State.SUPERSEDED
        ):
            raise Locked(_("An approved plan cannot be changed; start a new version."))
        if stored == self.State.APPROVED:
            # Approved → superseded: nothing but the state may change.
            original = TargetPlan.objects.get(pk=self.pk)
            for f in self._meta.concrete_fields:
                if f.name != "state" and getattr(original, f.attname) != getattr(self, f.attname):
                    raise Locked(_("An approved plan cannot be changed; start a new version."))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("targets:plan", args=[self.pk])

    def delete(self, *args, **kwargs):
        if self._stored_state() in (self.State.APPROVED, self.State.SUPERSEDED):
            raise Locked(_("An approved plan cannot be deleted."))
        return super().delete(*args, **kwargs)

    @property
    def is_editable(self) -> bool:
        return self.state == self.State.DRAFT

    def _stored_state(self) -> str | None:
        if not self.pk:
            return None
        return TargetPlan.objects.filter(pk=self.pk).values_list("state", flat=True).first()


class PlanChild(models.Model):
    """A row of one of the plan's tables: frozen once the plan is approved."""

    never_deleted = models.Q(plan__state__in=[TargetPlan.State.APPROVED, TargetPlan.State.SUPERSEDED])

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._check_plan()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._check_plan()
        return super().delete(*args, **kwargs)

    def _check_plan(self):
        state = TargetPlan.objects.filter(pk=self.plan_id).values_list("state", flat=True).first()
        if state not in (None, TargetPlan.State.DRAFT, TargetPlan.State.SUBMITTED):
            raise Locked(_("An approved plan cannot be changed; start a new version."))


def plan_attachment_path(instance, filename):
    return f"targets/plans/{instance.plan_id}/{filename}"


class PlanAttachment(PlanChild, FileAttachment):
    """A document attached to the plan (附件): added while the plan is a draft, frozen with it."""

    plan = models.ForeignKey(
        TargetPlan, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("plan")
    )
    label = models.CharField(_("annex"), max_length=80, blank=True, help_text=_("e.g. 附件2 人员编制计划"))
    file = models.FileField(_("file"), upload_to=plan_attachment_path, max_length=300)

    class Meta:
        verbose_name = _("plan attachment")
        verbose_name_plural = _("plan attachments")
        ordering = ["plan", "label", "pk"]

    def __str__(self):
        return self.label or self.name


class PlanObjective(PlanChild):
    class Category(models.TextChoices):
        BASIC = "basic", _("Basic work")
        FUNCTIONAL = "functional", _("Functional management")
        SUPPORT = "support", _("Support services")
        SPECIAL = "special", _("Special projects")
        TEAM = "team", _("Team building")
        MANAGEMENT = "management", _("Department management")

    plan = models.ForeignKey(
        TargetPlan, on_delete=models.CASCADE, related_name="objectives", verbose_name=_("plan")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    text = models.TextField(_("objective"))
    owner = models.CharField(_("owner"), max_length=60, blank=True)
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=Quarter, null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=StepStatus, default=StepStatus.PLANNED)

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["plan", "category", "order", "pk"]

    def __str__(self):
        return self.text[:60]


class HeadcountLine(PlanChild):
    plan = models.ForeignKey(
        TargetPlan, on_delete=models.CASCADE, related_name="headcount", verbose_name=_("plan")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    post = models.CharField(_("post"), max_length=80)
    current = models.PositiveSmallIntegerField(_("current headcount"), default=0)
    planned = models.PositiveSmallIntegerField(_("planned headcount"), default=0)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("headcount line")
        verbose_name_plural = _("headcount plan")
        ordering = ["plan", "order", "pk"]

    def __str__(self):
        return self.post


class BudgetLine(PlanChild):
    plan = models.ForeignKey(
        TargetPlan, on_delete=models.CASCADE, related_name="budget", verbose_name=_("plan")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    item = models.CharField(_("budget item"), max_length=120)
    is_operating = models.BooleanField(_("operating cost"), default=True)
    q1 = models.DecimalField(_("Q1"), max_digits=12, decimal_places=2, default=0)
    q2 = models.DecimalField(_("Q2"), max_digits=12, decimal_places=2, default=0)
    q3 = models.DecimalField(_("Q3"), max_digits=12, decimal_places=2, default=0)
    q4 = models.DecimalField(_("Q4"), max_digits=12, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("quarterly budget")
        ordering = ["plan", "order", "pk"]

    def __str__(self):
        return self.item

    @property
    def total(self) -> Decimal:
        return (self.q1 or 0) + (self.q2 or 0) + (self.q3 or 0) + (self.q4 or 0)


class StepQuerySet(ScopedQuerySet):
    store_lookup = "plan__store"


class ActionStep(models.Model):
    """A quarterly action step (行动步骤): its text is frozen with the plan, its status is tracked."""

    plan = models.ForeignKey(
        TargetPlan, on_delete=models.CASCADE, related_name="steps", verbose_name=_("plan")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    quarter = models.PositiveSmallIntegerField(_("due quarter"), choices=Quarter)
    text = models.TextField(_("action step"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="target_steps",
        verbose_name=_("owner"),
    )
    status = models.CharField(_("status"), max_length=12, choices=StepStatus, default=StepStatus.PLANNED)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)

    never_deleted = models.Q(plan__state__in=[TargetPlan.State.APPROVED, TargetPlan.State.SUPERSEDED])

    objects = StepQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("action step")
        verbose_name_plural = _("action steps")
        ordering = ["plan", "quarter", "order", "pk"]
        indexes = [models.Index(fields=["owner", "status"])]

    def __str__(self):
        return self.text[:60]

    FROZEN = ("plan_id", "order", "quarter", "text", "owner_id")

    def save(self, *args, **kwargs):
        state = TargetPlan.objects.filter(pk=self.plan_id).values_list("state", flat=True).first()
        if state in (TargetPlan.State.APPROVED, TargetPlan.State.SUPERSEDED):
            if not self.pk:
                raise Locked(_("An approved plan cannot be changed; start a new version."))
            original = ActionStep.objects.filter(pk=self.pk).values(*self.FROZEN).first()
            if any(original[f] != getattr(self, f) for f in self.FROZEN):
                raise Locked(_("Only the status of an approved plan's action step can change."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        state = TargetPlan.objects.filter(pk=self.plan_id).values_list("state", flat=True).first()
        if state in (TargetPlan.State.APPROVED, TargetPlan.State.SUPERSEDED):
            raise Locked(_("An approved plan cannot be changed; start a new version."))
        return super().delete(*args, **kwargs)
