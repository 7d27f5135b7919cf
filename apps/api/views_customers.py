"""/api/customers/: customer files with phones and ID numbers masked, as on the pages; the logged
reveal; a new file and changes to one, with the page's form rules."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.customers import services
from apps.customers.selectors import (
    Customer,
    customer_filter,
    customer_form,
    customer_get_for,
    customer_list_for,
    customer_phone_get,
    customer_phones_masked,
    id_number_masked,
    may_view_pii,
)
from apps.org.access import require

from . import serializers as s
from .checks import body, form_errors
from .filtering import filter_parameters, filtered
from .pagination import NewestFirst
from .viewsets import ApiViewSet

TAG = "customers"
FORM_FIELDS = (
    "kind",
    "name",
    "contact_person",
    "id_number",
    "address",
    "tier",
    "contact_consent",
    "preferred_channel",
    "owner",
    "wishes",
    "notes",
)


def _filterset_for_schema():
    return customer_filter(None, queryset=None, user=None, stores=None)


def _phone_rows(phones: list[dict], *, stored: int = 0) -> dict:
    """The phone rows as the page's formset posts them (`stored`: how many saved phones it shows)."""
    data = {
        "phones-TOTAL_FORMS": str(len(phones)),
        "phones-INITIAL_FORMS": str(min(stored, len(phones))),
        "phones-MIN_NUM_FORMS": "0",
        "phones-MAX_NUM_FORMS": "6",
    }
    for i, phone in enumerate(phones):
        data[f"phones-{i}-number"] = phone["number"]
        data[f"phones-{i}-label"] = phone.get("label", "")
    return data


def _form_data(data: dict) -> dict:
    return {k: v for k, v in data.items() if k in FORM_FIELDS or k == "store"}


def _check(form, phones) -> dict:
    form_ok, phones_ok = form.is_valid(), phones.is_valid()
    if not (form_ok and phones_ok):
        errors = form_errors(form)
        for i, row in enumerate(phones.forms):
            for field, messages in row.errors.items():
                errors.setdefault(f"phones[{i}].{field}", []).extend(str(m) for m in messages)
        for message in phones.non_form_errors():
            errors.setdefault("phones", []).append(str(message))
        raise exceptions.ValidationError(errors)
    return dict(form.cleaned_data)


@extend_schema_view(
    list=extend_schema(
        tags=[TAG],
        summary=_("Customer files you may see"),
        description=_(
            "The customer list of the page, with its filters; phones and ID numbers masked. Newest "
            "first, a cursor to page on."
        ),
        parameters=filter_parameters(_filterset_for_schema),
    ),
    retrieve=extend_schema(tags=[TAG], summary=_("One customer file (phones and ID number masked)")),
)
class CustomerViewSet(ApiViewSet):
    model = Customer
    perms = {
        "list": "customers.view",
        "retrieve": "customers.view",
        "create": "customers.edit",
        "partial_update": "customers.edit",
        "reveal": "customers.view_pii",
    }
    pagination_class = NewestFirst
    serializer_class = s.CustomerSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def list(self, request):
        filterset = filtered(request, customer_filter, queryset=customer_list_for(user=request.user))
        page = self.paginate_queryset(filterset.qs)
        return self.get_paginated_response(s.CustomerSerializer(page, many=True).data)

    def _customer(self, request, pk, perm: str = "customers.view"):
        customer = customer_get_for(user=request.user, pk=pk)
        require(request.user, perm, customer.store)
        return customer

    def retrieve(self, request, pk=None):
        return Response(s.CustomerSerializer(self._customer(request, pk)).data)

    @extend_schema(
        tags=[TAG],
        summary=_("Create a customer file"),
        description=_(
            "In a store where you may edit customers; at least one phone; a company needs a contact person."
        ),
        request=s.CustomerWriteSerializer,
        responses={201: s.CustomerSerializer},
    )
    def create(self, request):
        data = body(s.CustomerWriteSerializer, request)
        if "store" not in data:
            raise exceptions.ValidationError({"store": [_("This field is required.")]})
        form, phones = customer_form(_form_data(data), user=request.user, phones=_phone_rows(data["phones"]))
        cleaned = _check(form, phones)
        store = cleaned.pop("store")
        customer = services.customer_create(store=store, by=request.user, phones=phones.pairs(), **cleaned)
        return Response(
            s.CustomerSerializer(customer_get_for(user=request.user, pk=customer.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        tags=[TAG],
        summary=_("Change a customer file"),
        description=_(
            "Send only what changes. Phones, when sent, replace the saved ones: send a saved phone "
            "back as shown (masked) to keep it; likewise the masked ID number."
        ),
        request=s.CustomerWriteSerializer(partial=True),
        responses={200: s.CustomerSerializer},
    )
    def partial_update(self, request, pk=None):
        customer = self._customer(request, pk, "customers.edit")
        data = body(s.CustomerWriteSerializer, request, partial=True)
        if "phones" in data:  # whole rows, even in a partial change
            data["phones"] = body(s.PhoneListSerializer, request)["phones"]
        data.pop("store", None)  # a file does not move between stores
        current = {name: getattr(customer, name) for name in FORM_FIELDS}
        current["owner"] = customer.owner_id
        current["id_number"] = id_number_masked(customer=customer)
        saved = customer_phones_masked(customer=customer)
        phones = data.pop("phones", None)
        if phones is None:
            phones = [{"number": p["number"], "label": p["label"]} for p in saved]
        form, phone_rows = customer_form(
            _form_data(current | data),
            user=request.user,
            customer=customer,
            phones=_phone_rows(phones, stored=len(saved)),
        )
        cleaned = _check(form, phone_rows)
        services.customer_update(customer=customer, by=request.user, phones=phone_rows.pairs(), **cleaned)
        return Response(s.CustomerSerializer(customer_get_for(user=request.user, pk=customer.pk)).data)

    @extend_schema(
        tags=[TAG],
        summary=_("Show a phone or the ID number in full (logged)"),
        description=_(
            "Like “Show in full” on the customer's page: only for roles that may see personal data; "
            "every call is written to the personal-data access log."
        ),
        request=s.RevealSerializer,
        responses={200: s.RevealedSerializer},
    )
    @action(detail=True, methods=["post"])
    def reveal(self, request, pk=None):
        customer = customer_get_for(user=request.user, pk=pk)
        if not may_view_pii(request.user, customer):
            raise exceptions.PermissionDenied
        data = body(s.RevealSerializer, request)
        phone = None
        if data["field"] == "phone" and data.get("phone"):
            phone = customer_phone_get(customer=customer, pk=data["phone"])
        value = services.customer_reveal_pii(
            user=request.user, customer=customer, field=data["field"], phone=phone
        )
        return Response({"value": value})
