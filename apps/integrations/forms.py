from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from apps.notifications.events import EVENTS

from .models import EndpointKind
from .services import endpoint_problems


class _EndpointFields(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    url = forms.CharField(
        label=_("Address"),
        max_length=500,
        help_text=_(
            "A webhook: https://… of the receiving system. A group robot: wecombot://KEY or dingtalk://TOKEN."
        ),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=list(EVENTS.items()), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def kind_value(self) -> str:
        raise NotImplementedError

    def clean(self):
        data = super().clean() or {}
        kind = self.kind_value()
        if kind and "url" in data and "events" in data:
            for field, message in endpoint_problems(
                kind=kind, url=data["url"], events=data["events"]
            ).items():
                self.add_error(field if field in self.fields else None, message)
        return data


class EndpointCreateForm(_EndpointFields):
    store: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Store"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=EndpointKind.choices)

    field_order = ["store", "kind", "name", "url", "events"]

    def __init__(self, *args, stores, **kwargs):
        super().__init__(*args, **kwargs)
        store_field = self.fields["store"]
        assert isinstance(store_field, forms.ModelChoiceField)
        store_field.queryset = stores

    def kind_value(self) -> str:
        return self.cleaned_data.get("kind", "")


class EndpointEditForm(_EndpointFields):
    is_active = forms.BooleanField(label=_("Active"), required=False)

    def __init__(self, *args, kind: str, **kwargs):
        self._kind = kind
        super().__init__(*args, **kwargs)

    def kind_value(self) -> str:
        return self._kind
