import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from apps.org.access import sees_vehicles
from apps.org.models import Store
from apps.org.sort_labels import DATE, PLAIN, TEXT, sort_labels

from .models import Customer, Visit
from .selectors import customer_search


class CustomerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name, phone, plate, VIN or serial"), method="search", help_text="")
    tier = django_filters.ChoiceFilter(label=_("Tier"), choices=Customer.Tier.choices)
    late = django_filters.BooleanFilter(
        label=_("Late file (two-day rule)"), method="with_late_file", widget=forms.CheckboxInput
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Customer.Kind.choices)
    store = django_filters.ModelChoiceFilter(label=_("Store"), queryset=Store.objects.none())
    mine = django_filters.BooleanFilter(
        label=_("My files only"),
        method="only_mine",
        widget=forms.Select(choices=[("", _("All")), ("true", _("Yes"))]),
    )
    o = django_filters.OrderingFilter(
        label=_("Sort"),
        fields=(("name", "name"), ("tier", "tier"), ("created_at", "created"), ("owner__username", "owner")),
        field_labels=sort_labels(
            ("name", "name", _("Customer name"), TEXT),
            ("tier", "tier", _("Tier"), PLAIN),
            ("created_at", "created", _("Created at"), DATE),
            ("owner__username", "owner", _("Owner"), TEXT),
        ),
    )

    class Meta:
        model = Customer
        fields = ["q", "tier", "kind", "store"]

    def __init__(self, *args, user=None, stores=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if stores is not None:
            self.filters["store"].queryset = stores
        if user is not None and not sees_vehicles(user):
            self.filters["q"].label = _("Name, phone or serial")

    def search(self, queryset, name, value):
        return customer_search(queryset, value)

    def only_mine(self, queryset, name, value):
        return queryset.filter(owner=self.user) if value and self.user else queryset

    def with_late_file(self, queryset, name, value):
        if not value:
            return queryset
        late = Visit.objects.filter(late_file_flagged_at__isnull=False, file_completed_at__isnull=True)
        return queryset.filter(pk__in=late.values("customer_id"))
