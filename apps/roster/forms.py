"""Forms of the roster pages; the rules live in services."""

from __future__ import annotations

import datetime as dt
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.org.models import OpenDays, User

from .models import RequestKind, ShiftType


class ShiftTypeForm(forms.ModelForm):
    class Meta:
        model = ShiftType
        fields = ["name", "code", "starts_at", "ends_at", "position", "is_active"]
        widgets = {
            "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "ends_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=RequestKind.choices)
    date = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave only; empty for one day."),
    )
    swap_with = forms.ModelChoiceField(
        label=_("Swap with"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Swap only: the colleague who takes your shift (and gives you theirs)."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args, colleagues=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["swap_with"]).queryset = User.objects.filter(
            pk__in=[u.pk for u in colleagues]
        )


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Comment"), max_length=200, required=False)


class HoursForm(forms.Form):
    opens_at = forms.TimeField(
        label=_("Opens at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    closes_at = forms.TimeField(
        label=_("Closes at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    open_days = forms.ChoiceField(label=_("Open on"), choices=OpenDays.choices, required=False)


class WeekForm(forms.Form):
    """One select per person and day: `c-<user id>-<YYYYMMDD>` -> shift type id, or empty (rest)."""

    def __init__(self, *args, grid, **kwargs):
        super().__init__(*args, **kwargs)
        self.grid = grid
        choices = [("", "—")] + [(str(t.pk), f"{t.code} {t.name}") for t in grid.shift_types]
        for row in grid.rows:
            for cell in row.cells:
                name = cell_name(row.user.pk, cell.date)
                self.fields[name] = forms.TypedChoiceField(
                    choices=choices + _inactive_choice(cell),
                    required=False,
                    coerce=int,
                    empty_value=None,
                    label=f"{row.user} {cell.date:%m-%d}",
                    widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
                )
                self.initial[name] = str(cell.shift.shift_type_id) if cell.shift else ""
                cell.bound = self[name]

    def cells(self) -> dict[tuple[int, dt.date], int | None]:
        out = {}
        for row in self.grid.rows:
            for cell in row.cells:
                name = cell_name(row.user.pk, cell.date)
                if name in self.changed_data:
                    out[(row.user.pk, cell.date)] = self.cleaned_data[name]
        return out


def _inactive_choice(cell) -> list[tuple[str, str]]:
    """A cell keeps a shift type that was switched off since, so saving the week does not drop it."""
    if cell.shift and not cell.shift.shift_type.is_active:
        t = cell.shift.shift_type
        return [(str(t.pk), f"{t.code} {t.name}")]
    return []


def cell_name(user_id: int, day: dt.date) -> str:
    return f"c-{user_id}-{day:%Y%m%d}"


class HolidayDutyForm(forms.Form):
    def __init__(self, *args, days, staff, current, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [(str(u.pk), str(u)) for u in staff]
        self.days = days
        for day in days:
            name = f"d-{day.date:%Y%m%d}"
            self.fields[name] = forms.TypedChoiceField(
                choices=choices,
                required=False,
                coerce=int,
                empty_value=None,
                label=f"{day.date:%Y-%m-%d} {day.name}",
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            self.initial[name] = str(current.get(day.date) or "")
            day.bound = self[name]

    def duty(self) -> dict[dt.date, int | None]:
        return {
            day.date: self.cleaned_data[f"d-{day.date:%Y%m%d}"]
            for day in self.days
            if f"d-{day.date:%Y%m%d}" in self.changed_data
        }
