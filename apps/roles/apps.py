from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RolesConfig(AppConfig):
    name = "apps.roles"
    label = "roles"
    verbose_name = _("Positions")

    def ready(self):
        from apps.org.navigation import NavItem, register_nav

        from . import documents  # noqa: F401  (registers the department book builder)

        register_nav(
            NavItem(_("Positions"), "roles:list", perm="roles.view", order=20, icon="bi-person-badge")
        )
