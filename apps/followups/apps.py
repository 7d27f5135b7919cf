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
        try:
            from apps.customers import timeline
        except ImportError:
            return
        register = getattr(timeline, "register", None) or getattr(timeline, "register_provider", None)
        if register is not None:
            from .selectors import followup_timeline_entries

            try:
                register("followups", followup_timeline_entries)
            except TypeError:
                register(followup_timeline_entries)
