"""Every refusal of the API is JSON, with its message in the caller's language.

`{"detail": "<one sentence>"}`, and for invalid input also `"errors": {field: [messages]}`. The
language is the request's (Accept-Language, or the language the person picked in the app).
A service's `ValidationError` is a 400 like a form's.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler


def _messages(error: DjangoValidationError) -> dict | list:
    if hasattr(error, "error_dict"):
        return {
            field: [str(m) for e in errors for m in e.messages] for field, errors in error.error_dict.items()
        }
    return [str(m) for m in error.messages]


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_messages(exc))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a bug: Django's 500, reported as any other
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        errors = detail if isinstance(detail, dict) else {"non_field_errors": detail}
        flat = [
            str(m)
            for messages in errors.values()
            for m in (messages if isinstance(messages, list) else [messages])
        ]
        response.data = {
            "detail": flat[0] if len(flat) == 1 else _("The request has errors."),
            "errors": errors,
        }
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"detail": str(response.data["detail"])}
    return response


def not_found(request, *args, **kwargs):
    """Any other address under /api/: a JSON 404, not the HTML page."""
    return JsonResponse({"detail": str(exceptions.NotFound.default_detail)}, status=status.HTTP_404_NOT_FOUND)


__all__ = ["Http404", "exception_handler", "not_found"]
