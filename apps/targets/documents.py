"""Printed plans, letters and pay sheets, and a department's whole year as one PDF."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

from apps.org.access import can, stores_where
from apps.printing.builders import register_builder
from apps.printing.documents import pdf_response, render_pdf, render_pdf_book

from . import kpis
from .models import PaySheet, ResponsibilityLetter, TargetPlan


def budget_totals(plan: TargetPlan) -> dict:
    totals = plan.budget.aggregate(q1=Sum("q1"), q2=Sum("q2"), q3=Sum("q3"), q4=Sum("q4"))
    totals = {k: v or Decimal(0) for k, v in totals.items()}
    totals["total"] = sum(totals.values(), Decimal(0))
    return totals


def plan_context(plan: TargetPlan) -> dict:
    objectives = list(plan.objectives.all())
    groups = []
    for value, label in plan.objectives.model.Category.choices:
        rows = [o for o in objectives if o.category == value]
        groups.append({"value": value, "label": label, "rows": rows})
    return {
        "plan": plan,
        "objective_groups": groups,
        "headcount": plan.headcount.all(),
        "budget": plan.budget.all(),
        "budget_totals": budget_totals(plan),
        "steps": plan.steps.select_related("owner"),
        "attachments": plan.attachments.all(),
    }


def letter_context(letter: ResponsibilityLetter) -> dict:
    lines = []
    for line in letter.kpis.all():
        entry = kpis.get_kpi(line.kpi_key) if line.kpi_key else None
        lines.append({"line": line, "entry": entry})
    return {"letter": letter, "lines": lines}


def plan_pdf_response(plan: TargetPlan):
    pdf = render_pdf("targets/pdf/plan.html", plan_context(plan))
    return pdf_response(pdf, f"{plan.number}.pdf")


def letter_pdf_response(letter: ResponsibilityLetter):
    pdf = render_pdf("targets/pdf/letter.html", letter_context(letter))
    return pdf_response(pdf, f"{letter.number}.pdf")


def pay_pdf_response(sheet: PaySheet):
    pdf = render_pdf("targets/pdf/pay_sheets.html", {"sheets": [sheet], "title": str(sheet)})
    return pdf_response(pdf, f"pay-{sheet.user.username}-{sheet.month:%Y-%m}.pdf")


@register_builder("targets.department_year")
def department_year(*, job, params, progress) -> tuple[str, bytes]:
    """The plan, the letters of its store and year, and the year's pay sheets, as one book."""
    plan = TargetPlan.objects.select_related("department", "store", "responsible", "approved_by").get(
        pk=params["plan_id"]
    )
    owner = job.owner
    if not can(owner, "targets.view", plan.store):
        raise PermissionError("not allowed")
    parts: list[tuple[str, dict]] = [("targets/pdf/plan.html", plan_context(plan))]
    letters = ResponsibilityLetter.objects.filter(
        store=plan.store, period_start__year=plan.year
    ).select_related("store", "holder", "issuer", "position")
    for letter in letters:
        parts.append(("targets/pdf/letter.html", letter_context(letter)))
    sheets = list(
        PaySheet.objects.filter(
            store=plan.store, month__year=plan.year, store__in=stores_where(owner, "pay.view_store")
        )
        .select_related("store", "user", "scheme__position")
        .order_by("month", "user__username")
    )
    if sheets:
        parts.append(("targets/pdf/pay_sheets.html", {"sheets": sheets, "title": plan.department.name}))
    pdf = render_pdf_book(parts, progress=progress)
    return f"{plan.year}-{plan.department.code}.pdf", pdf
