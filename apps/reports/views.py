"""The reports pages: the archive, a week's report (draft, submit), its PDF, the superior's review."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.org.access import perm_required
from apps.org.formfields import add_service_errors
from apps.pagination import BoundedPaginator
from apps.printing.documents import pdf_response, render_pdf

from . import selectors, services
from .forms import ReportForm, ReviewForm
from .models import ReportState

PAGE_SIZE = 25


def _monday(value: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError as exc:
        raise Http404 from exc
    return selectors.week_start(day)


@login_required
@perm_required("reports.view")
def home(request):
    stores = list(selectors.report_stores_for(user=request.user))
    store_id = request.GET.get("store")
    store_id = int(store_id) if store_id and store_id.isdigit() else None
    state = request.GET.get("state") or ""
    if state not in ReportState.values:
        state = ""
    rows = selectors.reports_for(user=request.user, store_id=store_id, state=state or None)
    page = BoundedPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    this_week = selectors.week_start(timezone.localdate())
    return render(
        request,
        "reports/home.html",
        {
            "page": page,
            "stores": stores,
            "store_id": store_id,
            "state": state,
            "states": ReportState.choices,
            "this_week": this_week.isoformat(),
            "last_week": (this_week - dt.timedelta(days=7)).isoformat(),
            "waiting": selectors.waiting_for_review(user=request.user)[:10],
        },
    )


@login_required
@perm_required("reports.view")
def week(request, store_id: int, monday: str):
    store = selectors.store_for(user=request.user, pk=store_id)
    start = _monday(monday)
    if start.isoformat() != monday:
        return redirect("reports:week", store_id=store.pk, monday=start.isoformat())
    return _week_page(request, store, start)


def _week_page(request, store, start: dt.date):
    report = selectors.report_of(store=store, monday=start)
    may_write = selectors.may_write(request.user, store) and (report is None or not report.is_frozen)
    initial = {"summary": report.summary, "plans": report.plans} if report else {}
    form = ReportForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not may_write:
            return render(request, "403.html", status=403)
        if form.is_valid():
            try:
                report = services.report_save(by=request.user, store=store, monday=start, **form.cleaned_data)
                if request.POST.get("action") == "submit":
                    services.report_submit(by=request.user, report=report)
                    messages.success(request, _("Report submitted to your superior."))
                else:
                    messages.success(request, _("Draft saved."))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("reports:week", store_id=store.pk, monday=start.isoformat())
    return render(
        request,
        "reports/week.html",
        {
            "store": store,
            "monday": start,
            "sunday": start + dt.timedelta(days=6),
            "due_on": selectors.due_on(start),
            "report": report,
            "sections": selectors.sections_of(store=store, monday=start, report=report),
            "form": form,
            "may_write": may_write,
            "may_review": selectors.may_review(request.user, report),
            "review_form": ReviewForm(),
            "previous": (start - dt.timedelta(days=7)).isoformat(),
            "next": (start + dt.timedelta(days=7)).isoformat(),
            "is_future": start > timezone.localdate(),
        },
    )


@login_required
@perm_required("reports.view")
def week_pdf(request, store_id: int, monday: str):
    store = selectors.store_for(user=request.user, pk=store_id)
    start = _monday(monday)
    report = selectors.report_of(store=store, monday=start)
    context = {
        "store": store,
        "monday": start,
        "sunday": start + dt.timedelta(days=6),
        "report": report,
        "sections": selectors.sections_of(store=store, monday=start, report=report),
    }
    pdf = render_pdf("reports/week_pdf.html", context, request=request)
    return pdf_response(pdf, f"{store.name}-{start:%Y%m%d}.pdf")


@login_required
@perm_required("reports.view")
def detail(request, pk: int):
    report = get_object_or_404(selectors.reports_for(user=request.user), pk=pk)
    if request.method == "POST":
        return redirect(report.get_week_url())
    return _week_page(request, report.store, report.week_start)


@login_required
@require_POST
def review(request, pk: int, verdict: str):
    report = get_object_or_404(selectors.reports_for(user=request.user), pk=pk)
    if verdict not in ("accept", "return"):
        raise Http404
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(report.get_week_url())
    comment = form.cleaned_data["comment"]
    try:
        if verdict == "accept":
            services.report_accept(by=request.user, report=report, comment=comment)
        else:
            services.report_return(by=request.user, report=report, comment=comment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Report accepted.") if verdict == "accept" else _("Report returned."))
    return redirect(report.get_week_url())
