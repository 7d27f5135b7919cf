"""The tail boxes (尾箱): the day's board (the supervisor sees every box, a teller their own), a box's
check (count, sign, second signature), and the branch ledger against its limits (库存限额)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.org.access import can, perm_required
from apps.org.formfields import add_service_errors
from apps.pagination import BoundedPaginator

from . import box_selectors, box_services, selectors
from .box_forms import LimitForm, TailBoxCountForm, TailBoxSealForm, TailBoxSignForm, TransferForm
from .models import CheckState

PAGE_SIZE = 25


def _day(request) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return timezone.localdate()


@login_required
@perm_required("bank.record")
def board(request, store_id: int):
    store = selectors.bank_store_for(user=request.user, pk=store_id)
    day = _day(request)
    rows = box_selectors.day_board(user=request.user, store=store, day=day)
    return render(
        request,
        "bankdesk/tail_boxes.html",
        {
            "store": store,
            "day": day,
            "today": timezone.localdate(),
            "rows": rows,
            "counts": box_selectors.board_counts(rows),
            "may_supervise": can(request.user, "bank.supervise", store),
        },
    )


@login_required
@require_POST
def start(request, store_id: int, box_id: int):
    store = selectors.bank_store_for(user=request.user, pk=store_id)
    box = box_selectors.box_get_for(user=request.user, store=store, pk=box_id)
    try:
        check = box_services.tail_box_check_start(by=request.user, box=box)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("bankdesk:tail_boxes", store_id=store.pk)
    return redirect("bankdesk:tail_box_check", store_id=store.pk, pk=check.pk)


@login_required
@perm_required("bank.record")
def check(request, store_id: int, pk: int):
    store = selectors.bank_store_for(user=request.user, pk=store_id)
    box_check = box_selectors.check_get_for(user=request.user, store=store, pk=pk)
    lines = list(box_check.lines.all())
    action = request.POST.get("action") if request.method == "POST" else None
    is_teller = box_check.teller_id == request.user.pk
    people = list(box_selectors.second_signers_for(check=box_check))
    count_form = TailBoxCountForm(request.POST if action in ("count", "sign") else None, lines=lines)
    sign_form = TailBoxSignForm(request.POST if action == "sign" else None)
    seal_form = TailBoxSealForm(request.POST if action == "seal" else None, people=people)
    back = redirect("bankdesk:tail_box_check", store_id=store.pk, pk=box_check.pk)
    try:
        if action in ("count", "sign") and is_teller and count_form.is_valid():
            box_services.tail_box_count_save(by=request.user, check=box_check, counts=count_form.counts())
            if action == "count":
                messages.success(request, _("Count saved."))
                return back
            if sign_form.is_valid():
                box_services.tail_box_sign(
                    request=request, check=box_check, user=request.user, **sign_form.cleaned_data
                )
                messages.success(request, _("Signed. A second person now signs the seal."))
                return back
        elif action == "seal" and seal_form.is_valid():
            box_services.tail_box_seal(
                request=request,
                check=box_check,
                second_id=seal_form.cleaned_data["second"],
                password=seal_form.cleaned_data["password"],
            )
            messages.success(request, _("The box is sealed by two people."))
            return back
        elif action and action not in ("count", "sign", "seal"):
            messages.error(request, _("Nothing was saved."))
    except ValidationError as exc:
        forms = {"seal": seal_form, "sign": sign_form}
        add_service_errors(forms.get(action or "", count_form), exc)
    if action in ("count", "sign") and not is_teller:
        messages.error(request, _("Only the box's teller counts it."))
    return render(
        request,
        "bankdesk/tail_box_check.html",
        {
            "store": store,
            "check": box_check,
            "lines": lines,
            "count_form": count_form,
            "sign_form": sign_form,
            "seal_form": seal_form,
            "is_teller": is_teller,
            "counting": box_check.state == CheckState.COUNTING,
            "signed": box_check.state == CheckState.SIGNED,
        },
    )


@login_required
@perm_required("bank.record")
def ledger(request, store_id: int):
    store = selectors.bank_store_for(user=request.user, pk=store_id)
    supervise = can(request.user, "bank.supervise", store)
    items = box_selectors.bank_items(store)
    which = request.POST.get("form") if request.method == "POST" else None
    transfer_form = TransferForm(
        request.POST if which == "transfer" else None,
        boxes=box_selectors.boxes_of(user=request.user, store=store),
        items=items,
        prefix="t",
    )
    limit_form = LimitForm(request.POST if which == "limit" else None, items=items, prefix="l")
    if which == "limit" and not supervise:
        return render(request, "403.html", status=403)
    try:
        if which == "transfer" and transfer_form.is_valid():
            box_services.branch_transfer_record(by=request.user, store=store, **transfer_form.cleaned_data)
            messages.success(request, _("Transfer recorded."))
            return redirect("bankdesk:ledger", store_id=store.pk)
        if which == "limit" and limit_form.is_valid():
            box_services.branch_limit_set(by=request.user, store=store, **limit_form.cleaned_data)
            messages.success(request, _("Limit saved."))
            return redirect("bankdesk:ledger", store_id=store.pk)
    except ValidationError as exc:
        add_service_errors(transfer_form if which == "transfer" else limit_form, exc)
    page = BoundedPaginator(box_selectors.transfers(store=store), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "bankdesk/ledger.html",
        {
            "store": store,
            "holdings": box_selectors.branch_holdings(store=store),
            "over_today": box_selectors.over_limits(store=store),
            "page": page,
            "transfer_form": transfer_form,
            "limit_form": limit_form,
            "may_supervise": supervise,
        },
    )
