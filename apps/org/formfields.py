"""Form fields every app's forms may use instead of Django's, where Django's trusts the input too far."""

from __future__ import annotations

from django import forms
from django.db import connection
from django.utils.translation import gettext_lazy as _

_INTEGER_IDS = {
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveBigIntegerField",
    "PositiveSmallIntegerField",
}


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, except that an id beyond the range of the id column is an invalid choice instead of
    a server error: SQLite cannot even compare an integer wider than 64 bits (`pk__in`)."""

    def _check_values(self, value):
        model = self.queryset.model
        key = self.to_field_name
        field = model._meta.get_field(key) if key else model._meta.pk
        if field.get_internal_type() in _INTEGER_IDS and isinstance(value, (list, tuple)):
            low, high = connection.ops.integer_field_range(field.get_internal_type())
            for pk in value:
                try:
                    number = int(str(pk).strip())
                except (TypeError, ValueError):
                    continue  # not a number at all: Django's own check says so
                if (low is not None and number < low) or (high is not None and number > high):
                    raise forms.ValidationError(
                        self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                    )
        return super()._check_values(value)


class PickerSelectMultiple(forms.SelectMultiple):
    """A multi-select that static/js/picker.js turns into a filter box over checkboxes (no Ctrl-click
    to choose several); without JavaScript it is the plain select."""

    def __init__(self, attrs=None, choices=()):
        base = {
            "size": 8,
            "data-picker": "",
            "data-picker-filter": _("Type to filter"),
            "data-picker-empty": _("Nothing matches."),
        }
        super().__init__({**base, **(attrs or {})}, choices)


def add_service_errors(form, exc) -> None:
    """Show a service's `ValidationError` on the form: each field's message on that field, and what
    names no field of the form (or no field at all) above the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)
