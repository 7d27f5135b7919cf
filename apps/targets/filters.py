import django_filters
from django.utils.translation import gettext_lazy as _

from .models import PaySheet, ResponsibilityLetter, TargetPlan


class PlanFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("Search"))

    class Meta:
        model = TargetPlan
        fields = ["year", "state"]


class LetterFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("Search"))

    class Meta:
        model = ResponsibilityLetter
        fields = ["store"]


class PaySheetFilter(django_filters.FilterSet):
    month = django_filters.DateFilter(
        field_name="month",
        label=_("Month"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=django_filters.widgets.forms.DateInput(attrs={"type": "month"}),
    )

    class Meta:
        model = PaySheet
        fields = ["month", "state"]
