"""The bank branch's registers: the supervisor's desk and one page per register (list + entry)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.org.access import can, perm_required
from apps.org.formfields import add_service_errors
from apps.pagination import BoundedPaginator

from . import box_selectors, selectors, services
from .forms import (
    CashBoxForm,
    CounterfeitForm,
    PasswordChangeForm,
    ReportedForm,
    SentForm,
    TransactionReportForm,
    VerifyForm,
    VoucherPacketForm,
)

PAGE_SIZE = 25


def _save(request, form, save) -> bool:
    """Validate and save through the service; on a rule broken, the form shows why."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        save(form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    messages.success(request, _("Saved."))
    return True


def _page(request, rows, store, form, *, title, rows_template, may_add=True, **extra):
    page = BoundedPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "bankdesk/register.html",
        {
            "store": store,
            "page": page,
            "form": form,
            "title": title,
            "rows_template": rows_template,
            "may_add": may_add,
            "may_supervise": can(request.user, "bank.supervise", store),
            **extra,
        },
    )


def _supervisor_action(request, store_id, pk, *, rows, form_class, act, done, invalid, back):
    """A supervisor's POST on one register row: `act(row, **cleaned_data)` through the service,
    then back to the register with what happened."""
    store = selectors.bank_store_for(user=request.user, pk=store_id, perm="bank.supervise")
    row = get_object_or_404(rows(store=store), pk=pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            act(row, **form.cleaned_data)
            messages.success(request, done)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, invalid)
    return redirect(back, store_id=store.pk)


@login_required
@perm_required("bank.record")
def home(request):
    store = selectors.bank_stores_for(user=request.user).first()
    if store is None:
        raise Http404
    return redirect("bankdesk:desk", store_id=store.pk)


@login_required
@perm_required("bank.record")
def desk(request, store_id: int):
    store = selectors.bank_store_for(user=request.user, pk=store_id)
    today = timezone.localdate()
    return render(
        request,
        "bankdesk/desk.html",
        {
            "store": store,
            "counts": selectors.desk_counts(store=store, today=today),
            "open_reports": selectors.transaction_reports(store=store).filter(reported_at__isnull=True)[:10],
            "today": today,
            "boxes": box_selectors.board_counts(
                box_selectors.day_board(user=request.user, store=store, day=today)
            ),
            "over_limits": list(box_selectors.over_limits(store=store, day=today)),
        },
    )


@login_required
@perm_required("bank.record")
def counterfeit(request, store_id: int):
    store = selectors.bank_store_for(user=request.user, pk=store_id)
    form = CounterfeitForm(
        request.POST or None, initial={"found_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}
    )
    if _save(request, form, lambda data: services.counterfeit_record(by=request.user, store=store, **data)):
        return redirect("bankdesk:counterfeit", store_id=store.pk)
    return _page(
        request,
        selectors.counterfeit_notes(store=store),
        store,
        form,
        title=_("Suspected counterfeit notes"),
        rows_template="bankdesk/_counterfeit_rows.html",
        verify_form=VerifyForm(),
    )


@login_required
@require_POST
def counterfeit_verify(request, store_id: int, pk: int):
    return _supervisor_action(
        request,
        store_id,
        pk,
        rows=selectors.counterfeit_notes,
        form_class=VerifyForm,
        act=lambda note, **data: services.counterfeit_verify(by=request.user, note=note, **data),
        done=_("Verified."),
        invalid=_("Choose counterfeit or genuine."),
        back="bankdesk:counterfeit",
    )


@login_required
@perm_required("bank.record")
def reports(request, store_id: int):
    store = selectors.bank_store_for(user=request.user, pk=store_id)
    form = TransactionReportForm(request.POST or None, initial={"occurred_on": timezone.localdate()})
    if _save(
        request, form, lambda data: services.transaction_report_record(by=request.user, store=store, **data)
    ):
        return redirect("bankdesk:reports", store_id=store.pk)
    return _page(
        request,
        selectors.transaction_reports(store=store),
        store,
        form,
        title=_("Large and suspicious transaction reports"),
        rows_template="bankdesk/_report_rows.html",
        done_form=ReportedForm(),
        today=timezone.localdate(),
    )


@login_required
@require_POST
def report_done(request, store_id: int, pk: int):
    return _supervisor_action(
        request,
        store_id,
        pk,
        rows=selectors.transaction_reports,
        form_class=ReportedForm,
        act=lambda report, **data: services.transaction_report_done(by=request.user, report=report, **data),
        done=_("Marked as reported."),
        invalid=_("Enter the reference the reporting system gave."),
        back="bankdesk:reports",
    )


@login_required
@perm_required("bank.record")
def cash_boxes(request, store_id: int):
    store = selectors.bank_store_for(user=request.user, pk=store_id)
    staff = selectors.tellers_of(store) + [request.user]
    form = CashBoxForm(
        request.POST or None, staff=staff, initial={"at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}
    )
    if _save(request, form, lambda data: services.cash_box_record(by=request.user, store=store, **data)):
        return redirect("bankdesk:cash_boxes", store_id=store.pk)
    return _page(
        request,
        selectors.cash_box_handovers(store=store),
        store,
        form,
        title=_("Cash box handovers with the escort company"),
        rows_template="bankdesk/_cash_box_rows.html",
    )


@login_required
@perm_required("bank.record")
def packets(request, store_id: int):
    store = selectors.bank_store_for(user=request.user, pk=store_id)
    may_add = can(request.user, "bank.supervise", store)
    form = VoucherPacketForm(request.POST or None)
    if request.method == "POST" and not may_add:
        return render(request, "403.html", status=403)
    if _save(
        request, form, lambda data: services.voucher_packet_record(by=request.user, store=store, **data)
    ):
        return redirect("bankdesk:packets", store_id=store.pk)
    return _page(
        request,
        selectors.voucher_packets(store=store),
        store,
        form,
        title=_("Voucher packets sent to audit"),
        rows_template="bankdesk/_packet_rows.html",
        may_add=may_add,
        sent_form=SentForm(),
    )


@login_required
@require_POST
def packet_sent(request, store_id: int, pk: int):
    return _supervisor_action(
        request,
        store_id,
        pk,
        rows=selectors.voucher_packets,
        form_class=SentForm,
        act=lambda packet, **data: services.voucher_packet_sent(by=request.user, packet=packet, **data),
        done=_("Marked as sent."),
        invalid=_("Name who received the packet at the audit department."),
        back="bankdesk:packets",
    )


@login_required
@perm_required("bank.record")
def passwords(request, store_id: int):
    store = selectors.bank_store_for(user=request.user, pk=store_id)
    today = timezone.localdate()
    supervise = can(request.user, "bank.supervise", store)
    tellers = selectors.tellers_of(store) if supervise else [request.user]
    form = PasswordChangeForm(
        request.POST or None, tellers=tellers, initial={"changed_on": today, "teller": request.user.pk}
    )
    if _save(
        request, form, lambda data: services.password_change_record(by=request.user, store=store, **data)
    ):
        return redirect("bankdesk:passwords", store_id=store.pk)
    rows = selectors.password_status(store=store, today=today)
    if not supervise:
        rows = [r for r in rows if r["teller"].pk == request.user.pk]
    return render(
        request,
        "bankdesk/passwords.html",
        {"store": store, "rows": rows, "form": form, "days": selectors.password_days()},
    )
