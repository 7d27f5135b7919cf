from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RosterConfig(AppConfig):
    name = "apps.roster"
    label = "roster"
    verbose_name = _("Roster and calendar")

    def ready(self):
        from apps.org.navigation import NavItem, register_home_panel, register_nav

        from . import panels

        register_nav(
            NavItem(_("Roster"), "roster:home", perm="roster.view", order=26, icon="bi-calendar-week")
        )
        register_home_panel(panels.arrival_panel)
        register_home_panel(panels.late_arrivals_panel)

        from apps.reports.sections import register_section

        from .report_sections import arrivals_section

        register_section("arrivals", arrivals_section, order=50)
