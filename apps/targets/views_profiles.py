"""Admins edit each store kind's KPI profile: which KPIs the kind is measured by, their order and
default monthly targets (`/targets/kpis/profiles/`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.org.access import perm_required
from apps.org.formfields import add_service_errors
from apps.org.models import StoreKind

from . import kpis, profiles, services
from .forms import KindKpiAddForm, KindKpiFormSet


@login_required
@perm_required("targets.edit")
def kind_profiles(request):
    counts = profiles.kind_profile_counts()
    kinds = [{"kind": k, "label": label, "count": counts.get(k, 0)} for k, label in StoreKind.choices]
    return render(request, "targets/kind_profiles.html", {"kinds": kinds})


@login_required
@perm_required("targets.edit")
def kind_profile(request, kind):
    if kind not in profiles.KIND_ORDER:
        raise Http404
    rows = profiles.kind_profile_rows(kind=kind)
    action = request.POST.get("action") if request.method == "POST" else None
    formset = KindKpiFormSet(
        request.POST if action == "save" else None,
        initial=[{"pk": r.pk, "target": r.target, "order": r.order, "is_active": r.is_active} for r in rows],
        prefix="rows",
    )
    add_form = KindKpiAddForm(
        request.POST if action == "add" else None, taken={r.kpi_key for r in rows}, prefix="add"
    )
    if action == "save" and formset.is_valid():
        try:
            services.kind_profile_save(by=request.user, kind=kind, rows=[f.cleaned_data for f in formset])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("KPI profile saved."))
            return redirect("targets:kind_profile", kind=kind)
    if action == "add" and add_form.is_valid():
        try:
            services.kind_kpi_add(by=request.user, kind=kind, **add_form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(add_form, exc)
        else:
            messages.success(request, _("KPI added to the profile."))
            return redirect("targets:kind_profile", kind=kind)
    by_pk = {r.pk: r for r in rows}
    lines = []
    for form in formset:
        row = by_pk.get(form.initial.get("pk"))
        if row is not None:
            lines.append({"form": form, "row": row, "entry": kpis.get_kpi(row.kpi_key)})
    return render(
        request,
        "targets/kind_profile.html",
        {
            "kind": kind,
            "kind_label": StoreKind(kind).label,
            "formset": formset,
            "lines": lines,
            "add_form": add_form,
        },
    )
