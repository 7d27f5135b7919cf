"""A page's list filters (its django-filter FilterSet) on the API's query string.

The same filters as the page, over the rows the user may see; a value the page's filter refuses is
a 400 (the page would ignore it). Paging is the cursor's, so the page's own sort (`o`) and page
number are not taken. The schema's query parameters are read from the same FilterSet.
"""

from __future__ import annotations

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions

from apps.org.access import stores_for

from .checks import form_errors

NOT_FILTERS = {"cursor", "page_size", "o", "page", "format", "lang"}


def filtered(request, factory, *, queryset):
    data = request.query_params.copy()
    for name in NOT_FILTERS:
        data.pop(name, None)
    filterset = factory(data, queryset=queryset, user=request.user, stores=stores_for(request.user))
    if not filterset.is_valid():
        raise exceptions.ValidationError(form_errors(filterset.form))
    return filterset


def filter_parameters(factory) -> list[OpenApiParameter]:
    """The FilterSet's filters as OpenAPI query parameters (choices as enums)."""
    filterset = factory()
    params = []
    for name, flt in filterset.filters.items():
        if name in NOT_FILTERS:
            continue
        kind, enum = OpenApiTypes.STR, None
        if isinstance(flt, django_filters.ChoiceFilter):
            enum = [str(value) for value, _label in flt.extra.get("choices", [])]
        elif isinstance(flt, django_filters.ModelChoiceFilter | django_filters.NumberFilter):
            kind = OpenApiTypes.INT
        elif isinstance(flt, django_filters.BooleanFilter):
            kind = OpenApiTypes.BOOL
        params.append(
            OpenApiParameter(
                name, kind, OpenApiParameter.QUERY, required=False, enum=enum, description=flt.label or ""
            )
        )
    return params
