from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from apps.org.access import can, perm_required, stores_where
from apps.org.redirects import safe_next
from apps.printing.documents import pdf_response, render_pdf
from apps.spreadsheets import EXPORT_MAX_ROWS, table_response
from apps.uploads import file_response

from . import selectors, services
from .filters import BoardFilter
from .forms import (
    ClosingReportForm,
    GenerateTemplatesForm,
    ItemAnswerForm,
    ItemFormSet,
    ResolveForm,
    TemplateForm,
)
from .models import (
    ItemKind,
    ItemResult,
)


def _error_text(exc: ValidationError) -> str:
    """A service's refusal as the one line the page shows."""
    return " ".join(str(m) for m in exc.messages)


# ---------------------------------------------------------------- runs


@login_required
@perm_required("checklists.run")
def my_checklists(request):
    runs = selectors.runs_today_for(user=request.user)
    return render(
        request,
        "checklists/my_checklists.html",
        {
            "runs": runs,
            "notifications": selectors.notifications_for(user=request.user, limit=20),
            "can_board": can(request.user, "checklists.board"),
            "can_edit": can(request.user, "checklists.edit_templates"),
        },
    )


def _item_context(run, item, result, form=None, saved=False, second_people=()):
    return {
        "run": run,
        "item": item,
        "result": result,
        "form": form,
        "saved": saved,
        "second_people": second_people,
    }


def _second_people(run, items) -> list:
    """The picker of the second person, read only when the run has such an item."""
    if any(item.kind == ItemKind.SECOND_PERSON for item in items):
        return list(selectors.second_people_for(run=run))
    return []


@login_required
def run_detail(request, pk):
    run = selectors.run_get_for(user=request.user, pk=pk)
    rows = selectors.run_items(run)
    can_answer = run.assignee_id == request.user.pk and run.is_open
    return render(
        request,
        "checklists/run_detail.html",
        {
            "run": run,
            "rows": rows,
            "can_answer": can_answer,
            "second_people": _second_people(run, [item for item, _r in rows]) if can_answer else [],
        },
    )


def _same_answer(result: ItemResult, raw: str) -> bool:
    raw = raw.strip()
    if result.value_number is not None:
        try:
            return Decimal(raw.replace(",", "")) == result.value_number
        except InvalidOperation:
            return False
    return raw == result.value_text


@login_required
@require_POST
def item_answer(request, pk, item_pk):
    """One POST per item (htmx): saves the answer; the answer swaps the item's state, its errors and the
    run's header out of band, never a field (the person may already be typing in the next one).

    A figure, choice or text is also saved on leaving a field (no `outcome` sent): an empty answer then
    saves nothing yet, and an item marked not OK stays so while only its note changes."""
    run = selectors.run_get_for(user=request.user, pk=pk)
    if run.assignee_id != request.user.pk:
        raise PermissionDenied
    item = selectors.run_item_get(run=run, pk=item_pk)
    second_people = _second_people(run, [item])
    existing = selectors.result_of(run=run, item=item)
    data = request.POST.copy()
    on_leaving = request.htmx and "outcome" not in data and item.takes_value
    if on_leaving and existing and not existing.ok and _same_answer(existing, data.get("value", "")):
        data["outcome"] = "fail"
    form = ItemAnswerForm(
        data,
        request.FILES,
        item=item,
        second_people=selectors.second_people_for(run=run) if second_people else None,
    )
    saved = False
    if on_leaving and not data.get("value", "").strip():
        # Nothing to save yet; only what is wrong in the other fields (a NUL in the note) is said.
        if form.is_valid() or not set(form.errors) - {"value", "__all__"}:
            form = None
    elif form.is_valid():
        confirmer = form.cleaned_data.get("confirmer")
        try:
            services.item_answer(
                request=request,
                run=run,
                item=item,
                user=request.user,
                ok=form.ok,
                value_number=form.value_number,
                value_text=form.value_text,
                note=form.cleaned_data.get("note") or "",
                photo=form.cleaned_data.get("photo"),
                confirmer_id=confirmer.pk if confirmer else None,
                confirmer_password=form.cleaned_data.get("confirmer_password") or "",
            )
            saved = True
        except ValidationError as exc:
            form.add_error(None, exc)
    if not request.htmx:
        if saved:
            messages.success(request, _("Saved."))
        else:
            messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect(run)
    result = selectors.result_of(run=run, item=item)
    run.refresh_from_db()
    context = _item_context(run, item, result, None if saved else form, saved, second_people)
    context["photo_saved"] = saved and bool(request.FILES.get("photo"))
    return render(request, "checklists/_item_saved.html", context)


@login_required
@require_POST
def run_complete(request, pk):
    run = selectors.run_get_for(user=request.user, pk=pk)
    try:
        run = services.run_complete(run=run, user=request.user)
        messages.success(request, _("Checklist completed."))
        return redirect("checklists:home")
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return redirect(run)


# ---------------------------------------------------------------- the manager's board


@login_required
@perm_required("checklists.board")
def board(request):
    filterset = _board_filter(request)
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    chosen = filterset.form.cleaned_data.get("store") if filterset.form.is_valid() else None
    failures = selectors.open_failures_for_board(user=request.user, stores=[chosen] if chosen else None)
    return render(
        request,
        "checklists/board.html",
        {"filter": filterset, "page": page, "failures": failures, "resolve_form": ResolveForm()},
    )


def _board_filter(request) -> BoardFilter:
    """The board's filter as the page reads it (the last seven days when no dates are given)."""
    stores = selectors.board_stores_for(user=request.user)
    data = request.GET.copy()
    if not data.get("date_from") and not data.get("date_to"):
        today = timezone.localdate()
        data["date_from"] = (today - dt.timedelta(days=6)).isoformat()
        data["date_to"] = today.isoformat()
    return BoardFilter(data, queryset=selectors.board_runs_for(user=request.user), stores=stores)


@login_required
@perm_required("checklists.board")
def board_export(request):
    """The runs the board shows (same filter), one row per answer, as .xlsx."""
    runs = selectors.runs_with_answers(_board_filter(request).qs[:EXPORT_MAX_ROWS])
    rows = []
    for run in runs:
        head = [run.date, run.store.name, run.template.name, str(run.assignee), run.get_state_display()]
        answers = run.results.all()
        if not answers:
            rows.append([*head, "", "", "", "", None, ""])
        for r in answers:
            value = r.value_text if r.value_number is None else r.value_number
            answered = timezone.localtime(r.answered_at).replace(tzinfo=None)
            rows.append(
                [
                    *head,
                    r.item_text,
                    _("yes") if r.ok else _("no"),
                    value,
                    r.note,
                    answered,
                    str(r.answered_by),
                ]
            )
        if len(rows) >= EXPORT_MAX_ROWS:
            break
    headers = [_("Date"), _("Store"), _("Checklist"), _("Person"), _("State"), _("Item"), _("OK"), _("Answer"),
               _("Note"), _("Answered at"), _("Answered by")]  # fmt: skip
    return table_response(
        title=_("Checklist runs"),
        headers=headers,
        rows=rows[:EXPORT_MAX_ROWS],
        filename="checklist-runs.xlsx",
    )


@login_required
@require_POST
def failure_resolve(request, pk):
    failure = selectors.failure_get_for(user=request.user, pk=pk)
    form = ResolveForm(request.POST)
    if form.is_valid():
        try:
            services.failure_resolve(
                failure=failure, user=request.user, resolution=form.cleaned_data["resolution"]
            )
            messages.success(request, _("Marked as resolved."))
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
    else:
        messages.error(request, _("Say how it was resolved."))
    return redirect(safe_next(request, "checklists:board"))


@login_required
@perm_required("checklists.board")
def closing_report(request):
    """日清日结: the day's runs, failures and handovers of one store, as PDF."""
    form = ClosingReportForm(request.GET)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("checklists:board")
    store = get_object_or_404(selectors.board_stores_for(user=request.user), pk=form.cleaned_data["store"])
    day = form.cleaned_data["date"] or timezone.localdate()
    data = selectors.closing_report_data(store=store, day=day)
    pdf = render_pdf("checklists/pdf/closing_report.html", {**data, "printed_at": timezone.now()})
    return pdf_response(pdf, f"日清日结-{store.code}-{day:%Y%m%d}.pdf")


# ---------------------------------------------------------------- templates


@login_required
@perm_required("checklists.edit_templates")
def template_list(request):
    templates = selectors.templates_for(user=request.user)
    page = Paginator(templates, 50).get_page(request.GET.get("page"))
    store = stores_where(request.user, "checklists.edit_templates").select_related("organisation").first()
    generate_form = GenerateTemplatesForm(organisation=store.organisation) if store else None
    return render(request, "checklists/template_list.html", {"page": page, "generate_form": generate_form})


def _admin_organisation(user):
    store = stores_where(user, "checklists.edit_templates").select_related("organisation").first()
    if store is None:
        raise PermissionDenied
    return store.organisation


@login_required
@perm_required("checklists.edit_templates")
def template_edit(request, pk=None):
    template = selectors.template_get_for(user=request.user, pk=pk) if pk else None
    organisation = template.organisation if template else _admin_organisation(request.user)
    form = TemplateForm(request.POST or None, instance=template, organisation=organisation)
    formset = ItemFormSet(request.POST or None, instance=template, prefix="items") if template else None
    if request.method == "POST":
        valid = form.is_valid() and (formset is None or formset.is_valid())
        if valid:
            template = services.template_save(form=form, items=formset)
            messages.success(request, _("Template saved."))
            return redirect("checklists:template_edit", pk=template.pk)
        messages.error(request, _("Please correct the errors below."))
    return render(
        request, "checklists/template_form.html", {"form": form, "formset": formset, "template": template}
    )


@login_required
@perm_required("checklists.edit_templates")
@require_POST
def template_generate(request, pk):
    template = selectors.template_get_for(user=request.user, pk=pk)
    n = services.template_items_generate(template=template, user=request.user)
    if n:
        messages.success(
            request,
            ngettext(
                "%(n)d item added from the position's duties.",
                "%(n)d items added from the position's duties.",
                n,
            )
            % {"n": n},
        )
    else:
        messages.info(request, _("No new duties of this phase and schedule to add."))
    return redirect("checklists:template_edit", pk=template.pk)


@login_required
@perm_required("checklists.edit_templates")
@require_POST
def templates_generate(request):
    """Templates for a position's scheduled duties, one per phase and schedule (see the service)."""
    form = GenerateTemplatesForm(request.POST, organisation=_admin_organisation(request.user))
    if not form.is_valid():
        messages.error(request, _("Pick a position."))
        return redirect("checklists:templates")
    touched = services.templates_generate_for_position(
        position=form.cleaned_data["position"], user=request.user
    )
    added = sum(n for _t, n in touched)
    if touched:
        messages.success(
            request,
            ngettext(
                "%(n)d item added to the position's templates (%(templates)s).",
                "%(n)d items added to the position's templates (%(templates)s).",
                added,
            )
            % {"n": added, "templates": "、".join(t.name for t, _n in touched)},
        )
    else:
        messages.info(request, _("This position has no duties done every shift, daily, weekly or monthly."))
    return redirect("checklists:templates")


@login_required
def result_photo(request, pk, item_pk):
    """A checklist photo, served only to those who may see the run."""
    run = selectors.run_get_for(user=request.user, pk=pk)
    result = selectors.result_get(run=run, item_pk=item_pk)
    return file_response(result.photo)
