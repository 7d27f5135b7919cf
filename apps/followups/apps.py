from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupsConfig(AppConfig):
    name = "apps.followups"
    label = "followups"
    verbose_name = _("Follow-ups")

    def ready(self):
        from apps.org.navigation import NavItem, register_home_panel, register_nav

        from . import documents  # noqa: F401  (registers the letters builder)
        from .panels import home_panel

        register_nav(
            NavItem(_("Follow-ups"), "followups:list", perm="followups.view", order=60, icon="bi-telephone")
        )
        register_home_panel(home_panel)
        from apps.checklists.open_matters import register_provider
        from apps.customers.timeline import register_timeline_source

        from .selectors import followup_open_matters, followup_timeline_source

        register_timeline_source("followups", followup_timeline_source)
        register_provider("followups", followup_open_matters)
