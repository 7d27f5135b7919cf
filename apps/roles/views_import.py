"""The import of a role description: read it, review each proposed position, save them together."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.org.access import perm_required
from apps.org.models import Department

from . import selectors, services
from .checklist_proposals import PHASE_LABELS, can_make_templates
from .forms import DutiesEditor, ImportForm, ImportLinksForm, PositionForm
from .importing import ImportEntry, ProposalInvalid, positions_import, proposals_initial
from .parsing import parse_text, read_upload
from .views import _editable_organisation

MAX_PROPOSALS = 30


@dataclass
class Proposal:
    index: int
    form: PositionForm
    links: ImportLinksForm
    editor: DutiesEditor
    department_read: str = ""

    @property
    def checklist_proposals(self):
        return [
            (phase, PHASE_LABELS[phase], self.links.checklist_items(phase))
            for phase in PHASE_LABELS
            if self.links.checklist_items(phase)
        ]


def _review(request, proposals: list[Proposal], *, status: int = 200):
    context = {
        "proposals": proposals,
        "count": len(proposals),
        "can_make_templates": can_make_templates(),
    }
    return render(request, "roles/import_review.html", context, status=status)


def _read(request, text: str, organisation, positions):
    parsed = parse_text(text)[:MAX_PROPOSALS]
    departments = Department.objects.filter(organisation=organisation)
    initial = proposals_initial(
        parsed, positions=positions, departments=departments, today=timezone.localdate()
    )
    titles = [p.title for p in parsed]
    proposals = []
    for k, init in enumerate(initial):
        form = PositionForm(
            prefix=f"p{k}",
            initial={**{n: init.content.get(n, "") for n in services.CONTENT_FIELDS}, **init.position},
            organisation_ids=[organisation.pk],
        )
        form.remember_shown(services.KEEPABLE)
        links = ImportLinksForm(
            index=k, titles=titles, positions=positions, phases=init.phases, initial=init.links
        )
        editor = DutiesEditor.from_content(init.content, prefix=f"p{k}-")
        proposals.append(Proposal(k, form, links, editor, init.department_read))
    return _review(request, proposals)


def _bound(request, organisation, positions) -> list[Proposal]:
    try:
        count = min(max(int(request.POST.get("count", "1")), 1), MAX_PROPOSALS)
    except ValueError:
        count = 1
    titles = [request.POST.get(f"p{k}-title", "") for k in range(count)]
    proposals = []
    for k in range(count):
        links = ImportLinksForm(
            request.POST, index=k, titles=titles, positions=positions, phases=list(PHASE_LABELS)
        )
        target = None
        if raw := request.POST.get(f"p{k}-target", ""):
            # An id beyond the id column (SQLite cannot even compare one) is no position either.
            target = positions.filter(pk=raw).first() if raw.isdigit() and len(raw) <= 18 else None
            if target is None:
                raise Http404
        form = PositionForm(request.POST, prefix=f"p{k}", organisation_ids=[organisation.pk], position=target)
        form.remember_shown(services.KEEPABLE)
        editor = DutiesEditor.from_post(request.POST, prefix=f"p{k}-")
        proposals.append(Proposal(k, form, links, editor))
    return proposals


def _entry(p: Proposal) -> ImportEntry:
    data, links = p.form.cleaned_data, p.links.cleaned_data
    content = {name: data.get(name, "") for name in services.CONTENT_FIELDS} | p.editor.content()
    return ImportEntry(
        index=p.index,
        content=content,
        target=links["target"],
        department=data["department"],
        store_kind=data["store_kind"],
        superiors=data["superiors"],
        parallels=data["parallels"],
        added_superiors=p.links.resolved("superiors"),
        added_parallels=p.links.resolved("parallels"),
        keep=tuple(p.form.left_as_shown(services.KEEPABLE)) if links["target"] else (),
        subordinates=[*links["subordinates"], *p.links.resolved("subordinates")],
        internal_superiors=links["internal_superiors"],
        internal_parallels=links["internal_parallels"],
        effective_date=data["effective_date"],
        approver=data["approver"],
        change_summary=data["change_summary"],
        checklists={phase: p.links.checklist_items(phase) for phase in links["checklists"]},
    )


def _save(request, organisation, positions):
    proposals = _bound(request, organisation, positions)
    valid = True
    kept = []
    for p in proposals:
        if not p.links.is_valid():
            valid = False
            continue
        if not p.links.cleaned_data["include"]:
            continue
        kept.append(p)
        valid = (p.form.is_valid() & p.editor.is_valid()) and valid
    if not kept:
        messages.warning(request, _("Choose at least one position to save."))
        return _review(request, proposals)
    if not valid:
        return _review(request, proposals)
    try:
        results = positions_import(
            organisation=organisation, entries=[_entry(p) for p in kept], author=request.user
        )
    except ProposalInvalid as exc:
        for p in proposals:
            if p.index == exc.index:
                p.form.add_error(None, exc.messages)
        return _review(request, proposals)
    for r in results:
        if r.created:
            text = _("Position %(title)s created (%(code)s).") % {
                "title": r.position.title,
                "code": r.position.code,
            }
        elif r.revision_number:
            text = _("%(title)s saved as revision %(n)d.") % {
                "title": r.position.title,
                "n": r.revision_number,
            }
        else:
            text = _("%(title)s: nothing changed, no new revision.") % {"title": r.position.title}
        messages.success(request, text)
        if r.checklist_urls:
            messages.success(
                request,
                ngettext(
                    "%(n)d checklist template created for %(title)s: choose its stores.",
                    "%(n)d checklist templates created for %(title)s: choose their stores.",
                    len(r.checklist_urls),
                )
                % {"n": len(r.checklist_urls), "title": r.position.title},
            )
    return redirect(results[0].position) if len(results) == 1 else redirect("roles:list")


@login_required
@perm_required("roles.edit")
def position_import(request):
    organisation = _editable_organisation(request.user)
    positions = selectors.position_list_for(user=request.user).filter(organisation=organisation)
    if request.method == "POST" and request.POST.get("step") == "save":
        return _save(request, organisation, positions)
    if request.method == "POST":
        upload_form = ImportForm(request.POST, request.FILES)
        if upload_form.is_valid():
            try:
                text = (
                    read_upload(upload_form.cleaned_data["file"])
                    if upload_form.cleaned_data.get("file")
                    else upload_form.cleaned_data["text"]
                )
            except ValidationError as exc:  # too large or unreadable (apps/roles/parsing.py)
                upload_form.add_error("file", exc)
            else:
                return _read(request, text, organisation, positions)
    else:
        upload_form = ImportForm()
    return render(request, "roles/position_import.html", {"form": upload_form})
