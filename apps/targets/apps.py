from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TargetsConfig(AppConfig):
    name = "apps.targets"
    label = "targets"
    verbose_name = _("Targets")

    def ready(self):
        from apps.followups.panel_targets import register_targets_reader
        from apps.org.navigation import NavItem, register_home_panel, register_nav

        from . import documents, hall_kpis, kpis, panels, profiles, sources  # noqa: F401  (registers formulas, sources, builder)

        register_targets_reader(profiles.default_targets)

        register_nav(NavItem(_("Targets"), "targets:list", perm="targets.view", order=70, icon="bi-bullseye"))
        register_home_panel(panels.dashboard_panel)
        register_home_panel(panels.my_targets_panel)
