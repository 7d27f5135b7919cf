from typing import cast

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.org.models import Store, User
from apps.uploads import archive_check

from .id_numbers import id_number_normalise, validate_id_number
from .models import Asset, Customer, CustomerPhone
from .phones import mask_digits, mask_id_number, phone_normalise
from .services import ASSET_FIELDS, CUSTOMER_FIELDS, VEHICLE_ASSET_FIELDS, attachment_validate


class CustomerForm(forms.ModelForm):
    store = forms.ModelChoiceField(label=_("Store"), queryset=Store.objects.none())

    class Meta:
        model = Customer
        fields = ["store", *CUSTOMER_FIELDS]
        widgets = {"wishes": forms.Textarea(attrs={"rows": 2}), "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, stores=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["store"].queryset = stores if stores is not None else Store.objects.none()
        # The form shows the ID number masked, like the customer's page; only the logged "Show in
        # full" shows it whole. Sent back unchanged, the stored number stays.
        self.stored_id_number = self.instance.id_number if self.instance.pk else ""
        if self.stored_id_number:
            self.initial["id_number"] = mask_id_number(self.stored_id_number)
        if self.instance.pk:
            del self.fields["store"]
            store_ids = [self.instance.store_id]
        else:
            store_ids = list(self.fields["store"].queryset.values_list("pk", flat=True))
        self.fields["owner"].queryset = User.objects.filter(
            memberships__store_id__in=store_ids, memberships__is_active=True, is_active=True
        ).distinct()
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_id_number(self):
        value = id_number_normalise(self.cleaned_data["id_number"])
        if self.stored_id_number and value == mask_id_number(self.stored_id_number):
            try:
                validate_id_number(self.stored_id_number)
            except ValidationError:
                # Saved before ID numbers were checked: say so without showing the whole number.
                raise ValidationError(
                    _("The saved ID number is not a valid resident ID number; type it again in full.")
                ) from None
            return self.stored_id_number
        if "*" in value:
            raise ValidationError(_("Type the full ID number, or leave the masked one as it is."))
        return value

    def clean(self):
        data = super().clean()
        if data.get("kind") == Customer.Kind.COMPANY and not data.get("contact_person"):
            self.add_error("contact_person", _("A company needs a contact person."))
        return data


class PhoneForm(forms.Form):
    number = forms.CharField(label=_("Phone"), max_length=30, required=False)
    label = forms.CharField(label=_("Label"), max_length=20, required=False)

    def __init__(self, *args, stored: CustomerPhone | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stored = stored  # the saved phone this row shows (masked), if any

    def clean_number(self):
        value = self.cleaned_data["number"].strip()
        if self.stored is not None and value == mask_digits(self.stored.digits):
            return self.stored.number
        if value:
            phone_normalise(value)
        return value


class BasePhoneFormSet(forms.BaseFormSet):
    """The phone rows; `stored` are the saved phones the first rows show masked (see `phones_for_edit`)."""

    def __init__(self, *args, stored: list[CustomerPhone] | None = None, **kwargs):
        self.stored = list(stored or [])
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        kwargs["stored"] = self.stored[index] if index is not None and index < len(self.stored) else None
        return kwargs

    def clean(self):
        if any(self.errors):
            return
        numbers = [f.cleaned_data.get("number") for f in self.forms if f.cleaned_data.get("number")]
        if not numbers:
            raise ValidationError(_("Enter at least one phone number."))

    def pairs(self) -> list[tuple[str, str]]:
        return [
            (f.cleaned_data["number"], f.cleaned_data.get("label", ""))
            for f in self.forms
            if f.cleaned_data.get("number")
        ]


# absolute_max: a posted TOTAL_FORMS beyond it is refused, not rendered as a thousand rows.
PhoneFormSet = forms.formset_factory(PhoneForm, formset=BasePhoneFormSet, extra=2, max_num=6, absolute_max=6)


def phones_for_edit(customer: Customer) -> tuple[list[CustomerPhone], list[dict]]:
    """The saved phones and the rows that show them masked (the same masking as the customer's page):
    the edit form never holds a full number; a row sent back unchanged keeps its saved number."""
    stored = list(CustomerPhone.objects.filter(customer=customer).order_by("-is_primary", "pk"))
    return stored, [{"number": mask_digits(p.digits), "label": p.label} for p in stored]


class AssetForm(forms.ModelForm):
    class Meta:
        model = Asset
        fields = list(ASSET_FIELDS)
        widgets = {
            "delivery_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "last_service_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "warranty_ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "configuration": forms.Textarea(attrs={"rows": 2}),
            "acceptance_record": forms.Textarea(attrs={"rows": 2}),
            "packing_list": forms.Textarea(attrs={"rows": 2}),
            "major_parts": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, store: Store, **kwargs):
        super().__init__(*args, **kwargs)
        self.keeps_vehicles = store.keeps_vehicles
        if not self.keeps_vehicles:
            # Away from service stations an asset is a product: no vehicle field is shown, and a
            # posted one is not read (a posted "vehicle" kind is not one of the choices).
            for name in VEHICLE_ASSET_FIELDS:
                self.fields.pop(name, None)
            cast(forms.ChoiceField, self.fields["kind"]).choices = [
                (Asset.Kind.PRODUCT, Asset.Kind.PRODUCT.label)
            ]
            self.fields["kind"].initial = Asset.Kind.PRODUCT
            if not self.is_bound:
                self.initial["kind"] = Asset.Kind.PRODUCT
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        data = super().clean()
        if data.get("kind") == Asset.Kind.VEHICLE and not (data.get("plate") or data.get("vin")):
            self.add_error("plate", _("A vehicle needs a plate or a VIN."))
        vin = (data.get("vin") or "").replace(" ", "")
        if vin and len(vin) != 17:
            self.add_error("vin", _("A VIN has 17 characters."))
        if data.get("warranty_months") and not data.get("delivery_date") and not data.get("warranty_ends_on"):
            self.add_error("delivery_date", _("The warranty counts from the delivery date: give it."))
        return data


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("Visit date"), widget=forms.DateInput(attrs={"type": "date"}))
    visited_time = forms.TimeField(
        label=_("Visit time"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("The customer file is due 48 hours after the visit (empty: now, or closing time)."),
    )
    asset = forms.ModelChoiceField(
        label=_("Vehicle or product"), queryset=Asset.objects.none(), required=False
    )
    work_done = forms.CharField(
        label=_("Work done"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    mileage_km = forms.IntegerField(label=_("Mileage (km)"), min_value=0, max_value=9_999_999, required=False)
    staff = forms.ModelChoiceField(label=_("Staff"), queryset=User.objects.none(), required=False)
    attachment = forms.FileField(label=_("Attachment"), required=False)

    def __init__(self, *args, customer: Customer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["asset"].queryset = customer.assets.all()
        if not customer.store.keeps_vehicles:
            del self.fields["mileage_km"]
            cast(forms.ModelChoiceField, self.fields["asset"]).queryset = customer.assets.exclude(
                kind=Asset.Kind.VEHICLE
            )
            self.fields["asset"].label = _("Product")
        self.fields["staff"].queryset = User.objects.filter(
            memberships__store=customer.store, memberships__is_active=True
        ).distinct()
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            attachment_validate(upload)
        return upload


class VisitItemForm(forms.Form):
    description = forms.CharField(label=_("Item"), max_length=200, required=False)
    amount = forms.DecimalField(
        label=_("Amount"), max_digits=12, decimal_places=2, required=False, min_value=0
    )


VisitItemFormSet = forms.formset_factory(VisitItemForm, extra=4, max_num=30, absolute_max=30)


class RevealPhoneForm(forms.Form):
    """Which of the customer's numbers to show in full."""

    phone = forms.ModelChoiceField(queryset=CustomerPhone.objects.none())

    def __init__(self, *args, customer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].queryset = customer.phones.all()


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}))


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        attachment_validate(upload)
        return upload


class ImportForm(forms.Form):
    store = forms.ModelChoiceField(label=_("Store"), queryset=Store.objects.none())
    file = forms.FileField(label=_("Excel file (.xlsx)"))
    commit = forms.BooleanField(label=_("Import now (otherwise a dry run only)"), required=False)

    def __init__(self, *args, stores=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["store"].queryset = stores if stores is not None else Store.objects.none()
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError(_("Upload an .xlsx file (use the template)."))
        if upload.size > 10 * 1024 * 1024:
            raise ValidationError(_("The file is too large (at most 10 MB)."))
        archive_check(upload)
        return upload


class AnonymiseForm(forms.Form):
    confirm_name = forms.CharField(label=_("Type the customer's name to confirm"), max_length=120)

    def __init__(self, *args, customer: Customer, **kwargs):
        super().__init__(*args, **kwargs)
        self.customer = customer

    def clean_confirm_name(self):
        value = self.cleaned_data["confirm_name"].strip()
        if value != self.customer.name:
            raise ValidationError(_("The name does not match."))
        return value
