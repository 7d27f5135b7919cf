from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import cast

from crispy_forms.helper import FormHelper
from django import forms
from django.db.models import QuerySet
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from apps.org.formfields import ModelMultipleChoiceField
from apps.org.models import User
from apps.org.passwords import PASSWORD_REFUSED
from apps.roles.selectors import positions_active_in

from .models import ChecklistTemplate, ItemKind, TemplateItem

PHOTO_MAX_BYTES = 5 * 1024 * 1024
# An answered number fits ItemResult.value_number (12 digits, 2 of them decimals).
ANSWER_LIMIT = Decimal(10) ** 10
PHOTO_TYPES = {"jpg": b"\xff\xd8\xff", "jpeg": b"\xff\xd8\xff", "png": b"\x89PNG\r\n\x1a\n", "webp": b"RIFF"}


def validate_photo(upload) -> None:
    if upload.size > PHOTO_MAX_BYTES:
        raise forms.ValidationError(_("The photo is larger than 5 MB."))
    ext = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if ext not in PHOTO_TYPES:
        raise forms.ValidationError(_("Only JPEG, PNG or WebP photos are accepted."))
    head = upload.read(12)
    upload.seek(0)
    if not head.startswith(PHOTO_TYPES[ext]) or (ext == "webp" and head[8:12] != b"WEBP"):
        raise forms.ValidationError(_("This file is not a JPEG, PNG or WebP image."))


class ItemAnswerForm(forms.Form):
    """One item's answer; `ok`, `value_number` and `value_text` are worked out from the item's kind."""

    outcome = forms.ChoiceField(
        choices=[("ok", _("OK")), ("fail", _("Not OK"))], required=False, widget=forms.HiddenInput
    )
    value = forms.CharField(label=_("Answer"), required=False, max_length=500)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    photo = forms.FileField(label=_("Photo"), required=False, validators=[validate_photo])
    # Picked among the people who may confirm in this store; anyone else gets the lockout's message.
    confirmer = forms.ModelChoiceField(
        label=_("Second person"),
        queryset=User.objects.none(),
        required=False,
        error_messages={"invalid_choice": PASSWORD_REFUSED},
    )
    confirmer_password = forms.CharField(
        label=_("Second person's password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False),
    )

    def __init__(self, *args, item: TemplateItem, second_people: QuerySet[User] | None = None, **kwargs):
        self.item = item
        super().__init__(*args, **kwargs)
        if second_people is not None:
            self.fields["confirmer"].queryset = second_people
        if item.kind == ItemKind.CHOICE:
            self.fields["value"] = forms.ChoiceField(
                label=_("Answer"), choices=[("", "—")] + [(c, c) for c in item.choice_list()], required=False
            )

    def clean(self):
        data = super().clean()
        item = self.item
        outcome = data.get("outcome") or ""
        raw = (data.get("value") or "").strip()
        self.value_number = None
        self.value_text = ""
        if item.kind in (ItemKind.NUMBER, ItemKind.COUNT):
            if not raw:
                self.add_error("value", _("Enter a number."))
                return data
            try:
                number = Decimal(raw.replace(",", ""))
            except InvalidOperation:
                self.add_error("value", _("Enter a number."))
                return data
            if not number.is_finite() or abs(number) >= ANSWER_LIMIT:
                self.add_error("value", _("Enter a number of at most 10 digits."))
                return data
            if item.kind == ItemKind.COUNT and number != number.to_integral_value():
                self.add_error("value", _("A count is a whole number."))
                return data
            self.value_number = number
            if item.kind == ItemKind.NUMBER:
                ok = (item.min_value is None or number >= item.min_value) and (
                    item.max_value is None or number <= item.max_value
                )
            else:
                ok = number == item.expected_count
            self.ok = ok and outcome != "fail"
        elif item.kind == ItemKind.CHOICE:
            if not raw:
                self.add_error("value", _("Choose an answer."))
                return data
            self.value_text = raw
            self.ok = raw not in item.fail_choice_list() and outcome != "fail"
        elif item.kind == ItemKind.TEXT:
            if not raw and outcome != "fail":
                self.add_error("value", _("Write the answer."))
                return data
            self.value_text = raw
            self.ok = outcome != "fail"
        else:  # tick, photo, second person: the button says OK or not OK
            if outcome not in ("ok", "fail"):
                self.add_error(None, _("Choose OK or not OK."))
                return data
            self.ok = outcome == "ok"
            if item.kind == ItemKind.SECOND_PERSON and self.ok and "confirmer" not in self.errors:
                if not data.get("confirmer"):
                    self.add_error("confirmer", _("Choose the second person."))
                elif not data.get("confirmer_password"):
                    self.add_error("confirmer_password", _("The second person enters their password."))
        if not self.ok and not (data.get("note") or "").strip():
            self.add_error("note", _("A failed item needs a note saying what is wrong."))
        return data


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("How it was resolved"), widget=forms.Textarea(attrs={"rows": 2}))


WEEKDAYS = [
    ("1", "周一"),
    ("2", "周二"),
    ("3", "周三"),
    ("4", "周四"),
    ("5", "周五"),
    ("6", "周六"),
    ("7", "周日"),
]


class TemplateForm(forms.ModelForm):
    weekday_set = forms.MultipleChoiceField(
        label=_("Weekdays"),
        choices=WEEKDAYS,
        widget=forms.CheckboxSelectMultiple,
        initial=[d for d, _l in WEEKDAYS],
    )

    class Meta:
        model = ChecklistTemplate
        fields = ["name", "position", "phase", "stores", "month_day", "shift", "due_time", "is_active"]
        widgets = {
            "due_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "stores": forms.CheckboxSelectMultiple,
        }
        field_classes = {"stores": ModelMultipleChoiceField}

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["position"].queryset = positions_active_in(organisation_ids=[organisation.pk])
        self.fields["stores"].queryset = organisation.stores.filter(is_active=True)
        if self.instance.pk:
            self.fields["weekday_set"].initial = list(self.instance.weekdays)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        data = super().clean() or {}
        position, stores = data.get("position"), data.get("stores")
        if position is not None and position.store_kind and stores:
            # A position's duties speak its kind of store: a hall clerk's checklist is not a station's.
            others = [s.name for s in stores if s.kind != position.store_kind]
            if others:
                self.add_error(
                    "stores",
                    _("%(position)s is a position of another kind of store than %(stores)s.")
                    % {"position": position.title, "stores": "、".join(others)},
                )
        return data

    def clean_name(self):
        name = self.cleaned_data["name"]
        clash = ChecklistTemplate.objects.filter(organisation=self.organisation, name=name).exclude(
            pk=self.instance.pk
        )
        if clash.exists():
            raise forms.ValidationError(_("Another template has this name."))
        return name

    def save(self, commit=True):
        self.instance.organisation = self.organisation
        self.instance.weekdays = "".join(sorted(self.cleaned_data["weekday_set"]))
        return super().save(commit)


class GenerateTemplatesForm(forms.Form):
    """Pick a position of the organisation to make its checklist templates from its duties."""

    position = forms.ModelChoiceField(label=_("Position"), queryset=positions_active_in(organisation_ids=[]))

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        positions = positions_active_in(organisation_ids=[organisation.pk]).order_by("title")
        cast(forms.ModelChoiceField, self.fields["position"]).queryset = positions


ItemFormSet = inlineformset_factory(
    ChecklistTemplate,
    TemplateItem,
    fields=[
        "order",
        "text",
        "kind",
        "required",
        "min_value",
        "max_value",
        "expected_count",
        "choices",
        "fail_choices",
        "on_fail",
        "is_active",
    ],
    extra=1,  # more rows come from the page's "add an item" button (formset's empty_form)
    can_delete=False,
    # A posted TOTAL_FORMS beyond this is refused, not rendered as thousands of rows.
    max_num=200,
    absolute_max=200,
    widgets={"text": forms.TextInput(attrs={"data-testid": "item-text", "data-formset-focus": ""})},
)


class ClosingReportForm(forms.Form):
    """Which store and day the 日清日结 report prints (from the address: anything may be typed there)."""

    store = forms.IntegerField(label=_("Store"), min_value=1, max_value=2**63 - 1)
    date = forms.DateField(label=_("Date"), required=False)
