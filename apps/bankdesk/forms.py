from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.org.models import User

from .models import CashBoxHandover, CounterfeitNote, TransactionReport, VoucherPacket

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CounterfeitForm(forms.ModelForm):
    class Meta:
        model = CounterfeitNote
        fields = ["found_at", "denomination", "pieces", "serials", "customer", "note"]
        widgets = {"found_at": DATETIME}


class VerifyForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("counterfeit", _("Counterfeit")), ("genuine", _("Genuine"))]
    )
    receipt_number = forms.CharField(label=_("Confiscation receipt number"), max_length=40, required=False)


class TransactionReportForm(forms.ModelForm):
    class Meta:
        model = TransactionReport
        fields = ["kind", "occurred_on", "account_name", "amount", "description"]
        widgets = {"occurred_on": DATE}


class ReportedForm(forms.Form):
    reference = forms.CharField(label=_("Report reference"), max_length=60)


class CashBoxForm(forms.ModelForm):
    class Meta:
        model = CashBoxHandover
        fields = [
            "at",
            "direction",
            "boxes",
            "seals",
            "escort_company",
            "escort_names",
            "branch_first",
            "branch_second",
            "note",
        ]
        widgets = {"at": DATETIME}

    def __init__(self, *args, staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        people = User.objects.filter(pk__in=[u.pk for u in staff])
        cast(forms.ModelChoiceField, self.fields["branch_first"]).queryset = people
        cast(forms.ModelChoiceField, self.fields["branch_second"]).queryset = people


class VoucherPacketForm(forms.ModelForm):
    class Meta:
        model = VoucherPacket
        fields = ["number", "covers_from", "covers_to", "vouchers"]
        widgets = {"covers_from": DATE, "covers_to": DATE}


class SentForm(forms.Form):
    received_by = forms.CharField(label=_("Received by (audit)"), max_length=60)


class PasswordChangeForm(forms.Form):
    teller = forms.ModelChoiceField(label=_("Teller"), queryset=User.objects.none())
    changed_on = forms.DateField(label=_("Changed on"), widget=DATE)

    def __init__(self, *args, tellers=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["teller"]).queryset = User.objects.filter(
            pk__in=[u.pk for u in tellers]
        )
