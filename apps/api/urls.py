"""/api/: the OpenAPI document, its browser (Swagger UI from our own static files) and the resources."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from .errors import not_found
from .views_customers import CustomerViewSet
from .views_reads import HandoverViewSet, KpiView, PositionViewSet
from .views_tickets import TicketViewSet
from .views_work import ChecklistRunViewSet, FollowUpViewSet

# Path converters, not regexes: each route reads as the address it answers (api/tickets/<int:pk>/).
router = SimpleRouter(use_regex_path=False)
router.register("tickets", TicketViewSet, basename="tickets")
router.register("customers", CustomerViewSet, basename="customers")
router.register("followups", FollowUpViewSet, basename="followups")
router.register("checklists", ChecklistRunViewSet, basename="checklists")
router.register("handovers", HandoverViewSet, basename="handovers")
router.register("positions", PositionViewSet, basename="positions")

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("kpis/", KpiView.as_view(), name="kpis"),
    *router.urls,
    # Any other address under /api/ answers a JSON 404 too.
    re_path(r"^(?P<rest>.*)$", not_found),
]
