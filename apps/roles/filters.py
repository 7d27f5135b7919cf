import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.org.models import Department, StoreKind

from .models import Position


class PositionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    department = django_filters.ModelChoiceFilter(label=_("Department"), queryset=Department.objects.none())
    store_kind = django_filters.ChoiceFilter(label=_("Store kind"), choices=StoreKind.choices)
    active = django_filters.ChoiceFilter(
        label=_("Status"),
        method="filter_active",
        choices=[("yes", _("Active")), ("no", _("Archived"))],
        empty_label=_("Active and archived"),
    )

    class Meta:
        model = Position
        fields = ["q", "department", "store_kind", "active"]

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if departments is not None:
            self.filters["department"].queryset = departments

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value)
            | Q(code__icontains=value)
            | Q(current_revision__summary__icontains=value)
            | Q(current_revision__areas__tasks__text__icontains=value)
        ).distinct()

    def filter_active(self, queryset, name, value):
        return queryset.filter(is_active=value == "yes")
