from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.org.access import can, can_in_organisation, organisation_where, perm_required
from apps.org.models import Department, Organisation
from apps.printing.services import print_job_start
from apps.spreadsheets import xlsx_response

from . import selectors, services
from .chart import chart_svg
from .documents import position_pdf_response
from .excel import export_workbook, import_workbook
from .filters import PositionFilter
from .forms import DepartmentBookForm, DutiesEditor, ExcelImportForm, PositionForm

PAGE_SIZE = 50


def _can_edit(user, organisation_id: int) -> bool:
    return can_in_organisation(user, "roles.edit", organisation_id)


def _editable_organisation(user) -> Organisation:
    return organisation_where(user, "roles.edit")


def _editable_position(request, pk):
    position = selectors.position_get_for(user=request.user, pk=pk)
    if not _can_edit(request.user, position.organisation_id):
        raise PermissionDenied
    return position


# --- Reading ------------------------------------------------------------------------------------


@login_required
@perm_required("roles.view")
def position_list(request):
    org_ids = selectors.organisation_ids_for(request.user)
    filterset = PositionFilter(
        request.GET,
        queryset=selectors.position_list_for(user=request.user),
        departments=Department.objects.filter(organisation_id__in=org_ids),
    )
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    can_edit = can(request.user, "roles.edit")
    # The book prints a department's active positions: each department shows how many, one with none
    # cannot be chosen, and the first one with positions is chosen to begin with.
    departments = list(
        Department.objects.filter(organisation_id__in=org_ids)
        .annotate(
            printable=Count(
                "positions",
                filter=Q(positions__is_active=True, positions__current_revision__isnull=False),
            )
        )
        .order_by("name", "pk")
    )
    book_default = next((d.pk for d in departments if d.printable), None)
    return render(
        request,
        "roles/position_list.html",
        {
            "filter": filterset,
            "page": page,
            "can_edit": can_edit,
            "departments": departments,
            "book_default": book_default,
        },
    )


def _document_context(request, position, revision):
    revision = selectors.revision_with_content(revision)
    return {
        "position": position,
        "revision": revision,
        "is_current": revision.pk == position.current_revision_id,
        "holders": selectors.holders_for_user(user=request.user, position=position),
        "can_edit": _can_edit(request.user, position.organisation_id),
        "revision_count": position.revisions.count(),
    }


@login_required
@perm_required("roles.view")
def position_detail(request, pk):
    position = selectors.position_get_for(user=request.user, pk=pk)
    if position.current_revision is None:
        raise Http404
    return render(
        request, "roles/position_detail.html", _document_context(request, position, position.current_revision)
    )


@login_required
@perm_required("roles.view")
def revision_detail(request, pk, number):
    position = selectors.position_get_for(user=request.user, pk=pk)
    revision = selectors.revision_get(position=position, number=number)
    return render(request, "roles/position_detail.html", _document_context(request, position, revision))


@login_required
@perm_required("roles.view")
def position_history(request, pk):
    position = selectors.position_get_for(user=request.user, pk=pk)
    revisions = position.revisions.select_related("author").order_by("-number")
    return render(request, "roles/position_history.html", {"position": position, "revisions": revisions})


@login_required
@perm_required("roles.view")
def position_diff(request, pk):
    from .diff import revision_diff

    position = selectors.position_get_for(user=request.user, pk=pk)
    numbers = list(position.revisions.order_by("number").values_list("number", flat=True))
    if not numbers:
        raise Http404
    try:
        b = int(request.GET.get("b") or numbers[-1])
        a = int(request.GET.get("a") or (numbers[-2] if len(numbers) > 1 else numbers[-1]))
    except ValueError:
        raise Http404 from None
    if a > b:
        a, b = b, a
    old = selectors.revision_get(position=position, number=a)
    new = selectors.revision_get(position=position, number=b)
    return render(
        request,
        "roles/position_diff.html",
        {"position": position, "diff": revision_diff(old, new), "numbers": numbers, "a": a, "b": b},
    )


@login_required
@perm_required("roles.view")
def position_pdf(request, pk):
    position = selectors.position_get_for(user=request.user, pk=pk)
    if position.current_revision is None:
        raise Http404
    return position_pdf_response(position, position.current_revision)


@login_required
@perm_required("roles.view")
def revision_pdf(request, pk, number):
    position = selectors.position_get_for(user=request.user, pk=pk)
    return position_pdf_response(position, selectors.revision_get(position=position, number=number))


# --- Editing ------------------------------------------------------------------------------------


def _form_initial(position, content):
    initial = {name: content.get(name, "") for name in services.CONTENT_FIELDS}
    if position is not None:
        initial |= {
            "department": position.department_id,
            "store_kind": position.store_kind,
            "superiors": list(position.superiors.all()),
            "parallels": list(position.parallels.all()),
        }
        if position.current_revision:
            initial["approver"] = position.current_revision.approver
    return initial


def _editor_response(request, *, form, editor, position=None, mode="edit", extra=None):
    context = {
        "form": form,
        "editor": editor,
        "position": position,
        "mode": mode,
        **(extra or {}),
    }
    return render(request, "roles/position_form.html", context)


def _save(request, *, form, editor, position, organisation, keep=()):
    """Creates or revises from a valid form and editor; returns the position or None (errors added).
    A revision leaves the relations named in `keep` as the position has them."""
    data = form.cleaned_data
    content = {name: data.get(name, "") for name in services.CONTENT_FIELDS} | editor.content()
    kwargs = {
        "content": content,
        "department": data["department"],
        "store_kind": data["store_kind"],
        "superiors": data["superiors"],
        "parallels": data["parallels"],
        "effective_date": data["effective_date"],
        "approver": data["approver"],
        "change_summary": data["change_summary"],
        "author": request.user,
    }
    try:
        if position is None:
            position = services.position_create(organisation=organisation, **kwargs)
            messages.success(
                request,
                _("Position %(title)s created (%(code)s).")
                % {"title": position.title, "code": position.code},
            )
        else:
            revision = services.position_revise(position=position, keep=keep, **kwargs)
            if revision is None:
                messages.info(request, _("Nothing changed: no new revision."))
            else:
                messages.success(request, _("Saved as revision %(n)d.") % {"n": revision.number})
    except ValidationError as exc:
        form.add_error(None, exc)
        return None
    return position


@login_required
@perm_required("roles.edit")
def position_create(request):
    organisation = _editable_organisation(request.user)
    org_ids = [organisation.pk]
    if request.method == "POST":
        form = PositionForm(request.POST, organisation_ids=org_ids)
        editor = DutiesEditor.from_post(request.POST)
        if form.is_valid() & editor.is_valid():
            position = _save(request, form=form, editor=editor, position=None, organisation=organisation)
            if position:
                return redirect(position)
    else:
        form = PositionForm(organisation_ids=org_ids, initial={"change_summary": _("First issue")})
        editor = DutiesEditor.from_content(
            {"areas": [{"name": "", "tasks": [{"text": "", "frequency": "as_needed"}]}]}
        )
    return _editor_response(request, form=form, editor=editor, mode="create")


@login_required
@perm_required("roles.edit")
def position_edit(request, pk):
    position = _editable_position(request, pk)
    org_ids = [position.organisation_id]
    if request.method == "POST":
        form = PositionForm(request.POST, organisation_ids=org_ids, position=position)
        editor = DutiesEditor.from_post(request.POST)
        valid = form.is_valid() & editor.is_valid()
        if valid and _save(
            request, form=form, editor=editor, position=position, organisation=position.organisation
        ):
            return redirect(position)
    else:
        content = services.revision_content(position.current_revision) if position.current_revision else {}
        form = PositionForm(
            initial=_form_initial(position, content), organisation_ids=org_ids, position=position
        )
        editor = DutiesEditor.from_content(content)
    return _editor_response(request, form=form, editor=editor, position=position, mode="edit")


@login_required
@perm_required("roles.edit")
@require_POST
def duties_op(request):
    """htmx: add, remove or move an area, a task or a KPI and return the duties block, as typed."""
    editor = DutiesEditor.from_post(request.POST, prefix=request.POST.get("prefix", ""))
    editor.apply(request.POST.get("op", ""))
    return render(request, "roles/_duties.html", {"editor": editor})


@login_required
@perm_required("roles.edit")
@require_POST
def position_toggle_active(request, pk):
    position = _editable_position(request, pk)
    services.position_set_active(position=position, active=not position.is_active)
    messages.success(request, _("Position archived.") if not position.is_active else _("Position restored."))
    return redirect(position)


# --- Org chart ----------------------------------------------------------------------------------


@login_required
@perm_required("roles.view")
def org_chart(request):
    positions = selectors.position_list_for(user=request.user).filter(is_active=True)
    return render(request, "roles/org_chart.html", {"svg": chart_svg(positions), "count": len(positions)})


@login_required
@perm_required("roles.view")
def org_chart_svg(request):
    positions = selectors.position_list_for(user=request.user).filter(is_active=True)
    response = HttpResponse(
        chart_svg(positions, standalone=True), content_type="image/svg+xml; charset=utf-8"
    )
    response["Content-Disposition"] = "attachment; filename=org-chart.svg"
    return response


# --- Excel --------------------------------------------------------------------------------------


@login_required
@perm_required("roles.view")
def excel_export(request):
    positions = selectors.position_list_for(user=request.user)
    return xlsx_response(export_workbook(positions), f"positions-{timezone.localdate():%Y%m%d}.xlsx")


@login_required
@perm_required("roles.edit")
def excel_import(request):
    organisation = _editable_organisation(request.user)
    report = None
    if request.method == "POST":
        form = ExcelImportForm(request.POST, request.FILES)
        if form.is_valid():
            report = import_workbook(
                form.cleaned_data["file"],
                organisation=organisation,
                author=request.user,
                dry_run=form.cleaned_data["dry_run"],
            )
            if not form.cleaned_data["dry_run"] and report.ok:
                messages.success(
                    request, _("Imported: %(c)d created, %(r)d revised, %(u)d unchanged.") % report.counts
                )
    else:
        form = ExcelImportForm()
    return render(request, "roles/excel_import.html", {"form": form, "report": report})


# --- Department book ----------------------------------------------------------------------------


@login_required
@perm_required("roles.view")
@require_POST
def department_book(request):
    form = DepartmentBookForm(request.POST, organisation_ids=selectors.organisation_ids_for(request.user))
    if not form.is_valid():  # none, or one of another organisation
        raise Http404
    department = form.cleaned_data["department"]
    job = print_job_start(
        owner=request.user,
        builder="roles.department_book",
        title=_("Position descriptions · %(dept)s") % {"dept": department.name},
        params={"department_id": department.pk},
    )
    return redirect(job.get_absolute_url())
