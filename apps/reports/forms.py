from django import forms
from django.utils.translation import gettext_lazy as _


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
