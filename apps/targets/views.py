from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from apps.org.access import can, perm_required, require, stores_where
from apps.org.models import Store, User
from apps.org.redirects import safe_next
from apps.printing.services import print_job_start
from apps.spreadsheets import xlsx_response
from apps.uploads import file_response

from . import documents, exports, profiles, selectors, services
from .filters import LetterFilter, PaySheetFilter, PlanFilter
from .forms import (
    LetterCreateForm,
    LetterKpiFormSet,
    ManualKpiForm,
    PayAdjustForm,
    PayComputeForm,
    PlanAttachmentForm,
    PlanForm,
    SignForm,
    StepStatusForm,
    YearBookForm,
    plan_formsets,
)
from .four_eyes import may_sign_off
from .models import Locked, PaySheet, PlanAttachment, StepStatus


def _error_text(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def _month_param(request) -> dt.date:
    raw = request.GET.get("month", "")
    try:
        return dt.datetime.strptime(raw, "%Y-%m").date()
    except ValueError:
        return timezone.localdate().replace(day=1)


# ---- plans -----------------------------------------------------------------------------------


@login_required
def plan_list(request):
    if not selectors.may_see_plans(request.user):
        raise PermissionDenied
    filterset = PlanFilter(request.GET, queryset=selectors.plan_list_for(user=request.user))
    page = Paginator(filterset.qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "targets/plan_list.html",
        {
            "filter": filterset,
            "page": page,
            "can_edit": can(request.user, "targets.edit"),
            "year_book_form": YearBookForm(user=request.user) if can(request.user, "targets.view") else None,
        },
    )


@login_required
@perm_required("targets.edit")
def plan_create(request):
    form = PlanForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        plan = services.plan_create(by=request.user, **data)
        messages.success(request, _("Draft plan created: now fill in its tables."))
        return redirect("targets:plan_edit", plan.pk)
    return render(request, "targets/plan_form.html", {"form": form, "formsets": None})


@login_required
def plan_detail(request, pk):
    plan = selectors.plan_get_for(user=request.user, pk=pk)
    return render(
        request,
        "targets/plan_detail.html",
        {
            "plan": plan,
            "objectives": plan.objectives.all(),
            "headcount": plan.headcount.all(),
            "budget": plan.budget.all(),
            "budget_totals": documents.budget_totals(plan),
            "steps": plan.steps.select_related("owner"),
            "attachments": plan.attachments.select_related("uploaded_by"),
            "attach_form": PlanAttachmentForm(),
            "can_edit": can(request.user, "targets.edit", plan.store),
            "can_approve": can(request.user, "targets.approve", plan.store),
            "can_print": can(request.user, "targets.view", plan.store),
            "can_sign_off": may_sign_off(
                by=request.user, owner=plan.responsible, store=plan.store, perm="targets.approve"
            ),
            "letters": plan.letters.select_related("holder"),
            "newer": selectors.plan_newer_version(plan=plan),
            "step_choices": StepStatus.choices,
        },
    )


@login_required
def plan_edit(request, pk):
    plan = selectors.plan_get_for(user=request.user, pk=pk)
    require(request.user, "targets.edit", plan.store)
    if not plan.is_editable:
        messages.error(request, _("Only a draft plan can be edited."))
        return redirect(plan)
    data = request.POST or None
    form = PlanForm(data, instance=plan, user=request.user)
    formsets = plan_formsets(plan, data)
    if request.method == "POST" and form.is_valid() and all(fs.is_valid() for fs in formsets.values()):
        fields = {k: v for k, v in form.cleaned_data.items() if k not in ("department", "store", "year")}
        try:
            services.plan_update(by=request.user, plan=plan, tables=formsets.values(), **fields)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("Plan saved."))
        return redirect(plan)
    return render(request, "targets/plan_form.html", {"form": form, "formsets": formsets, "plan": plan})


@login_required
@require_POST
def plan_transition(request, pk, action):
    plan = selectors.plan_get_for(user=request.user, pk=pk)
    actions = {
        "submit": services.plan_submit,
        "approve": services.plan_approve,
        "return": services.plan_return,
        "new_version": services.plan_new_version,
    }
    if action not in actions:
        raise Http404
    try:
        result = actions[action](by=request.user, plan=plan)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return redirect(plan)
    messages.success(
        request,
        {
            "submit": _("Plan submitted for approval."),
            "approve": _("Plan approved (签发)."),
            "return": _("Plan sent back to draft."),
            "new_version": _("New draft version created."),
        }[action],
    )
    return redirect(result)


@login_required
@require_POST
def step_status(request, pk):
    step = selectors.action_step_get_for(user=request.user, pk=pk)
    form = StepStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status from the list."))
        return redirect(safe_next(request, step.plan))
    try:
        services.action_step_set_status(by=request.user, step=step, status=form.cleaned_data["status"])
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Action step updated."))
    return redirect(safe_next(request, step.plan))


@login_required
@require_POST
def plan_attach(request, pk):
    plan = selectors.plan_get_for(user=request.user, pk=pk)
    require(request.user, "targets.edit", plan.store)
    form = PlanAttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(plan)
    try:
        services.plan_attach(
            by=request.user, plan=plan, upload=form.cleaned_data["file"], label=form.cleaned_data["label"]
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("File attached."))
    return redirect(plan)


@login_required
def plan_attachment(request, pk, attachment_pk):
    """An annex of a plan, only for those who may see the plan's figures (another store: 404)."""
    plan = selectors.plan_get_for(user=request.user, pk=pk)
    require(request.user, "targets.view", plan.store)
    attachment = get_object_or_404(PlanAttachment, plan=plan, pk=attachment_pk)
    return file_response(attachment.file, filename=attachment.name)


@login_required
def plan_pdf(request, pk):
    plan = selectors.plan_get_for(user=request.user, pk=pk)
    require(request.user, "targets.view", plan.store)
    return documents.plan_pdf_response(plan)


@login_required
@require_POST
def year_book(request):
    form = YearBookForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _("Choose a plan to print."))
        return redirect("targets:list")
    plan = form.cleaned_data["plan"]
    require(request.user, "targets.view", plan.store)
    job = print_job_start(
        owner=request.user,
        builder="targets.department_year",
        title=_("%(year)s %(department)s: plan, letters and pay sheets")
        % {"year": plan.year, "department": plan.department.name},
        params={"plan_id": plan.pk},
    )
    return redirect(job.get_absolute_url())


# ---- letters ---------------------------------------------------------------------------------


@login_required
def letter_list(request):
    filterset = LetterFilter(request.GET, queryset=selectors.letter_list_for(user=request.user))
    page = Paginator(filterset.qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "targets/letter_list.html",
        {
            "filter": filterset,
            "page": page,
            "can_create": can(request.user, "targets.approve"),
        },
    )


@login_required
@perm_required("targets.approve")
def letter_create(request):
    form = LetterCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        letter = services.letter_create(by=request.user, **form.cleaned_data)
        messages.success(request, _("Letter drafted from the position: check the KPI targets."))
        return redirect("targets:letter_kpis", letter.pk)
    return render(request, "targets/letter_form.html", {"form": form})


@login_required
def letter_detail(request, pk):
    letter = selectors.letter_get_for(user=request.user, pk=pk)
    return render(
        request,
        "targets/letter_detail.html",
        {
            "letter": letter,
            "kpis": letter.kpis.all(),
            "can_edit": letter.is_editable and can(request.user, "targets.approve", letter.store),
            "may_sign": (request.user.pk == letter.holder_id and not letter.holder_signed_at)
            or (request.user.pk == letter.issuer_id and not letter.issuer_signed_at),
            "sign_form": SignForm(),
        },
    )


@login_required
def letter_kpis(request, pk):
    letter = selectors.letter_get_for(user=request.user, pk=pk)
    require(request.user, "targets.approve", letter.store)
    if not letter.is_editable:
        messages.error(request, _("A signed letter cannot be changed."))
        return redirect(letter)
    formset = LetterKpiFormSet(request.POST or None, instance=letter, form_kwargs={"store": letter.store})
    if request.method == "POST" and formset.is_valid():
        try:
            services.letter_kpis_save(by=request.user, letter=letter, formset=formset)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("KPI targets saved."))
        return redirect(letter)
    return render(request, "targets/letter_kpis.html", {"letter": letter, "formset": formset})


@login_required
@require_POST
def letter_sign(request, pk):
    letter = selectors.letter_get_for(user=request.user, pk=pk)
    form = SignForm(request.POST)
    if form.is_valid():
        try:
            services.letter_sign(
                request=request, by=request.user, letter=letter, password=form.cleaned_data["password"]
            )
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("Letter signed."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(letter)


@login_required
def letter_pdf(request, pk):
    letter = selectors.letter_get_for(user=request.user, pk=pk)
    return documents.letter_pdf_response(letter)


# ---- KPIs ------------------------------------------------------------------------------------


def _kpi_scope(request):
    """The stores (and person) the KPI pages look at, from the query string, within what the user sees."""
    stores = stores_where(request.user, "targets.view")
    store = None
    if request.GET.get("store"):
        store = get_object_or_404(stores, pk=request.GET["store"]) if request.GET["store"].isdigit() else None
        if store is None:
            raise Http404
        stores = Store.objects.filter(pk=store.pk)
    person = None
    if request.GET.get("user", "").isdigit():
        person = get_object_or_404(
            User.objects.filter(memberships__store__in=stores, memberships__is_active=True).distinct(),
            pk=request.GET["user"],
        )
    return stores, store, person


@login_required
@perm_required("targets.view")
def kpi_catalogue(request):
    stores, store, person = _kpi_scope(request)
    month = _month_param(request)
    rows = []
    for item in profiles.profile_for_stores(stores):
        value = item.entry.compute(stores, person, month)
        rows.append(
            {
                "entry": item.entry,
                "target": item.target,
                "value": value,
                "display": item.entry.format(value.value),
            }
        )
    return render(
        request,
        "targets/kpi_catalogue.html",
        {
            "rows": rows,
            "month": month,
            "store": store,
            "person": person,
            "stores": stores_where(request.user, "targets.view"),
            "can_enter": can(request.user, "targets.approve"),
            "can_edit_profiles": can(request.user, "targets.edit"),
        },
    )


@login_required
@perm_required("targets.view")
def kpi_detail(request, key):
    stores, store, person = _kpi_scope(request)
    # Only a KPI of the kinds of the stores in view: a bank branch has no on-time delivery rate.
    entry = next((p.entry for p in profiles.profile_for_stores(stores) if p.key == key), None)
    if entry is None:
        raise Http404
    month = _month_param(request)
    value = entry.compute(stores, person, month)
    page = (
        Paginator(value.records, 50).get_page(request.GET.get("page")) if value.records is not None else None
    )
    rows = selectors.kpi_record_rows(entry=entry, records=page or [])
    return render(
        request,
        "targets/kpi_detail.html",
        {
            "entry": entry,
            "value": value,
            "display": entry.format(value.value),
            "month": month,
            "store": store,
            "person": person,
            "page": page,
            "rows": rows,
        },
    )


@login_required
@perm_required("targets.approve")
def manual_kpi(request):
    form = ManualKpiForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.manual_kpi_enter(by=request.user, **form.cleaned_data)
        messages.success(request, _("KPI value saved."))
        return redirect("targets:kpis")
    recent = selectors.manual_kpi_values_for(user=request.user)[:20]
    return render(request, "targets/manual_kpi.html", {"form": form, "recent": recent})


@login_required
@perm_required("targets.view")
def dashboard(request):
    return render(request, "targets/dashboard.html", {"panel": selectors.dashboard_for(user=request.user)})


# ---- pay -------------------------------------------------------------------------------------


@login_required
def pay_list(request):
    if not (can(request.user, "pay.view_own") or can(request.user, "pay.view_store")):
        raise PermissionDenied
    filterset = PaySheetFilter(request.GET, queryset=selectors.pay_sheet_list_for(user=request.user))
    page = Paginator(filterset.qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "targets/pay_list.html",
        {
            "filter": filterset,
            "page": page,
            # 产值 is a station's word: the column shows only where a sheet is paid a commission on it.
            "show_output": any(s.commission_rate or s.output_value for s in page),
            "can_lock": can(request.user, "pay.lock"),
            "compute_form": PayComputeForm(user=request.user) if can(request.user, "pay.lock") else None,
        },
    )


@login_required
def pay_detail(request, pk):
    sheet = selectors.pay_sheet_get_for(user=request.user, pk=pk)
    may_lock = sheet.state == PaySheet.State.DRAFT and may_sign_off(
        by=request.user, owner=sheet.user, store=sheet.store, perm="pay.lock"
    )
    form = PayAdjustForm(
        request.POST or None,
        initial={"score": sheet.score, "incentives": sheet.incentives, "note": sheet.note},
    )
    if request.method == "POST":
        if not may_lock:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.pay_sheet_adjust(by=request.user, sheet=sheet, **form.cleaned_data)
            except Locked as exc:
                messages.error(request, _error_text(exc))
            else:
                messages.success(request, _("Pay sheet updated."))
                return redirect(sheet)
    return render(request, "targets/pay_detail.html", {"sheet": sheet, "form": form, "may_lock": may_lock})


@login_required
@require_POST
def pay_lock(request, pk):
    sheet = selectors.pay_sheet_get_for(user=request.user, pk=pk)
    try:
        services.pay_sheet_lock(by=request.user, sheet=sheet)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Pay sheet locked."))
    return redirect(sheet)


@login_required
@perm_required("pay.lock")
@require_POST
def pay_compute(request):
    form = PayComputeForm(request.POST, user=request.user)
    if form.is_valid():
        sheets = services.pay_sheets_compute_month(by=request.user, **form.cleaned_data)
        messages.success(
            request,
            ngettext("%(n)s pay sheet computed.", "%(n)s pay sheets computed.", len(sheets))
            % {"n": len(sheets)},
        )
    else:
        messages.error(request, _("Choose a store and a month."))
    return redirect("targets:pay")


@login_required
def pay_export(request):
    if not (can(request.user, "pay.view_own") or can(request.user, "pay.view_store")):
        raise PermissionDenied
    filterset = PaySheetFilter(request.GET, queryset=selectors.pay_sheet_list_for(user=request.user))
    return xlsx_response(exports.pay_sheets_xlsx(filterset.qs), "pay-sheets.xlsx")


@login_required
def pay_pdf(request, pk):
    sheet = selectors.pay_sheet_get_for(user=request.user, pk=pk)
    return documents.pay_pdf_response(sheet)
