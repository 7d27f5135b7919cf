from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "apps.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from apps.org.models import StoreKind
        from apps.org.navigation import NavItem, register_home_panel, register_nav

        from . import documents  # noqa: F401  (registers the quality pack's print builder)
        from .panels import quality_panel, reports_panel

        register_nav(
            NavItem(_("Reports"), "reports:home", perm="reports.view", order=70, icon="bi-journal-text")
        )
        register_nav(
            NavItem(
                _("Quality meeting"),
                "reports:quality",
                perm="reports.view",
                order=71,
                icon="bi-clipboard-data",
                kinds=frozenset({StoreKind.SERVICE_STATION}),
            )
        )
        register_home_panel(reports_panel)
        register_home_panel(quality_panel)
