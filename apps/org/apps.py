from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "apps.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self):
        from django.apps import apps

        from .navigation import NavItem, register_nav
        from .retention import connect_guards

        connect_guards(m for m in apps.get_models() if m.__module__.startswith("apps."))

        register_nav(
            NavItem(_("Organisation"), "org:staff", perm="org.manage", order=90, icon="bi-diagram-3")
        )
