from typing import cast

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from apps.customers.selectors import assets_of
from apps.org.models import User

from .models import Confirmation, Ticket
from .selectors import ticket_kind_choices

DT = {"type": "datetime-local"}


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class TicketForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Ticket.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    asset = forms.ModelChoiceField(label=_("Vehicle or product"), queryset=None, required=False)
    priority = forms.ChoiceField(
        label=_("Priority"), choices=Ticket.Priority.choices, initial=Ticket.Priority.NORMAL
    )
    assignee = forms.ModelChoiceField(label=_("Assignee"), queryset=User.objects.none(), required=False)
    promised_at = forms.DateTimeField(
        label=_("Promised delivery time (约定交车时间)"), widget=DateTimeLocalInput(), required=False
    )
    is_major_repair = forms.BooleanField(label=_("Major repair"), required=False)

    def __init__(self, *args, customer, **kwargs):
        super().__init__(*args, **kwargs)
        store = customer.store
        # Only the kinds this kind of store takes: another one posted is "not one of the choices".
        choices = ticket_kind_choices([store.kind])
        cast(forms.ChoiceField, self.fields["kind"]).choices = choices
        self.offered_kinds = [value for value, _label in choices]
        self.fields["asset"].queryset = assets_of(customer=customer)
        if not store.keeps_vehicles:
            # No vehicle vocabulary away from service stations, and nothing of it is read from a post.
            for name in ("promised_at", "is_major_repair"):
                del self.fields[name]
            products = assets_of(customer=customer).exclude(kind="vehicle")
            cast(forms.ModelChoiceField, self.fields["asset"]).queryset = products
            self.fields["asset"].label = _("Product")
        self.fields["assignee"].queryset = User.objects.filter(
            memberships__store=customer.store, memberships__is_active=True, is_active=True
        ).distinct()
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        data = super().clean()
        if data.get("kind") == Ticket.Kind.REPAIR_ORDER and not data.get("promised_at"):
            self.add_error("promised_at", _("A repair order needs the promised delivery time."))
        return data


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}))


class AnswerForm(forms.Form):
    text = forms.CharField(label=_("What the customer was told"), widget=forms.Textarea(attrs={"rows": 2}))


class SolutionForm(forms.Form):
    text = forms.CharField(label=_("Solution"), widget=forms.Textarea(attrs={"rows": 2}))


class HandOverForm(forms.Form):
    note = forms.CharField(label=_("Why it cannot be finished on the spot"), required=False)


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Assignee"), queryset=User.objects.none())

    def __init__(self, *args, ticket, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = User.objects.filter(
            memberships__store=ticket.store, memberships__is_active=True, is_active=True
        ).distinct()


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=Ticket.State.choices)
    note = forms.CharField(required=False)


class PromiseForm(forms.Form):
    promised_at = forms.DateTimeField(label=_("Promised delivery time"), widget=DateTimeLocalInput())


class AddedItemForm(forms.Form):
    description = forms.CharField(label=_("Added item"), max_length=200)
    amount = forms.DecimalField(label=_("Amount"), max_digits=12, decimal_places=2, min_value=0, initial=0)
    proposed_promised_at = forms.DateTimeField(
        label=_("Proposed new promised time"), widget=DateTimeLocalInput(), required=False
    )


class ConfirmForm(forms.Form):
    """The customer's confirmation: who, by which channel, when (a typed note alone is not one)."""

    customer_name = forms.CharField(label=_("Confirmed by (customer's name)"), max_length=120)
    contact = forms.CharField(label=_("Customer's phone or account"), max_length=60, required=False)
    channel = forms.ChoiceField(label=_("Channel"), choices=Confirmation.Channel.choices)
    confirmed_at = forms.DateTimeField(label=_("Confirmed at"), widget=DateTimeLocalInput())
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, ticket=None, **kwargs):
        super().__init__(*args, **kwargs)
        if ticket is not None and not self.is_bound:
            self.initial.setdefault("customer_name", ticket.customer.contact_person or ticket.customer.name)


class DelayForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)
    hours = forms.DecimalField(label=_("Hours"), max_digits=6, decimal_places=1, min_value=0.1)


class ReviewResolveForm(forms.Form):
    note = forms.CharField(label=_("What the review found"), widget=forms.Textarea(attrs={"rows": 2}))


class SettleForm(forms.Form):
    amount = forms.DecimalField(label=_("Settlement amount"), max_digits=12, decimal_places=2, min_value=0)
    settled_at = forms.DateTimeField(label=_("Settlement time"), widget=DateTimeLocalInput(), required=False)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"))
