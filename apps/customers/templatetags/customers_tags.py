from django import template
from django.utils.http import urlencode

from apps.customers.phones import mask_digits, mask_id_number

register = template.Library()


@register.filter
def masked(phone) -> str:
    """A CustomerPhone (or digits) shown as 138****8000."""
    return mask_digits(getattr(phone, "digits", phone) or "")


@register.filter
def masked_id(value) -> str:
    return mask_id_number(value or "")


@register.simple_tag(takes_context=True)
def sort_url(context, field: str, param: str = "o") -> str:
    """The current URL with the list sorted by `field` (again: the other way round)."""
    request = context["request"]
    params = request.GET.copy()
    current = params.get(param, "")
    params[param] = f"-{field}" if current == field else field
    params.pop("page", None)
    return "?" + urlencode(params, doseq=True)


@register.simple_tag(takes_context=True)
def sort_icon(context, field: str, param: str = "o") -> str:
    current = context["request"].GET.get(param, "")
    if current == field:
        return "bi-sort-up"
    if current == f"-{field}":
        return "bi-sort-down"
    return "bi-arrow-down-up text-muted"


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params[key] = value
    return urlencode(params, doseq=True)
