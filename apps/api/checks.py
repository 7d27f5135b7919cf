"""The page's form as the API's last check of input: its errors become the 400's `errors`."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import exceptions


def form_errors(form, *, prefix: str = "") -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for field, errors in form.errors.items():
        key = "non_field_errors" if field == "__all__" else f"{prefix}{field}"
        out.setdefault(key, []).extend(str(e) for e in errors)
    return out


def require_valid(form, *, prefix: str = "") -> dict:
    """The form's cleaned data, or a 400 with its errors."""
    if not form.is_valid():
        raise exceptions.ValidationError(
            form_errors(form, prefix=prefix) or {"non_field_errors": [_("Invalid input.")]}
        )
    return form.cleaned_data


def body(serializer_class, request, **kwargs) -> dict:
    """The request body checked for its shape by `serializer_class` (a 400 otherwise)."""
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
