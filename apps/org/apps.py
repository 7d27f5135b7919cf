from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "apps.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self):
        from axes.signals import user_locked_out
        from django.apps import apps
        from django.contrib.auth.signals import user_logged_in

        from .navigation import NavItem, register_nav
        from .passwords import log_lockout
        from .retention import connect_guards
        from .session_limits import mark_signed_in

        connect_guards(m for m in apps.get_models() if m.__module__.startswith("apps."))
        user_logged_in.connect(mark_signed_in, dispatch_uid="org.session_limits.mark_signed_in")
        user_locked_out.connect(log_lockout, dispatch_uid="org.passwords.log_lockout")

        register_nav(
            NavItem(_("Organisation"), "org:staff", perm="org.manage", order=90, icon="bi-diagram-3")
        )
        from . import two_factor  # noqa: F401  (registers its system check on MFA_REQUIRED_TIERS)
