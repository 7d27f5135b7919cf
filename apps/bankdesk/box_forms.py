"""Forms of the tail boxes and the branch ledger: a count as typed (cash by denomination), the two
signatures of the seal, a transfer and a limit. On a refusal each form is shown again with what was
typed."""

from __future__ import annotations

from decimal import Decimal
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.handovers.selectors import stock_items_for

from .models import Channel, Flow, TailBox, TailBoxLine

MAX_ID = 2**31 - 1


class _Figure(forms.DecimalField):
    """A counted figure as people type it: thousands separators are ignored (1,515 is 1515)."""

    def to_python(self, value):
        return super().to_python(
            value.replace(",", "").replace("，", "") if isinstance(value, str) else value
        )


class TailBoxCountForm(forms.Form):
    """Every line of a box: pieces per denomination for cash, one figure otherwise, and the
    explanation of a difference. Field names carry the line id: d_<line>_<denomination>,
    c_<line>, e_<line>."""

    def __init__(self, *args, lines: list[TailBoxLine], **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        self.rows = []
        for line in lines:
            denominations = line.item.denomination_list()
            names = []
            if denominations:
                for d in denominations:
                    name = f"d_{line.pk}_{d}"
                    self.fields[name] = forms.IntegerField(
                        label=f"¥{d.normalize():f}",
                        required=False,
                        min_value=0,
                        max_value=10_000_000,
                        initial=line.breakdown.get(str(d)),
                    )
                    names.append(name)
            else:
                name = f"c_{line.pk}"
                self.fields[name] = _Figure(
                    label=line.item.name,
                    required=False,
                    min_value=0,
                    max_digits=14,
                    decimal_places=2,
                    initial=line.counted,
                )
                names.append(name)
            self.fields[f"e_{line.pk}"] = forms.CharField(
                label=_("Explanation"), required=False, max_length=500, initial=line.explanation
            )
            self.rows.append((line, [self[n] for n in names], self[f"e_{line.pk}"]))

    def counts(self) -> dict[int, dict]:
        data = self.cleaned_data
        out = {}
        for line in self.lines:
            denominations = line.item.denomination_list()
            entry: dict = {"explanation": data.get(f"e_{line.pk}", "")}
            if denominations:
                entry["breakdown"] = {str(d): data.get(f"d_{line.pk}_{d}") for d in denominations}
            else:
                entry["counted"] = data.get(f"c_{line.pk}")
            out[line.pk] = entry
        return out


class TailBoxSignForm(forms.Form):
    seal_number = forms.CharField(label=_("Seal number"), max_length=40)
    password = forms.CharField(label=_("Your password"), widget=forms.PasswordInput, strip=False)


class TailBoxSealForm(forms.Form):
    """The second person is picked from the branch's staff; the service checks who it is."""

    second = forms.IntegerField(label=_("Second person"), min_value=1, max_value=MAX_ID)
    password = forms.CharField(label=_("Second person's password"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["second"].widget = forms.Select(
            choices=[("", "---------")] + [(u.pk, str(u)) for u in people]
        )


class _BoxField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number} · {obj.teller}"


class TransferForm(forms.Form):
    box = _BoxField(label=_("Tail box"), queryset=TailBox.objects.none())
    item = forms.ModelChoiceField(label=_("Item"), queryset=stock_items_for(store=None))
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    flow = forms.ChoiceField(label=_("In or out"), choices=Flow.choices)
    quantity = _Figure(label=_("Quantity"), min_value=Decimal("0.01"), max_digits=14, decimal_places=2)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(self, *args, boxes, items, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["box"]).queryset = boxes
        cast(forms.ModelChoiceField, self.fields["item"]).queryset = items


class LimitForm(forms.Form):
    item = forms.ModelChoiceField(label=_("Item"), queryset=stock_items_for(store=None))
    limit = _Figure(label=_("Limit (库存限额)"), min_value=0, max_digits=14, decimal_places=2)

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["item"]).queryset = items
