from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "apps.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self):
        from .navigation import NavItem, register_nav

        register_nav(
            NavItem(_("Organisation"), "org:staff", perm="org.manage", order=90, icon="bi-diagram-3")
        )
        from . import two_factor  # noqa: F401  (registers its system check on MFA_REQUIRED_TIERS)
