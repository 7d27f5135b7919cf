"""Target plans (目标计划书), responsibility letters (目标责任书), KPI values and performance pay,
by subject: `plans`, `letters`, `kpi_profiles`, `kpi_values`, `pay` (one app, app label `targets`).

Approved plans and signed letters never change: `save()` and `delete()` refuse, and so do the
child rows (objectives, budget lines, letter KPIs). A correction is a new version that supersedes.
Only the tracking status of a plan's action steps moves after approval.
"""

from .kpi_profiles import KindKpi
from .kpi_values import KpiSnapshot, ManualKpiValue
from .letters import LetterKpi, LetterQuerySet, ResponsibilityLetter
from .pay import PayScheme, PaySheet, PaySheetQuerySet
from .plans import (
    PLAN_ATTRITION_FIELDS,
    PLAN_SECTIONS,
    ActionStep,
    BudgetLine,
    HeadcountLine,
    Locked,
    PlanAttachment,
    PlanChild,
    PlanObjective,
    PlanQuerySet,
    Quarter,
    StepQuerySet,
    StepStatus,
    TargetPlan,
    plan_attachment_path,
)

__all__ = [
    "Locked",
    "Quarter",
    "StepStatus",
    "PlanQuerySet",
    "PLAN_SECTIONS",
    "PLAN_ATTRITION_FIELDS",
    "PlanAttachment",
    "plan_attachment_path",
    "TargetPlan",
    "PlanChild",
    "PlanObjective",
    "HeadcountLine",
    "BudgetLine",
    "StepQuerySet",
    "ActionStep",
    "LetterQuerySet",
    "ResponsibilityLetter",
    "LetterKpi",
    "KindKpi",
    "ManualKpiValue",
    "KpiSnapshot",
    "PayScheme",
    "PaySheetQuerySet",
    "PaySheet",
]
