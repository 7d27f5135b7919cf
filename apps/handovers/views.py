from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.checklists.open_matters import open_matters_for
from apps.org.access import can, perm_required, stores_where
from apps.printing.documents import pdf_response, render_pdf
from apps.spreadsheets import EXPORT_MAX_ROWS, table_response

from . import selectors, services
from .filters import HandoverFilter
from .forms import (
    AmendmentForm,
    BalanceForm,
    HandoverLineForm,
    HandoverStartForm,
    MovementForm,
    PasswordForm,
    SignForm,
    WitnessForm,
    people_who_sign,
)
from .models import HandoverState


def _error_text(exc: ValidationError) -> str:
    """A service's refusal as the one line the page shows."""
    return " ".join(str(m) for m in exc.messages)


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
        "handovers/handover_list.html",
        {
            "filter": filterset,
            "page": page,
            "open_mine": [h for h in open_mine if request.user.pk in (h.outgoing_id, h.incoming_id)],
            "can_set_balances": can(request.user, "handovers.set_balances"),
        },
    )


@login_required
@perm_required("handovers.sign")
def handover_export(request):
    """The handovers the list shows (same filter, same order) with their counts, one row per line."""
    stores = stores_where(request.user, "handovers.sign").order_by("name")
    filterset = HandoverFilter(
        request.GET, queryset=selectors.handover_list_for(user=request.user), stores=stores
    )
    rows = []
    for h in selectors.handovers_with_lines(filterset.qs[:EXPORT_MAX_ROWS]):
        head = [
            h.pk,
            h.store.name,
            str(h.counter),
            h.get_state_display(),
            str(h.outgoing),
            str(h.incoming),
            str(h.witness or ""),
            _local(h.signed_at),
            _local(h.accepted_at),
        ]
        lines = h.lines.all()
        if not lines:
            rows.append([*head, "", None, None, None, ""])
        for ln in lines:
            rows.append([*head, str(ln.item), ln.expected, ln.counted, ln.difference, ln.explanation])
        if len(rows) >= EXPORT_MAX_ROWS:
            break
    headers = [_("Handover"), _("Store"), _("Counter"), _("State"), _("Outgoing"), _("Incoming"), _("Witness"),
               _("Signed at"), _("Accepted at"), _("Item"), _("Expected"), _("Counted"), _("Difference"),
               _("Explanation")]  # fmt: skip
    return table_response(
        title=_("Handovers"), headers=headers, rows=rows[:EXPORT_MAX_ROWS], filename="handovers.xlsx"
    )


def _local(moment):
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


@login_required
@perm_required("handovers.sign")
def handover_new(request):
    counters = selectors.counters_for(user=request.user)
    stores = stores_where(request.user, "handovers.sign")
    people = people_who_sign(stores).exclude(pk=request.user.pk)
    initial = request.GET.dict()
    proposal = None
    if request.method != "POST":
        proposal = selectors.handover_proposal(
            user=request.user, counters=counters, people=people, counter_id=initial.get("counter")
        )
        if proposal.counter and "counter" not in initial:
            initial["counter"] = proposal.counter.pk
        if proposal.incoming and "incoming" not in initial:
            initial["incoming"] = proposal.incoming.pk
    form = HandoverStartForm(request.POST or None, counters=counters, people=people, initial=initial)
    if proposal and proposal.incoming:
        # Django renders a help text as HTML: the person's name goes in escaped.
        form.fields["incoming"].help_text = _(
            "%(name)s is next on the roster: proposed, you may choose someone else."
        ) % {"name": escape(str(proposal.incoming))}
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
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "handovers/handover_new.html", {"form": form})


def _handover_context(request, handover, **extra):
    user = request.user
    lines = list(handover.lines.all())
    matters = handover.open_matters
    if handover.state == HandoverState.DRAFT:
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
    return render(request, "handovers/handover_detail.html", _handover_context(request, handover))


@login_required
@perm_required("handovers.sign")
@require_POST
def handover_line(request, pk, line_pk):
    """One POST per counted line (htmx), sent when a field is left: saved at once; the answer swaps only
    the line's computed parts and the totals out of band, never an input (the person is typing on)."""
    handover = selectors.handover_get_for(user=request.user, pk=pk)
    line = selectors.line_get(handover=handover, pk=line_pk)
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
        except ValidationError as exc:
            error = _error_text(exc)
    else:
        error = form.first_error()
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(handover)
    # The inputs keep what was typed: only the computed parts of the line and the totals go back.
    lines = selectors.lines_of(handover)
    line = next(ln for ln in lines if ln.pk == line.pk)
    return render(
        request,
        "handovers/_handover_line_saved.html",
        {"line": line, "error": error, "totals": selectors.handover_totals(lines)},
    )


def _handover_action(request, pk, action):
    handover = selectors.handover_get_for(user=request.user, pk=pk)
    try:
        action(handover)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    return redirect(handover)


@login_required
@perm_required("handovers.sign")
@require_POST
def handover_sign(request, pk):
    form = SignForm(request.POST)

    def act(h):
        if not form.is_valid():
            raise ValidationError(_("Enter your password to sign."))
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
                raise ValidationError(form.errors["witness"][0])
            raise ValidationError(_("Choose the witness, who enters their password."))
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
            raise ValidationError(_("Enter your password to accept."))
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
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(
        request,
        "handovers/handover_detail.html",
        _handover_context(request, handover, amend_form=form),
        status=200,
    )


@login_required
@perm_required("handovers.sign")
@require_POST
def amendment_confirm(request, pk, amendment_pk):
    handover = selectors.handover_get_for(user=request.user, pk=pk)
    amendment = selectors.amendment_get(handover=handover, pk=amendment_pk)
    form = PasswordForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Enter your password to confirm."))
        services.amendment_confirm(
            request=request, amendment=amendment, user=request.user, password=form.cleaned_data["password"]
        )
        messages.success(request, _("Correction confirmed."))
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    return redirect(handover)


@login_required
@perm_required("handovers.sign")
def handover_pdf(request, pk):
    handover = selectors.handover_get_for(user=request.user, pk=pk)
    pdf = render_pdf(
        "handovers/pdf/handover.html",
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
    items = selectors.stock_items_for_counters(counters)
    form = BalanceForm(request.POST or None, counters=counters, items=items)
    if request.method == "POST" and form.is_valid():
        counter = form.cleaned_data["counter"]
        try:
            services.balance_set(store=counter.store, user=request.user, **form.cleaned_data)
            messages.success(request, _("Opening balance set."))
            return redirect("handovers:balances")
        except ValidationError as exc:
            form.add_error(None, exc)
    recent = selectors.recent_balances_for(user=request.user)
    return render(request, "handovers/balances.html", {"form": form, "recent": recent})


@login_required
@perm_required("handovers.sign")
def movements(request):
    counters = selectors.counters_for(user=request.user)
    items = selectors.stock_items_for_counters(counters)
    form = MovementForm(request.POST or None, counters=counters, items=items)
    if request.method == "POST" and form.is_valid():
        counter = form.cleaned_data["counter"]
        try:
            services.movement_record(store=counter.store, user=request.user, **form.cleaned_data)
            messages.success(request, _("Recorded."))
            return redirect("handovers:movements")
        except ValidationError as exc:
            form.add_error(None, exc)
    recent = selectors.recent_movements_for(user=request.user)
    return render(request, "handovers/movements.html", {"form": form, "recent": recent})
