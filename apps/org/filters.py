import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import RoleTier, Store, StoreKind, User


class StaffFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    store = django_filters.ModelChoiceFilter(
        label=_("Store"), field_name="memberships__store", queryset=Store.objects.none()
    )
    tier = django_filters.ChoiceFilter(
        label=_("Role tier"), field_name="memberships__tier", choices=RoleTier.choices
    )

    class Meta:
        model = User
        fields = ["q", "store", "tier"]

    def __init__(self, *args, stores=None, **kwargs):
        super().__init__(*args, **kwargs)
        if stores is not None:
            self.filters["store"].queryset = stores

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(username__icontains=value) | Q(display_name__icontains=value) | Q(phone__icontains=value)
        )


class StoreFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=StoreKind.choices)

    class Meta:
        model = Store
        fields = ["q", "kind"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(code__icontains=value) | Q(address__icontains=value)
        )
