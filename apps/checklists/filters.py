import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.org.models import Store, User
from apps.roles.selectors import positions_active_in

from .models import ChecklistRun, RunState

DATE = forms.DateInput(attrs={"type": "date"})


class BoardFilter(django_filters.FilterSet):
    store = django_filters.ModelChoiceFilter(label=_("Store"), queryset=Store.objects.none())
    date_from = django_filters.DateFilter(label=_("From"), field_name="date", lookup_expr="gte", widget=DATE)
    date_to = django_filters.DateFilter(label=_("To"), field_name="date", lookup_expr="lte", widget=DATE)
    position = django_filters.ModelChoiceFilter(
        label=_("Position"),
        field_name="template__position",
        queryset=positions_active_in(organisation_ids=[]),
    )
    person = django_filters.ModelChoiceFilter(
        label=_("Person"), field_name="assignee", queryset=User.objects.none()
    )
    state = django_filters.ChoiceFilter(label=_("State"), choices=RunState.choices)

    class Meta:
        model = ChecklistRun
        fields = ["store", "date_from", "date_to", "position", "person", "state"]

    def __init__(self, *args, stores, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["store"].queryset = stores
        # The positions of the kinds of store on the board (a hall's board lists no 服务顾问).
        self.filters["position"].queryset = positions_active_in(
            organisation_ids=stores.values("organisation_id")
        ).filter(Q(store_kind__in=stores.values("kind")) | Q(store_kind=""))
        self.filters["person"].queryset = (
            User.objects.filter(memberships__store__in=stores, memberships__is_active=True)
            .distinct()
            .order_by("username")
        )
