"""Writes on plans, letters, KPI values and pay sheets."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.months import next_month
from apps.org.access import can, require
from apps.org.models import Department, Store, User
from apps.org.passwords import PasswordRefused, password_confirm

from . import kpis
from .four_eyes import require_sign_off
from .kpis import monthly_target
from .models import (
    PLAN_ATTRITION_FIELDS,
    PLAN_SECTIONS,
    ActionStep,
    BudgetLine,
    HeadcountLine,
    LetterKpi,
    Locked,
    ManualKpiValue,
    PayScheme,
    PaySheet,
    PlanAttachment,
    PlanObjective,
    ResponsibilityLetter,
    StepStatus,
    TargetPlan,
)
from .profiles import kind_kpi_add, kind_profile_save, profile_keys  # noqa: F401 (the services API)
from .snapshots import snapshot_months, snapshot_refresh, snapshot_refresh_due  # noqa: F401 (the services API)

CENT = Decimal("0.01")
# The output value (产值) the commission of a pay scheme is paid on.
OUTPUT_VALUE = "tickets.output_value"

# ---- plans -----------------------------------------------------------------------------------


def plan_next_number(*, department: Department, year: int, version: int) -> str:
    return f"MB-{year}-{department.code.upper()}-V{version}"


@transaction.atomic
def plan_create(
    *,
    by: User,
    department: Department,
    store: Store,
    year: int,
    responsible: User,
    title: str = "",
    **sections,
) -> TargetPlan:
    require(by, "targets.edit", store)
    version = (TargetPlan.objects.filter(department=department, year=year).count() or 0) + 1
    return TargetPlan.objects.create(
        department=department,
        store=store,
        year=year,
        version=version,
        number=plan_next_number(department=department, year=year, version=version),
        title=title
        or _("%(year)s target plan of %(department)s") % {"year": year, "department": department.name},
        responsible=responsible,
        created_by=by,
        **sections,
    )


@transaction.atomic
def plan_update(*, by: User, plan: TargetPlan, tables=(), **fields) -> TargetPlan:
    """Change a draft plan's fields and, in the same transaction, its tables: `tables` are the plan's
    validated inline formsets (objectives, headcount, budget, action steps)."""
    require(by, "targets.edit", plan.store)
    if not plan.is_editable:
        raise Locked(_("Only a draft plan can be edited."))
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.save()
    for table in tables:
        table.save()
    return plan


@transaction.atomic
def plan_attach(*, by: User, plan: TargetPlan, upload, label: str = "") -> PlanAttachment:
    """An annex (附件) to a draft plan; frozen with the plan once approved."""
    from pathlib import Path

    from apps.customers.services import attachment_validate

    require(by, "targets.edit", plan.store)
    if not plan.is_editable:
        raise Locked(_("Only a draft plan can be edited."))
    attachment_validate(upload)
    return PlanAttachment.objects.create(
        plan=plan,
        label=label.strip()[:80],
        file=upload,
        name=Path(upload.name).name[:200],
        size=upload.size,
        content_type=getattr(upload, "content_type", "") or "",
        uploaded_by=by,
    )


@transaction.atomic
def plan_submit(*, by: User, plan: TargetPlan) -> TargetPlan:
    require(by, "targets.edit", plan.store)
    plan = TargetPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.state != TargetPlan.State.DRAFT:
        raise ValidationError(_("Only a draft plan can be submitted."))
    plan.state = TargetPlan.State.SUBMITTED
    plan.submitted_by, plan.submitted_at = by, timezone.now()
    plan.save()
    return plan


@transaction.atomic
def plan_return(*, by: User, plan: TargetPlan) -> TargetPlan:
    """The approver sends a submitted plan back to draft."""
    require(by, "targets.approve", plan.store)
    plan = TargetPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.state != TargetPlan.State.SUBMITTED:
        raise ValidationError(_("Only a submitted plan can be sent back."))
    plan.state = TargetPlan.State.DRAFT
    plan.save()
    return plan


@transaction.atomic
def plan_approve(*, by: User, plan: TargetPlan) -> TargetPlan:
    """Four eyes: the responsible person's superior approves, never the responsible person."""
    plan = TargetPlan.objects.select_for_update().get(pk=plan.pk)
    require_sign_off(by=by, owner=plan.responsible, store=plan.store, perm="targets.approve")
    if plan.state != TargetPlan.State.SUBMITTED:
        raise ValidationError(_("Only a submitted plan can be approved."))
    if plan.supersedes_id:
        old = TargetPlan.objects.select_for_update().get(pk=plan.supersedes_id)
        if old.state == TargetPlan.State.APPROVED:
            old.state = TargetPlan.State.SUPERSEDED
            old.save()
    plan.state = TargetPlan.State.APPROVED
    plan.approved_by, plan.approved_at = by, timezone.now()
    plan.save()
    return plan


PLAN_COPY_FIELDS = ["title", *PLAN_SECTIONS, *PLAN_ATTRITION_FIELDS]


@transaction.atomic
def plan_new_version(*, by: User, plan: TargetPlan) -> TargetPlan:
    """A draft copy of an approved plan; approving it supersedes the old one."""
    require(by, "targets.edit", plan.store)
    if plan.state != TargetPlan.State.APPROVED:
        raise ValidationError(_("Only an approved plan gets a new version."))
    if TargetPlan.objects.filter(supersedes=plan).exists():
        raise ValidationError(_("This plan already has a newer version."))
    version = TargetPlan.objects.filter(department=plan.department, year=plan.year).count() + 1
    new = TargetPlan.objects.create(
        department=plan.department,
        store=plan.store,
        year=plan.year,
        version=version,
        supersedes=plan,
        number=plan_next_number(department=plan.department, year=plan.year, version=version),
        responsible=plan.responsible,
        created_by=by,
        **{f: getattr(plan, f) for f in PLAN_COPY_FIELDS},
    )
    for model, rel in (
        (PlanObjective, "objectives"),
        (HeadcountLine, "headcount"),
        (BudgetLine, "budget"),
        (ActionStep, "steps"),
    ):
        rows = []
        for row in getattr(plan, rel).all():
            row.pk = None
            row.plan = new
            rows.append(row)
        model.objects.bulk_create(rows)
    return new


@transaction.atomic
def action_step_set_status(*, by: User, step: ActionStep, status: str) -> ActionStep:
    """The owner, or whoever may approve plans in the store, moves a step along."""
    if step.owner_id != by.pk and not can(by, "targets.approve", step.plan.store):
        raise PermissionDenied
    if status not in StepStatus.values:
        raise ValidationError(_("Unknown status."))
    step.status = status
    step.status_changed_at = timezone.now()
    step.save()
    return step


# ---- letters ---------------------------------------------------------------------------------


def letter_next_number(*, store: Store, year: int) -> str:
    stem = f"ZR-{year}-{store.pk:03d}-"
    last = (
        ResponsibilityLetter.objects.filter(number__startswith=stem)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return f"{stem}{(int(last.rsplit('-', 1)[1]) + 1) if last else 1:03d}"


def _number(text: str) -> Decimal | None:
    import re

    m = re.search(r"\d+(?:\.\d+)?", text or "")
    return Decimal(m.group()) if m else None


@transaction.atomic
def letter_create(
    *,
    by: User,
    position,
    holder: User,
    store: Store,
    period_start: dt.date,
    period_end: dt.date,
    plan: TargetPlan | None = None,
    near_term_tasks: str = "",
) -> ResponsibilityLetter:
    """A draft letter pre-filled from the position's current revision (relations, duties, KPIs)."""
    from apps.roles.selectors import duty_tasks_for, kpis_for

    require(by, "targets.approve", store)
    if period_end < period_start:
        raise ValidationError(_("The period ends before it starts."))
    revision = position.current_revision
    relations = {
        "superiors": [p.title for p in position.superiors.all()],
        "subordinates": [p.title for p in position.subordinates.all()],
        "parallels": [p.title for p in position.parallels.all()],
    }
    duties: list[dict] = []
    for task in duty_tasks_for(position=position):
        if not duties or duties[-1]["area"] != task.area.name:
            duties.append({"area": task.area.name, "tasks": []})
        duties[-1]["tasks"].append(task.text)
    letter = ResponsibilityLetter.objects.create(
        store=store,
        position=position,
        revision=revision,
        plan=plan,
        holder=holder,
        issuer=by,
        number=letter_next_number(store=store, year=period_start.year),
        title=revision.title if revision else position.title,
        period_start=period_start,
        period_end=period_end,
        relations=relations,
        appointment=revision.appointment if revision else "",
        summary=revision.summary if revision else "",
        duties=duties,
        near_term_tasks=near_term_tasks,
    )
    position_kpis = list(kpis_for(position=position))
    # Bound only to a KPI of the store's kind (a hall's 满意率 is the hall's, not the station's).
    kind_keys = profile_keys(store.kind)
    weight = (Decimal(100) / len(position_kpis)).quantize(CENT) if position_kpis else Decimal(0)
    LetterKpi.objects.bulk_create(
        LetterKpi(
            letter=letter,
            order=i,
            name=k.name,
            definition=k.definition,
            unit=k.unit,
            kpi_key=kpis.key_for_name(k.name, kind_keys),
            base=_number(k.target),
            weight=weight,
            higher_is_better=(
                entry.higher_is_better
                if (entry := kpis.get_kpi(kpis.key_for_name(k.name, kind_keys)))
                else True
            ),
        )
        for i, k in enumerate(position_kpis, start=1)
    )
    return letter


@transaction.atomic
def letter_kpis_save(*, by: User, letter: ResponsibilityLetter, formset) -> ResponsibilityLetter:
    """Save the letter's KPI lines as edited in `formset` (validated; draft letters only)."""
    require(by, "targets.approve", letter.store)
    if not letter.is_editable:
        raise Locked(_("A signed letter cannot be changed."))
    formset.save()
    return letter


@transaction.atomic
def letter_set_kpis(*, by: User, letter: ResponsibilityLetter, rows: list[dict]) -> ResponsibilityLetter:
    """Replace the letter's KPI lines (draft only); rows: name, kpi_key, unit, base, stretch, weight."""
    require(by, "targets.approve", letter.store)
    if not letter.is_editable:
        raise Locked(_("A signed letter cannot be changed."))
    letter.kpis.all().delete()
    LetterKpi.objects.bulk_create(
        LetterKpi(letter=letter, order=i, **row) for i, row in enumerate(rows, start=1)
    )
    return letter


def letter_sign(
    *, request: HttpRequest, by: User, letter: ResponsibilityLetter, password: str
) -> ResponsibilityLetter:
    """The holder or the issuer signs, re-entering their password. The password goes through the
    sign-in lockout first, outside the transaction, so that a failure stays counted."""
    try:
        password_confirm(request=request, user=by, password=password)
    except PasswordRefused as exc:
        raise ValidationError(str(exc)) from None
    return _letter_sign(by=by, letter=letter)


@transaction.atomic
def _letter_sign(*, by: User, letter: ResponsibilityLetter) -> ResponsibilityLetter:
    letter = ResponsibilityLetter.objects.select_for_update().get(pk=letter.pk)
    now = timezone.now()
    if by.pk == letter.holder_id and not letter.holder_signed_at:
        letter.holder_signed_at = now
    elif by.pk == letter.issuer_id and not letter.issuer_signed_at:
        letter.issuer_signed_at = now
    else:
        raise PermissionDenied
    if not letter.kpis.exists():
        raise ValidationError(_("A letter without KPIs cannot be signed."))
    letter.save()
    return letter


def letter_for(*, user: User, store: Store, month: dt.date) -> ResponsibilityLetter | None:
    """The signed letter binding `user` in `store` during `month`."""
    return (
        ResponsibilityLetter.objects.filter(
            holder=user,
            store=store,
            period_start__lte=next_month(month) - dt.timedelta(days=1),
            period_end__gte=month,
            holder_signed_at__isnull=False,
            issuer_signed_at__isnull=False,
        )
        .order_by("-period_start", "-pk")
        .first()
    )


def letter_score(*, letter: ResponsibilityLetter, month: dt.date) -> tuple[Decimal | None, list[dict]]:
    """Weighted KPI attainment of a letter for a month, 0–120.

    Each line's attainment is actual ÷ base (base ÷ actual where lower is better), capped at the
    stretch target's ratio (or 1.2 without one). Lines with no value this month ("—") are left out
    and the remaining weights count in full; with no line measurable there is no score.
    """
    detail: list[dict] = []
    weighted = Decimal(0)
    weights = Decimal(0)
    for line in letter.kpis.all():
        entry = kpis.get_kpi(line.kpi_key) if line.kpi_key else None
        actual = None
        if entry is not None:
            actual = entry.compute([letter.store], None, month).value
        attainment = None
        base = monthly_target(line, entry, "base")
        stretch = monthly_target(line, entry, "stretch")
        if actual is not None and base:
            if line.higher_is_better:
                attainment = actual / base
                cap = (stretch / base) if stretch else Decimal("1.2")
            else:
                attainment = (base / actual) if actual else Decimal("1.2")
                cap = (base / stretch) if stretch else Decimal("1.2")
            attainment = min(attainment, max(cap, Decimal(1)))
            weighted += attainment * line.weight
            weights += line.weight
        detail.append(
            {
                "name": line.name,
                "weight": str(line.weight),
                "base": str(base) if base is not None else "",
                "actual": str(actual) if actual is not None else "",
                "attainment": str((attainment * 100).quantize(CENT)) if attainment is not None else "",
            }
        )
    if not weights:
        return None, detail
    return (weighted * 100 / weights).quantize(CENT, ROUND_HALF_UP), detail


# ---- KPI values ------------------------------------------------------------------------------


@transaction.atomic
def manual_kpi_enter(
    *,
    by: User,
    kpi_key: str,
    store: Store,
    month: dt.date,
    value: Decimal,
    user: User | None = None,
    note: str = "",
) -> ManualKpiValue:
    require(by, "targets.approve", store)
    entry = kpis.get_kpi(kpi_key)
    if entry is None or not entry.is_manual:
        raise ValidationError(_("This KPI is computed, not entered."))
    if kpi_key not in profile_keys(store.kind):
        raise ValidationError(_("This KPI is not one of the store's kind."))
    row, _created = ManualKpiValue.objects.update_or_create(
        kpi_key=kpi_key,
        store=store,
        user=user,
        month=month.replace(day=1),
        defaults={"value": value, "note": note, "entered_by": by},
    )
    snapshot_refresh(stores=[store], months=[month.replace(day=1)])
    return row


# ---- pay -------------------------------------------------------------------------------------


def pay_amount(
    *,
    base: Decimal,
    output_value: Decimal,
    commission_rate: Decimal,
    score: Decimal,
    incentives: Decimal,
    minimum: Decimal,
) -> Decimal:
    """(base + output × rate) × score / 100 + incentives, never below the minimum guarantee."""
    pay = (base + output_value * commission_rate) * score / 100 + incentives
    return max(minimum, pay).quantize(CENT, ROUND_HALF_UP)


@transaction.atomic
def pay_sheet_compute(*, by: User | None, scheme: PayScheme, user: User, month: dt.date) -> PaySheet:
    """Create or recompute a person's draft sheet for a month from the scheme, the KPIs and the letter."""
    if by is not None:
        require(by, "pay.lock", scheme.store)
    month = month.replace(day=1)
    sheet = PaySheet.objects.select_for_update().filter(store=scheme.store, user=user, month=month).first()
    if sheet and sheet.state == PaySheet.State.LOCKED:
        raise Locked(_("A locked pay sheet cannot be changed."))
    output = Decimal(0)
    if OUTPUT_VALUE in profile_keys(scheme.store.kind):  # 产值 is a station's figure
        output = kpis.get_kpi(OUTPUT_VALUE).compute(
            [scheme.store], user if scheme.output_scope == PayScheme.OutputScope.PERSON else None, month
        ).value or Decimal(0)
    letter = letter_for(user=user, store=scheme.store, month=month)
    if sheet is None:
        sheet = PaySheet(
            store=scheme.store, user=user, month=month, scheme=scheme, incentives=scheme.daily_incentive
        )
    sheet.scheme, sheet.letter = scheme, letter
    sheet.base, sheet.commission_rate, sheet.minimum = scheme.base, scheme.commission_rate, scheme.minimum
    sheet.output_value = output
    if scheme.score_source == PayScheme.ScoreSource.LETTER and not sheet.score_entered:
        score, detail = letter_score(letter=letter, month=month) if letter else (None, [])
        sheet.score, sheet.score_detail = score, detail
    sheet.amount = pay_amount(
        base=sheet.base,
        output_value=sheet.output_value,
        commission_rate=sheet.commission_rate,
        score=sheet.score if sheet.score is not None else Decimal(0),
        incentives=sheet.incentives,
        minimum=sheet.minimum,
    )
    sheet.computed_at = timezone.now()
    sheet.save()
    return sheet


@transaction.atomic
def pay_sheet_adjust(
    *, by: User, sheet: PaySheet, score: Decimal | None, incentives: Decimal, note: str = ""
) -> PaySheet:
    """The manager enters the score (when not from the letter) and the incentives, and the pay follows."""
    sheet = PaySheet.objects.select_for_update().get(pk=sheet.pk)
    require_sign_off(by=by, owner=sheet.user, store=sheet.store, perm="pay.lock")
    if sheet.state == PaySheet.State.LOCKED:
        raise Locked(_("A locked pay sheet cannot be changed."))
    if score is not None and score != sheet.score:
        sheet.score, sheet.score_entered = score, True
    sheet.incentives, sheet.note = incentives, note
    sheet.amount = pay_amount(
        base=sheet.base,
        output_value=sheet.output_value,
        commission_rate=sheet.commission_rate,
        score=sheet.score if sheet.score is not None else Decimal(0),
        incentives=sheet.incentives,
        minimum=sheet.minimum,
    )
    sheet.save()
    return sheet


@transaction.atomic
def pay_sheet_lock(*, by: User, sheet: PaySheet) -> PaySheet:
    """Four eyes: the holder's superior locks the sheet, never the holder."""
    sheet = PaySheet.objects.select_for_update().get(pk=sheet.pk)
    require_sign_off(by=by, owner=sheet.user, store=sheet.store, perm="pay.lock")
    if sheet.state == PaySheet.State.LOCKED:
        return sheet
    if sheet.score is None:
        raise ValidationError(_("Enter a performance score before locking."))
    sheet.state, sheet.locked_by, sheet.locked_at = PaySheet.State.LOCKED, by, timezone.now()
    sheet.save()
    return sheet


def pay_sheets_compute_month(*, by: User | None, store: Store, month: dt.date) -> list[PaySheet]:
    """Every holder of a position with an active scheme in the store gets a sheet (locked ones are kept)."""
    from apps.roles.selectors import holdings_of

    sheets = []
    for scheme in PayScheme.objects.filter(store=store, is_active=True).select_related("position", "store"):
        for holder in holdings_of(position=scheme.position, store=store):
            existing = PaySheet.objects.filter(
                store=store, user=holder.user, month=month.replace(day=1)
            ).first()
            if existing and existing.state == PaySheet.State.LOCKED:
                sheets.append(existing)
                continue
            sheets.append(pay_sheet_compute(by=by, scheme=scheme, user=holder.user, month=month))
    return sheets
