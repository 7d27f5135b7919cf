from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.org.access import stores_where
from apps.org.models import Department, User
from apps.roles.selectors import positions_current_in

from . import kpis, profiles
from .models import (
    PLAN_ATTRITION_FIELDS,
    PLAN_SECTIONS,
    ActionStep,
    BudgetLine,
    HeadcountLine,
    LetterKpi,
    PlanObjective,
    ResponsibilityLetter,
    StepStatus,
    TargetPlan,
)


class MonthField(forms.DateField):
    """A month typed as YYYY-MM (the browser's month picker), stored as its first day."""

    widget = forms.DateInput(attrs={"type": "month"})
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def prepare_value(self, value):
        if isinstance(value, dt.date):
            return value.strftime("%Y-%m")
        return value

    def to_python(self, value):
        day = super().to_python(value)
        return day.replace(day=1) if day else day


def _helper(tag=False) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = tag
    return helper


def _staff_of(stores):
    return User.objects.filter(
        memberships__store__in=stores, memberships__is_active=True, is_active=True
    ).distinct()


MARKDOWN_HINT = _("Markdown: # heading, **bold**, - list item, 1. numbered item, | a | b | table rows.")


class PlanForm(forms.ModelForm):
    class Meta:
        model = TargetPlan
        fields = [
            "department",
            "store",
            "year",
            "title",
            "responsible",
            *PLAN_SECTIONS,
            *PLAN_ATTRITION_FIELDS,
        ]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in PLAN_SECTIONS}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        stores = stores_where(user, "targets.edit")
        self.fields["store"].queryset = stores
        self.fields["department"].queryset = Department.objects.filter(
            organisation__in=stores.values("organisation")
        )
        self.fields["responsible"].queryset = _staff_of(stores)
        self.fields["title"].required = False
        for name in PLAN_SECTIONS:
            self.fields[name].help_text = MARKDOWN_HINT
        if not self.instance.pk:
            self.fields["year"].initial = timezone.localdate().year
        else:
            for name in ("department", "store", "year"):
                self.fields[name].disabled = True
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        for name in PLAN_ATTRITION_FIELDS:
            value = data.get(name)
            if value is not None and not 0 <= value <= 100:
                self.add_error(name, _("Enter a percentage from 0 to 100."))
        return data

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2000 <= year <= 2100:
            raise forms.ValidationError(_("Enter a year between 2000 and 2100."))
        return year


# Rows a plan or letter table may have: a posted TOTAL_FORMS beyond it is refused, not rendered as
# thousands of rows.
MAX_ROWS: dict[str, Any] = {"max_num": 100, "absolute_max": 100}

ObjectiveFormSet = inlineformset_factory(
    TargetPlan,
    PlanObjective,
    fields=["category", "text", "owner", "quarter", "status"],
    extra=2,
    widgets={"text": forms.Textarea(attrs={"rows": 1})},
    **MAX_ROWS,
)
HeadcountFormSet = inlineformset_factory(
    TargetPlan,
    HeadcountLine,
    fields=["post", "current", "planned", "note"],
    extra=1,
    **MAX_ROWS,
)
BudgetFormSet = inlineformset_factory(
    TargetPlan,
    BudgetLine,
    fields=["item", "is_operating", "q1", "q2", "q3", "q4"],
    extra=1,
    **MAX_ROWS,
)


class StepForm(forms.ModelForm):
    class Meta:
        model = ActionStep
        fields = ["quarter", "text", "owner", "status"]
        widgets = {"text": forms.Textarea(attrs={"rows": 1})}


def step_formset(plan, data=None):
    formset_class = inlineformset_factory(TargetPlan, ActionStep, form=StepForm, extra=2, **MAX_ROWS)
    formset = formset_class(data, instance=plan, prefix="steps")
    owners = _staff_of([plan.store])
    for form in formset.forms:
        form.fields["owner"].queryset = owners
    return formset


def plan_formsets(plan, data=None) -> dict:
    return {
        "objectives": ObjectiveFormSet(data, instance=plan, prefix="objectives"),
        "headcount": HeadcountFormSet(data, instance=plan, prefix="headcount"),
        "budget": BudgetFormSet(data, instance=plan, prefix="budget"),
        "steps": step_formset(plan, data),
    }


class LetterCreateForm(forms.Form):
    store = forms.ModelChoiceField(label=_("Store"), queryset=None)
    position = forms.ModelChoiceField(label=_("Position"), queryset=None)
    holder = forms.ModelChoiceField(label=_("Holder"), queryset=None)
    period_start = forms.DateField(
        label=_("Period from"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    period_end = forms.DateField(
        label=_("Period to"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    plan = forms.ModelChoiceField(label=_("Target plan"), queryset=None, required=False)
    near_term_tasks = forms.CharField(
        label=_("Near-term tasks"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        stores = stores_where(user, "targets.approve")
        self.fields["store"].queryset = stores
        self.fields["position"].queryset = positions_current_in(
            organisations=stores.values("organisation"),
            store_kinds=set(stores.values_list("kind", flat=True)),  # a hall's letter names no 服务顾问
        )
        self.fields["holder"].queryset = _staff_of(stores)
        self.fields["plan"].queryset = TargetPlan.objects.filter(store__in=stores).select_related(
            "department"
        )
        year = timezone.localdate().year
        self.fields["period_start"].initial = dt.date(year, 1, 1)
        self.fields["period_end"].initial = dt.date(year, 12, 31)
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period ends before it starts."))
        holder, store = data.get("holder"), data.get("store")
        if holder and store and not holder.memberships.filter(store=store, is_active=True).exists():
            self.add_error("holder", _("This person does not work in the chosen store."))
        return data


def kpi_key_choices(store=None, current: str = ""):
    """The KPIs a letter line may be bound to: those of the store kind's profile (all the catalogue's
    without a store), and the line's current key, so an older binding stays valid."""
    entries = (
        [p.entry for p in profiles.profile_for_kinds([store.kind])] if store is not None else kpis.catalogue()
    )
    choices = [(e.key, e.name) for e in entries]
    if current and current not in {k for k, _n in choices} and (entry := kpis.get_kpi(current)):
        choices.append((entry.key, entry.name))
    return [("", _("— not bound (scored by hand) —")), *choices]


class LetterKpiForm(forms.ModelForm):
    class Meta:
        model = LetterKpi
        fields = ["name", "kpi_key", "unit", "base", "stretch", "weight", "higher_is_better"]

    def __init__(self, *args, store=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kpi_key"] = forms.ChoiceField(
            label=_("Catalogue KPI"),
            choices=kpi_key_choices(store, self.instance.kpi_key if self.instance.pk else ""),
            required=False,
        )


class BaseLetterKpiFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        total = sum(
            (f.cleaned_data.get("weight") or Decimal(0))
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        )
        if total and total != Decimal(100):
            raise forms.ValidationError(
                _("The weights add up to %(total)s; they must add up to 100.") % {"total": total}
            )


LetterKpiFormSet = inlineformset_factory(
    ResponsibilityLetter, LetterKpi, form=LetterKpiForm, formset=BaseLetterKpiFormSet, extra=1, **MAX_ROWS
)


class StepStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=StepStatus.choices)


class SignForm(forms.Form):
    password = forms.CharField(label=_("Your password"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class ManualKpiForm(forms.Form):
    kpi_key = forms.ChoiceField(label=_("KPI"))
    store = forms.ModelChoiceField(label=_("Store"), queryset=None)
    month = MonthField(label=_("Month"))
    value = forms.DecimalField(label=_("Value"), max_digits=14, decimal_places=2)
    note = forms.CharField(label=_("Source / note"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        stores = stores_where(user, "targets.approve")
        self.fields["kpi_key"].choices = [
            (p.key, p.entry.name) for p in profiles.profile_for_stores(stores) if p.entry.is_manual
        ]
        self.fields["store"].queryset = stores
        self.fields["month"].initial = timezone.localdate().replace(day=1)
        self.helper = _helper()

    def clean(self):
        data = super().clean() or {}
        key, store = data.get("kpi_key"), data.get("store")
        if key and store and key not in profiles.profile_keys(store.kind):
            self.add_error("kpi_key", _("This KPI is not one of the store's kind."))
        return data


class PayAdjustForm(forms.Form):
    score = forms.DecimalField(
        label=_("Performance score"),
        max_digits=6,
        decimal_places=2,
        min_value=0,
        max_value=150,
        required=False,
    )
    incentives = forms.DecimalField(label=_("Daily incentives"), max_digits=10, decimal_places=2)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class PayComputeForm(forms.Form):
    store = forms.ModelChoiceField(label=_("Store"), queryset=None)
    month = MonthField(label=_("Month"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["store"].queryset = stores_where(user, "pay.lock")
        self.fields["month"].initial = timezone.localdate().replace(day=1)
        self.helper = _helper()


class YearBookForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("Target plan"), queryset=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = TargetPlan.objects.for_user(user).select_related("department")
        self.helper = _helper()


class PlanAttachmentForm(forms.Form):
    label = forms.CharField(
        label=_("Annex"), max_length=80, required=False, help_text=_("e.g. 附件2 人员编制计划")
    )
    file = forms.FileField(label=_("File"))

    def clean_file(self):
        from apps.customers.services import attachment_validate

        upload = self.cleaned_data["file"]
        attachment_validate(upload)
        return upload


# ---- store-kind KPI profiles (admins) ------------------------------------------------------------


class KindKpiRowForm(forms.Form):
    """One KPI of a kind's profile as the admin edits it (the KPI itself is fixed: add or archive)."""

    pk = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    target = forms.DecimalField(
        label=_("Default monthly target"), max_digits=14, decimal_places=2, min_value=0, required=False
    )
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=999)
    is_active = forms.BooleanField(label=_("Active"), required=False)


class BaseKindKpiFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        pks = [f.cleaned_data.get("pk") for f in self.forms if f.cleaned_data]
        if len(pks) != len(set(pks)):
            raise forms.ValidationError(_("A KPI appears twice."))


KindKpiFormSet = forms.formset_factory(
    KindKpiRowForm, formset=BaseKindKpiFormSet, extra=0, validate_max=True, **MAX_ROWS
)


class KindKpiAddForm(forms.Form):
    kpi_key = forms.ChoiceField(label=_("KPI"))
    target = forms.DecimalField(
        label=_("Default monthly target"), max_digits=14, decimal_places=2, min_value=0, required=False
    )

    def __init__(self, *args, taken, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["kpi_key"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(e.key, f"{e.name} ({e.key})") for e in kpis.catalogue() if e.key not in taken]
        self.helper = _helper()
