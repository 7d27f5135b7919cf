"""The roster pages: the week grid, shift types, requests, holiday duty, calendar, opening hours,
arrival check-in. Views parse the request, call one selector or service and render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from apps.org.access import can, perm_required
from apps.org.formfields import add_service_errors
from apps.pagination import BoundedPaginator
from apps.printing.documents import pdf_response, render_pdf
from apps.spreadsheets import xlsx_response

from . import selectors, services
from .calendar import holidays_between
from .exports import week_workbook
from .forms import DecisionForm, HolidayDutyForm, HoursForm, RequestForm, ShiftTypeForm, WeekForm
from .models import RequestState

PAGE_SIZE = 25


def _monday(value: str | None) -> dt.date:
    try:
        day = dt.date.fromisoformat(value) if value else timezone.localdate()
    except ValueError as exc:
        raise Http404 from exc
    return selectors.week_start(day)


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@login_required
@perm_required("roster.view")
def home(request):
    store = selectors.roster_stores_for(user=request.user).first()
    if store is None:
        raise Http404
    return redirect(
        "roster:week", store_id=store.pk, monday=selectors.week_start(timezone.localdate()).isoformat()
    )


@login_required
@perm_required("roster.view")
def week(request, store_id: int, monday: str):
    store = selectors.store_for(user=request.user, pk=store_id)
    start = _monday(monday)
    if start.isoformat() != monday:
        return redirect("roster:week", store_id=store.pk, monday=start.isoformat())
    grid = selectors.week_grid(store=store, monday=start)
    may_plan = can(request.user, "roster.plan", store)
    form = WeekForm(request.POST or None, grid=grid)
    if request.method == "POST":
        if not may_plan:
            return render(request, "403.html", status=403)
        if form.is_valid():
            try:
                n = services.week_save(by=request.user, store=store, cells=form.cells())
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    ngettext("Roster saved: %(n)s change.", "Roster saved: %(n)s changes.", n) % {"n": n},
                )
                return redirect("roster:week", store_id=store.pk, monday=start.isoformat())
    return render(
        request,
        "roster/week.html",
        {
            "grid": grid,
            "form": form,
            "store": store,
            "stores": selectors.roster_stores_for(user=request.user),
            "may_plan": may_plan,
            "previous": (start - dt.timedelta(days=7)).isoformat(),
            "next": (start + dt.timedelta(days=7)).isoformat(),
            "this_week": selectors.week_start(timezone.localdate()).isoformat(),
            "limit": selectors.weekly_hours_limit(),
        },
    )


@login_required
@require_POST
def week_copy(request, store_id: int, monday: str):
    store = selectors.store_for(user=request.user, pk=store_id, perm="roster.plan")
    start = _monday(monday)
    n = services.week_copy(by=request.user, store=store, monday=start)
    messages.success(
        request,
        ngettext("%(n)s shift copied from last week.", "%(n)s shifts copied from last week.", n) % {"n": n},
    )
    return redirect("roster:week", store_id=store.pk, monday=start.isoformat())


@login_required
@perm_required("roster.view")
def week_xlsx(request, store_id: int, monday: str):
    store = selectors.store_for(user=request.user, pk=store_id)
    grid = selectors.week_grid(store=store, monday=_monday(monday))
    return xlsx_response(week_workbook(grid), f"{store.name}-{grid.monday:%Y%m%d}.xlsx")


@login_required
@perm_required("roster.view")
def week_pdf(request, store_id: int, monday: str):
    store = selectors.store_for(user=request.user, pk=store_id)
    grid = selectors.week_grid(store=store, monday=_monday(monday))
    pdf = render_pdf("roster/week_pdf.html", {"grid": grid, "store": store}, request=request)
    return pdf_response(pdf, f"{store.name}-{grid.monday:%Y%m%d}.pdf")


@login_required
@perm_required("roster.view")
def shift_types(request, store_id: int):
    store = selectors.store_for(user=request.user, pk=store_id)
    may_plan = can(request.user, "roster.plan", store)
    instance = selectors.shift_type_of(store=store, pk=request.GET.get("edit"))
    form = ShiftTypeForm(request.POST or None, instance=instance)
    if request.method == "POST":
        if not may_plan:
            return render(request, "403.html", status=403)
        if form.is_valid():
            try:
                services.shift_type_save(by=request.user, store=store, instance=instance, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Shift saved."))
                return redirect("roster:shift_types", store_id=store.pk)
    return render(
        request,
        "roster/shift_types.html",
        {
            "store": store,
            "types": selectors.shift_types_of(store, active_only=False),
            "form": form,
            "editing": instance,
            "may_plan": may_plan,
        },
    )


@login_required
@perm_required("roster.view")
def requests(request):
    state = request.GET.get("state") or ""
    if state and state not in RequestState.values:
        state = ""
    rows = selectors.requests_for(user=request.user, state=state or None)
    page = BoundedPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page.object_list:
        row.may_decide = selectors.may_decide(request.user, row)
    return render(
        request,
        "roster/requests.html",
        {"page": page, "state": state, "states": RequestState.choices},
    )


@login_required
@perm_required("roster.view")
def request_new(request):
    stores = list(selectors.roster_stores_for(user=request.user))
    store_id = request.POST.get("store") or request.GET.get("store")
    store = next((s for s in stores if str(s.pk) == store_id), stores[0] if stores else None)
    if store is None:
        raise Http404
    colleagues = [u for u in selectors.staff_of(store) if u.pk != request.user.pk]
    form = RequestForm(request.POST or None, colleagues=colleagues)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_create(by=request.user, store=store, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your request was sent to the manager."))
            return redirect("roster:requests")
    return render(request, "roster/request_form.html", {"form": form, "store": store, "stores": stores})


@login_required
@require_POST
def request_decide(request, pk: int, verdict: str):
    row = selectors.request_for(user=request.user, pk=pk)
    if verdict not in ("approve", "reject"):
        raise Http404
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("roster:requests")
    try:
        services.request_decide(
            by=request.user, request=row, approve=verdict == "approve", note=form.cleaned_data["note"]
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Request decided."))
    return redirect("roster:requests")


@login_required
@require_POST
def request_withdraw(request, pk: int):
    row = selectors.request_for(user=request.user, pk=pk)
    try:
        services.request_withdraw(by=request.user, request=row)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Request withdrawn."))
    return redirect("roster:requests")


@login_required
@perm_required("roster.view")
def holiday_duty(request, store_id: int, year: int):
    store = selectors.store_for(user=request.user, pk=store_id)
    if not 2000 <= year <= 2100:
        raise Http404
    days = holidays_between(dt.date(year, 1, 1), dt.date(year, 12, 31))
    staff = selectors.staff_of(store)
    current = {s.date: s.user_id for s in selectors.duty_shifts(store=store, days=[d.date for d in days])}
    may_plan = can(request.user, "roster.plan", store)
    form = HolidayDutyForm(request.POST or None, days=days, staff=staff, current=current)
    if request.method == "POST":
        if not may_plan:
            return render(request, "403.html", status=403)
        if form.is_valid():
            try:
                n = services.holiday_duty_save(by=request.user, store=store, duty=form.duty())
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    ngettext("Holiday duty saved: %(n)s change.", "Holiday duty saved: %(n)s changes.", n)
                    % {"n": n},
                )
                return redirect("roster:holiday_duty", store_id=store.pk, year=year)
    names = {u.pk: u for u in staff}
    for day in days:
        setattr(day, "person", names.get(current.get(day.date) or 0))  # noqa: B010 (read by the template)
    return render(
        request,
        "roster/holiday_duty.html",
        {
            "store": store,
            "year": year,
            "days": days,
            "form": form,
            "may_plan": may_plan,
        },
    )


def _year(value: str | None) -> int:
    """A year from the address (this year when absent); anything else is not found."""
    if not value:
        return timezone.localdate().year
    if not value.isdigit() or not 2000 <= int(value) <= 2100:
        raise Http404
    return int(value)


@login_required
@perm_required("roster.view")
def calendar(request):
    year = _year(request.GET.get("year"))
    days = selectors.calendar_year(year)
    may_edit = request.user.is_superuser or request.user.is_org_admin
    return render(
        request,
        "roster/calendar.html",
        {"year": year, "days": days, "may_edit": may_edit, "previous": year - 1, "next": year + 1},
    )


@login_required
@require_POST
def calendar_sync(request):
    year = _year(request.POST.get("year"))
    try:
        n = services.calendar_sync(by=request.user, year=year)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(
            request,
            ngettext(
                "%(n)s day of %(year)s taken from the official calendar.",
                "%(n)s days of %(year)s taken from the official calendar.",
                n,
            )
            % {"n": n, "year": year},
        )
    return redirect(f"{reverse('roster:calendar')}?year={year}")


@login_required
@perm_required("roster.plan")
def hours(request, store_id: int):
    store = selectors.store_for(user=request.user, pk=store_id, perm="roster.plan")
    form = HoursForm(
        request.POST or None,
        initial={"opens_at": store.opens_at, "closes_at": store.closes_at, "open_days": store.open_days},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.store_hours_set(by=request.user, store=store, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Opening hours saved."))
            return redirect("roster:hours", store_id=store.pk)
    return render(request, "roster/hours.html", {"store": store, "form": form})


@login_required
@require_POST
def check_in(request, store_id: int):
    store = selectors.store_for(user=request.user, pk=store_id)
    try:
        row, created = services.check_in(by=request.user, store=store)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        if not created:
            messages.info(
                request,
                _("You already checked in today at %(at)s.")
                % {"at": timezone.localtime(row.at).strftime("%H:%M")},
            )
        elif row.late_minutes:
            messages.warning(
                request,
                ngettext(
                    "Checked in, %(n)s minute late.", "Checked in, %(n)s minutes late.", row.late_minutes
                )
                % {"n": row.late_minutes},
            )
        else:
            messages.success(request, _("Checked in. Have a good shift."))
    return redirect(reverse("home"))


@login_required
@perm_required("roster.plan")
def arrivals(request):
    today = timezone.localdate()
    start = today - dt.timedelta(days=27)
    rows = selectors.late_arrivals(
        stores=selectors.roster_stores_for(user=request.user, perm="roster.plan"), start=start, end=today
    )
    page = BoundedPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "roster/arrivals.html", {"page": page, "start": start, "end": today})
