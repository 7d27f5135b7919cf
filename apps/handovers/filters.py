import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.org.models import Store, User

from .models import Handover, HandoverState

DATE = forms.DateInput(attrs={"type": "date"})


class HandoverFilter(django_filters.FilterSet):
    store = django_filters.ModelChoiceFilter(label=_("Store"), queryset=Store.objects.none())
    state = django_filters.ChoiceFilter(label=_("State"), choices=HandoverState.choices)
    person = django_filters.ModelChoiceFilter(
        label=_("Person"), method="by_person", queryset=User.objects.none()
    )
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="business_date", lookup_expr="gte", widget=DATE
    )
    date_to = django_filters.DateFilter(
        label=_("To"), field_name="business_date", lookup_expr="lte", widget=DATE
    )

    class Meta:
        model = Handover
        fields = ["store", "state", "person", "date_from", "date_to"]

    def __init__(self, *args, stores, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["store"].queryset = stores
        self.filters["person"].queryset = (
            User.objects.filter(memberships__store__in=stores, memberships__is_active=True)
            .distinct()
            .order_by("username")
        )

    def by_person(self, queryset, name, value):
        return queryset.filter(Q(outgoing=value) | Q(incoming=value) | Q(witness=value))
