from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from apps.org.access import can, perm_required, stores_where
from apps.org.redirects import safe_next
from apps.printing.documents import pdf_response, render_pdf
from apps.uploads import file_response

from . import selectors, services
from .filters import BoardFilter, HandoverFilter
from .forms import (
    AmendmentForm,
    BalanceForm,
    ClosingReportForm,
    HandoverLineForm,
    HandoverStartForm,
    ItemAnswerForm,
    ItemFormSet,
    MovementForm,
    PasswordForm,
    ResolveForm,
    SignForm,
    TemplateForm,
    WitnessForm,
    people_who_sign,
)
from .models import (
    HandoverAmendment,
    HandoverLine,
    HandoverState,
    ItemKind,
    ItemResult,
    OpeningBalance,
    StockMovement,
    TemplateItem,
)

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
    item = get_object_or_404(TemplateItem, pk=item_pk, template_id=run.template_id, is_active=True)
    second_people = _second_people(run, [item])
    existing = ItemResult.objects.filter(run=run, item=item).first()
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
        except services.ServiceError as exc:
            form.add_error(None, str(exc))
    if not request.htmx:
        if saved:
            messages.success(request, _("Saved."))
        else:
            messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect(run)
    result = (
        ItemResult.objects.filter(run=run, item=item)
        .select_related("answered_by", "confirmed_by", "failure")
        .first()
    )
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
    except services.ServiceError as exc:
        messages.error(request, str(exc))
        return redirect(run)


# ---------------------------------------------------------------- the manager's board


@login_required
@perm_required("checklists.board")
def board(request):
    stores = selectors.board_stores_for(user=request.user)
    data = request.GET.copy()
    if not data.get("date_from") and not data.get("date_to"):
        today = timezone.localdate()
        data["date_from"] = (today - dt.timedelta(days=6)).isoformat()
        data["date_to"] = today.isoformat()
    filterset = BoardFilter(data, queryset=selectors.board_runs_for(user=request.user), stores=stores)
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    chosen = filterset.form.cleaned_data.get("store") if filterset.form.is_valid() else None
    failures = selectors.open_failures_for_board(user=request.user, stores=[chosen] if chosen else None)
    return render(
        request,
        "checklists/board.html",
        {"filter": filterset, "page": page, "failures": failures, "resolve_form": ResolveForm()},
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
        except services.ServiceError as exc:
            messages.error(request, str(exc))
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
    return render(request, "checklists/template_list.html", {"page": page})


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
            with transaction.atomic():
                template = form.save()
                if formset is not None:
                    formset.instance = template
                    formset.save()
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
        messages.info(request, _("No new duties of frequency every shift or daily to add."))
    return redirect("checklists:template_edit", pk=template.pk)


# ---------------------------------------------------------------- handovers


@login_required
@perm_required("handovers.sign")
def handover_list(request):
    stores = stores_where(request.user, "handovers.sign").order_by("name")
    filterset = HandoverFilter(
        request.GET, queryset=selectors.handover_list_for(user=request.user), stores=stores
    )
    page = Paginator(filterset.qs, 25).get_page(request.GET.get("page"))
    open_mine = selectors.handover_list_for(user=request.user).filter(
        state__in=[HandoverState.DRAFT, HandoverState.SIGNED]
    )
    return render(
        request,
        "checklists/handover_list.html",
        {
            "filter": filterset,
            "page": page,
            "open_mine": [h for h in open_mine if request.user.pk in (h.outgoing_id, h.incoming_id)],
            "can_set_balances": can(request.user, "handovers.set_balances"),
        },
    )


@login_required
@perm_required("handovers.sign")
def handover_new(request):
    counters = selectors.counters_for(user=request.user)
    stores = stores_where(request.user, "handovers.sign")
    people = people_who_sign(stores).exclude(pk=request.user.pk)
    form = HandoverStartForm(
        request.POST or None, counters=counters, people=people, initial=request.GET.dict()
    )
    if request.method == "POST" and form.is_valid():
        counter = form.cleaned_data["counter"]
        try:
            handover = services.handover_start(
                store=counter.store,
                counter=counter,
                outgoing=request.user,
                incoming=form.cleaned_data["incoming"],
            )
            return redirect(handover)
        except services.ServiceError as exc:
            form.add_error(None, str(exc))
    return render(request, "checklists/handover_new.html", {"form": form})


def _handover_context(request, handover, **extra):
    user = request.user
    lines = list(handover.lines.all())
    matters = handover.open_matters
    if handover.state == HandoverState.DRAFT:
        from .open_matters import open_matters_for

        matters = [
            {"kind": m.kind, "label": m.label, "url": m.url, "since": m.since, "ref": m.ref}
            for m in open_matters_for(user=handover.outgoing, store=handover.store)
        ]
    return {
        "handover": handover,
        "lines": lines,
        "totals": selectors.handover_totals(lines),
        "matters": matters,
        "is_outgoing": user.pk == handover.outgoing_id,
        "is_incoming": user.pk == handover.incoming_id,
        "needs_witness": handover.store.requires_handover_witness and not handover.witness_id,
        "can_amend": handover.state == HandoverState.ACCEPTED
        and (
            user.pk in (handover.outgoing_id, handover.incoming_id)
            or can(user, "handovers.set_balances", handover.store)
        ),
        "sign_form": SignForm(),
        "accept_form": PasswordForm(),
        "witness_form": WitnessForm(witnesses=selectors.witnesses_for(handover=handover))
        if handover.state == HandoverState.SIGNED
        else None,
        "amend_form": AmendmentForm(handover=handover) if handover.state == HandoverState.ACCEPTED else None,
        **extra,
    }


@login_required
@perm_required("handovers.sign")
def handover_detail(request, pk):
    handover = selectors.handover_get_for(user=request.user, pk=pk)
    return render(request, "checklists/handover_detail.html", _handover_context(request, handover))


@login_required
@perm_required("handovers.sign")
@require_POST
def handover_line(request, pk, line_pk):
    """One POST per counted line (htmx), sent when a field is left: saved at once; the answer swaps only
    the line's computed parts and the totals out of band, never an input (the person is typing on)."""
    handover = selectors.handover_get_for(user=request.user, pk=pk)
    line = get_object_or_404(HandoverLine.objects.select_related("item"), pk=line_pk, handover=handover)
    if request.user.pk != handover.outgoing_id:
        raise PermissionDenied
    form = HandoverLineForm(request.POST, item=line.item)
    error = ""
    if form.is_valid():
        try:
            services.handover_line_save(
                line=line,
                user=request.user,
                counted=form.cleaned_data.get("counted"),
                breakdown=form.breakdown,
                explanation=form.cleaned_data["explanation"],
            )
        except services.ServiceError as exc:
            error = str(exc)
    else:
        error = form.first_error()
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(handover)
    # The inputs keep what was typed: only the computed parts of the line and the totals go back.
    lines = list(handover.lines.select_related("item").order_by("order", "pk"))
    line = next(ln for ln in lines if ln.pk == line.pk)
    return render(
        request,
        "checklists/_handover_line_saved.html",
        {"line": line, "error": error, "totals": selectors.handover_totals(lines)},
    )


def _handover_action(request, pk, action):
    handover = selectors.handover_get_for(user=request.user, pk=pk)
    try:
        action(handover)
    except services.ServiceError as exc:
        messages.error(request, str(exc))
    return redirect(handover)


@login_required
@perm_required("handovers.sign")
@require_POST
def handover_sign(request, pk):
    form = SignForm(request.POST)

    def act(h):
        if not form.is_valid():
            raise services.HandoverError(_("Enter your password to sign."))
        services.handover_sign(
            request=request,
            handover=h,
            user=request.user,
            password=form.cleaned_data["password"],
            notes=form.cleaned_data["notes"],
        )
        messages.success(request, _("Signed. The shift closes when %(name)s accepts.") % {"name": h.incoming})

    return _handover_action(request, pk, act)


@login_required
@perm_required("handovers.sign")
@require_POST
def handover_witness(request, pk):
    def act(h):
        form = WitnessForm(request.POST, witnesses=selectors.witnesses_for(handover=h))
        if not form.is_valid():
            if form.has_error("witness", "invalid_choice"):
                raise services.HandoverError(form.errors["witness"][0])
            raise services.HandoverError(_("Choose the witness, who enters their password."))
        services.handover_witness(
            request=request,
            handover=h,
            witness_id=form.cleaned_data["witness"].pk,
            password=form.cleaned_data["password"],
        )
        messages.success(request, _("The witness has signed."))

    return _handover_action(request, pk, act)


@login_required
@perm_required("handovers.sign")
@require_POST
def handover_accept(request, pk):
    form = PasswordForm(request.POST)

    def act(h):
        if not form.is_valid():
            raise services.HandoverError(_("Enter your password to accept."))
        services.handover_accept(
            request=request, handover_id=h.pk, user=request.user, password=form.cleaned_data["password"]
        )
        messages.success(request, _("Handover accepted. The previous shift is closed."))

    return _handover_action(request, pk, act)


@login_required
@perm_required("handovers.sign")
@require_POST
def handover_amend(request, pk):
    handover = selectors.handover_get_for(user=request.user, pk=pk)
    form = AmendmentForm(request.POST, handover=handover)
    if form.is_valid():
        try:
            services.amendment_propose(
                request=request, handover=handover, user=request.user, **form.cleaned_data
            )
            messages.success(request, _("Correction recorded; a second person confirms it."))
            return redirect(handover)
        except services.ServiceError as exc:
            form.add_error(None, str(exc))
    return render(
        request,
        "checklists/handover_detail.html",
        _handover_context(request, handover, amend_form=form),
        status=200,
    )


@login_required
@perm_required("handovers.sign")
@require_POST
def amendment_confirm(request, pk, amendment_pk):
    handover = selectors.handover_get_for(user=request.user, pk=pk)
    amendment = get_object_or_404(HandoverAmendment, pk=amendment_pk, handover=handover)
    form = PasswordForm(request.POST)
    try:
        if not form.is_valid():
            raise services.HandoverError(_("Enter your password to confirm."))
        services.amendment_confirm(
            request=request, amendment=amendment, user=request.user, password=form.cleaned_data["password"]
        )
        messages.success(request, _("Correction confirmed."))
    except services.ServiceError as exc:
        messages.error(request, str(exc))
    return redirect(handover)


@login_required
@perm_required("handovers.sign")
def handover_pdf(request, pk):
    handover = selectors.handover_get_for(user=request.user, pk=pk)
    pdf = render_pdf(
        "checklists/pdf/handover.html",
        {"handover": handover, "lines": list(handover.lines.all()), "printed_at": timezone.now()},
    )
    return pdf_response(
        pdf, f"交接班记录-{handover.counter.code}-{handover.business_date:%Y%m%d}-{handover.pk}.pdf"
    )


@login_required
@perm_required("handovers.set_balances")
def balances(request):
    counters = selectors.counters_for(user=request.user).filter(
        store__in=stores_where(request.user, "handovers.set_balances")
    )
    first = counters.first()
    items = selectors.stock_items_for(store=first.store) if first else selectors.StockItem.objects.none()
    form = BalanceForm(request.POST or None, counters=counters, items=items)
    if request.method == "POST" and form.is_valid():
        counter = form.cleaned_data["counter"]
        try:
            services.balance_set(store=counter.store, user=request.user, **form.cleaned_data)
            messages.success(request, _("Opening balance set."))
            return redirect("handovers:balances")
        except services.ServiceError as exc:
            form.add_error(None, str(exc))
    recent = (
        OpeningBalance.objects.for_perm(request.user, "handovers.set_balances")
        .select_related("counter", "item", "set_by", "store")
        .order_by("-effective_at")[:30]
    )
    return render(request, "checklists/balances.html", {"form": form, "recent": recent})


@login_required
@perm_required("handovers.sign")
def movements(request):
    counters = selectors.counters_for(user=request.user)
    first = counters.first()
    items = selectors.stock_items_for(store=first.store) if first else selectors.StockItem.objects.none()
    form = MovementForm(request.POST or None, counters=counters, items=items)
    if request.method == "POST" and form.is_valid():
        counter = form.cleaned_data["counter"]
        try:
            services.movement_record(store=counter.store, user=request.user, **form.cleaned_data)
            messages.success(request, _("Recorded."))
            return redirect("handovers:movements")
        except services.ServiceError as exc:
            form.add_error(None, str(exc))
    recent = (
        StockMovement.objects.for_perm(request.user, "handovers.sign")
        .select_related("counter", "item", "recorded_by", "store")
        .order_by("-occurred_at")[:30]
    )
    return render(request, "checklists/movements.html", {"form": form, "recent": recent})


@login_required
def result_photo(request, pk, item_pk):
    """A checklist photo, served only to those who may see the run."""
    run = selectors.run_get_for(user=request.user, pk=pk)
    result = get_object_or_404(ItemResult, run=run, item_id=item_pk)
    return file_response(result.photo)
