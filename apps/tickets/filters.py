import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.org.access import sees_vehicles, store_kinds_for
from apps.org.models import Store
from apps.org.sort_labels import DATE, PLAIN, TEXT, sort_labels

from .models import Ticket
from .selectors import ticket_kind_choices
from .services import OPEN_STATES


class TicketFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Number, title or customer"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Ticket.Kind.choices)
    state = django_filters.ChoiceFilter(label=_("State"), choices=Ticket.State.choices)
    priority = django_filters.ChoiceFilter(label=_("Priority"), choices=Ticket.Priority.choices)
    store = django_filters.ModelChoiceFilter(label=_("Store"), queryset=Store.objects.none())
    view = django_filters.ChoiceFilter(
        label=_("Show"),
        method="by_view",
        choices=[
            ("mine", _("Mine")),
            ("open", _("Open")),
            ("overdue", _("Answer overdue")),
            ("escalated", _("Escalated")),
            ("late", _("Delivered late")),
            ("review", _("Waiting for the manager's review")),
        ],
    )
    o = django_filters.OrderingFilter(
        label=_("Sort"),
        fields=(
            ("created_at", "created"),
            ("number", "number"),
            ("state", "state"),
            ("priority", "priority"),
            ("promised_at", "promised"),
            ("answer_due_at", "due"),
        ),
        field_labels=sort_labels(
            ("created_at", "created", _("Created at"), DATE),
            ("number", "number", _("Number"), TEXT),
            ("state", "state", _("State"), PLAIN),
            ("priority", "priority", _("Priority"), PLAIN),
            ("promised_at", "promised", _("Promised"), DATE),
            ("answer_due_at", "due", _("Answer due"), DATE),
        ),
    )

    class Meta:
        model = Ticket
        fields = ["q", "kind", "state", "priority", "store"]

    def __init__(self, *args, user=None, stores=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if stores is not None:
            self.filters["store"].queryset = stores
        if user is not None:
            # The kinds, views and sort orders of the user's kinds of store only: no 委托书 or
            # "delivered late" for someone who sees no service station.
            kinds = store_kinds_for(user)
            self.filters["kind"].extra["choices"] = ticket_kind_choices(kinds)
            if not sees_vehicles(user):
                view = self.filters["view"]
                view.extra["choices"] = [c for c in view.extra["choices"] if c[0] != "late"]
                order = self.filters["o"]
                order.extra["choices"] = [c for c in order.extra["choices"] if "promised" not in c[0]]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(number__icontains=value) | Q(title__icontains=value) | Q(customer__name__icontains=value)
        )

    def by_view(self, queryset, name, value):
        if value == "mine":
            return queryset.filter(assignee=self.user, state__in=OPEN_STATES)
        if value == "open":
            return queryset.filter(state__in=OPEN_STATES)
        if value == "overdue":
            return queryset.filter(
                state__in=OPEN_STATES, answered_at__isnull=True, answer_due_at__lt=timezone.now()
            )
        if value == "escalated":
            return queryset.filter(escalation_level__gt=0)
        if value == "late":
            return queryset.filter(kind=Ticket.Kind.REPAIR_ORDER, settled_at__isnull=False).exclude(
                on_time=True
            )
        if value == "review":
            return queryset.filter(review_flagged_at__isnull=False, review_resolved_at__isnull=True)
        return queryset
