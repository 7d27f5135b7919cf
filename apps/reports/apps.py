from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "apps.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from apps.org.navigation import NavItem, register_home_panel, register_nav

        from .panels import reports_panel

        register_nav(
            NavItem(_("Reports"), "reports:home", perm="reports.view", order=70, icon="bi-journal-text")
        )
        register_home_panel(reports_panel)
