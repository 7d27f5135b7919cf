from __future__ import annotations

from decimal import Decimal

from crispy_forms.helper import FormHelper
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from apps.org.models import RoleTier, User
from apps.org.passwords import PASSWORD_REFUSED

from .models import MovementKind


class HandoverStartForm(forms.Form):
    counter = forms.ModelChoiceField(label=_("Counter"), queryset=None)
    incoming = forms.ModelChoiceField(label=_("Incoming clerk"), queryset=None)

    def __init__(self, *args, counters, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counter"].queryset = counters
        self.fields["incoming"].queryset = people
        self.fields["counter"].label_from_instance = lambda c: f"{c.store} · {c.name}"
        self.helper = FormHelper()
        self.helper.form_tag = False


class PasswordForm(forms.Form):
    password = forms.CharField(label=_("Your password"), widget=forms.PasswordInput, strip=False)


class SignForm(PasswordForm):
    notes = forms.CharField(
        label=_("Notes for the next shift"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class WitnessForm(forms.Form):
    """The witness is picked among `witnesses_for(handover)`; anyone else gets the lockout's message."""

    witness = forms.ModelChoiceField(
        label=_("Witness (监交人)"),
        queryset=User.objects.none(),
        error_messages={"invalid_choice": PASSWORD_REFUSED},
    )
    password = forms.CharField(label=_("Witness password"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args, witnesses: QuerySet[User], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["witness"].queryset = witnesses


class AmendmentForm(forms.Form):
    line = forms.ModelChoiceField(label=_("Line"), queryset=None)
    counted = forms.DecimalField(label=_("Corrected count"), min_value=0, max_digits=12, decimal_places=2)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    password = forms.CharField(label=_("Your password"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args, handover, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = handover.lines.select_related("item")
        self.fields["line"].label_from_instance = lambda ln: f"{ln.item} ({ln.counted})"
        self.helper = FormHelper()
        self.helper.form_tag = False


class BalanceForm(forms.Form):
    counter = forms.ModelChoiceField(label=_("Counter"), queryset=None)
    item = forms.ModelChoiceField(label=_("Item"), queryset=None)
    quantity = forms.DecimalField(label=_("Opening balance"), min_value=0, max_digits=12, decimal_places=2)

    def __init__(self, *args, counters, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counter"].queryset = counters
        self.fields["counter"].label_from_instance = lambda c: f"{c.store} · {c.name}"
        self.fields["item"].queryset = items
        self.helper = FormHelper()
        self.helper.form_tag = False


class MovementForm(forms.Form):
    counter = forms.ModelChoiceField(label=_("Counter"), queryset=None)
    item = forms.ModelChoiceField(label=_("Item"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=MovementKind.choices)
    quantity = forms.DecimalField(
        label=_("Quantity"), min_value=Decimal("0.01"), max_digits=12, decimal_places=2
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(self, *args, counters, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counter"].queryset = counters
        self.fields["counter"].label_from_instance = lambda c: f"{c.store} · {c.name}"
        self.fields["item"].queryset = items
        self.helper = FormHelper()
        self.helper.form_tag = False


def people_who_sign(stores) -> QuerySet[User]:
    """Clerks, managers and admins of the given stores: the people who may take over a counter."""
    return (
        User.objects.filter(
            memberships__store__in=stores,
            memberships__is_active=True,
            memberships__tier__in=[RoleTier.CLERK, RoleTier.MANAGER, RoleTier.ADMIN],
            is_active=True,
        )
        .distinct()
        .order_by("username")
    )


class _Figure(forms.DecimalField):
    """A counted figure as people type it: thousands separators are ignored (1,515 is 1515)."""

    def to_python(self, value):
        return super().to_python(
            value.replace(",", "").replace("，", "") if isinstance(value, str) else value
        )


class HandoverLineForm(forms.Form):
    """One line of a count as typed: one figure, or a quantity per denomination for cash."""

    counted = _Figure(label=_("Counted"), required=False, min_value=0, max_digits=12, decimal_places=2)
    explanation = forms.CharField(label=_("Explanation"), required=False, max_length=2000)

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.denominations = item.denomination_list()
        if self.denominations:
            del self.fields["counted"]
        for d in self.denominations:
            self.fields[f"d_{d}"] = forms.IntegerField(
                label=f"¥{d.normalize():f}", required=False, min_value=0, max_value=1_000_000
            )

    @property
    def breakdown(self) -> dict[str, int] | None:
        if not self.denominations:
            return None
        return {str(d): self.cleaned_data.get(f"d_{d}") or 0 for d in self.denominations}

    def first_error(self) -> str:
        for name, errors in self.errors.items():
            if name in self.fields and name.startswith("d_"):
                return _("%(field)s: %(error)s") % {"field": self.fields[name].label, "error": errors[0]}
            return str(errors[0])
        return ""
