from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.org.models import User

from .models import ActionStatus


class ReportForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary of the week"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Complaints and how they were answered, what went well, what did not."),
    )
    plans = forms.CharField(
        label=_("Plans for next week"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ActionForm(forms.Form):
    """A corrective action agreed at the station's monthly quality meeting."""

    title = forms.CharField(label=_("Action"), max_length=200)
    cause = forms.CharField(
        label=_("What it corrects"), max_length=200, required=False, help_text=_("e.g. a late reason")
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none())
    due_on = forms.DateField(label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["owner"]).queryset = owners


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    outcome = forms.CharField(
        label=_("Outcome"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 1})
    )
