from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BankdeskConfig(AppConfig):
    name = "apps.bankdesk"
    label = "bankdesk"
    verbose_name = _("Bank branch desk")

    def ready(self):
        from apps.org.models import StoreKind
        from apps.org.navigation import NavItem, register_nav

        from . import kpis  # noqa: F401  (registers the bank's KPI formulas)

        register_nav(
            NavItem(
                _("Branch registers"),
                "bankdesk:home",
                perm="bank.record",
                order=28,
                icon="bi-bank",
                kinds=frozenset({StoreKind.BANK_BRANCH}),
            )
        )
