"""The service station's monthly quality meeting pack (质量目标沟通会): 准时交车率 by service advisor
and by mechanic, late reasons, the corrective actions of last month and their status; its PDF; the
archive per month. Other store kinds have none (404), and see no menu item."""

from __future__ import annotations

import datetime as dt
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.org.access import perm_required
from apps.org.formfields import add_service_errors
from apps.printing.documents import pdf_response, render_pdf
from apps.printing.services import print_job_start

from . import selectors, services
from .documents import QUALITY_PACK, quality_pack_context
from .forms import ActionForm, ActionStatusForm

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def _month(value: str) -> dt.date:
    m = MONTH_RE.match(value)
    if not m:
        raise Http404
    try:
        month = dt.date(int(m.group(1)), int(m.group(2)), 1)
    except ValueError as exc:
        raise Http404 from exc
    if month > timezone.localdate() or month.year < 2000:
        raise Http404
    return month


@login_required
@perm_required("reports.view")
def quality_home(request):
    stores = list(selectors.quality_stores_for(user=request.user)[:20])
    if not stores:
        raise Http404
    today = timezone.localdate()
    return render(
        request,
        "reports/quality_home.html",
        {"archive": [(s, selectors.quality_months(store=s, today=today)) for s in stores]},
    )


@login_required
@perm_required("reports.view")
def quality_month(request, store_id: int, month: str):
    store = selectors.quality_store_for(user=request.user, pk=store_id)
    first = _month(month)
    may_write = selectors.may_write(request.user, store)
    owners = selectors.action_owner_choices(store=store)
    form = ActionForm(request.POST or None, owners=owners)
    if request.method == "POST":
        if not may_write:
            return render(request, "403.html", status=403)
        if form.is_valid():
            try:
                services.action_create(by=request.user, store=store, month=first, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Corrective action added."))
                return redirect("reports:quality_month", store_id=store.pk, month=month)
    context = quality_pack_context(store=store, month=first)
    nxt = (first + dt.timedelta(days=32)).replace(day=1)
    return render(
        request,
        "reports/quality_month.html",
        {
            **context,
            "form": form,
            "may_write": may_write,
            "status_form": ActionStatusForm(),
            "next": nxt if nxt <= timezone.localdate() else None,
        },
    )


@login_required
@perm_required("reports.view")
@require_http_methods(["GET", "POST"])
def quality_pdf(request, store_id: int, month: str):
    """GET: the pack's PDF at once; POST (the page's button): a print job, so a long month never
    holds a web worker."""
    store = selectors.quality_store_for(user=request.user, pk=store_id)
    first = _month(month)
    if request.method == "GET":
        pdf = render_pdf("reports/quality_pdf.html", quality_pack_context(store=store, month=first))
        return pdf_response(pdf, f"质量目标沟通会-{store.name}-{first:%Y%m}.pdf")
    job = print_job_start(
        owner=request.user,
        builder=QUALITY_PACK,
        title=_("Quality meeting pack · %(store)s · %(month)s")
        % {"store": store.name, "month": f"{first:%Y-%m}"},
        params={"store_id": store.pk, "month": first.isoformat()},
    )
    return redirect(job.get_absolute_url())


@login_required
@perm_required("reports.write")
@require_POST
def action_status(request, pk: int):
    action = selectors.action_get_for(user=request.user, pk=pk)
    form = ActionStatusForm(request.POST)
    # The page it was changed on: the month's own pack or the next month's (last month's actions).
    month = request.POST.get("back") or ""
    if not MONTH_RE.match(month):
        month = f"{action.month:%Y-%m}"
    back = redirect("reports:quality_month", store_id=action.store_id, month=month)
    if not form.is_valid():
        messages.error(request, _("Pick a status."))
        return back
    try:
        services.action_update(by=request.user, action=action, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Corrective action updated."))
    return back
