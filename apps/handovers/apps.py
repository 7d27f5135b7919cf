from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HandoversConfig(AppConfig):
    name = "apps.handovers"
    label = "handovers"
    verbose_name = _("Handovers")

    def ready(self):
        from apps.checklists.closing_report import register_section
        from apps.org.navigation import NavItem, register_home_panel, register_nav

        from . import panels
        from .documents import closing_report_section

        register_nav(
            NavItem(
                _("Handovers"), "handovers:list", perm="handovers.sign", order=22, icon="bi-arrow-left-right"
            )
        )
        register_home_panel(panels.shift_panel)
        register_section("handovers", closing_report_section)

        from apps.org.models import StoreKind
        from apps.reports.sections import register_section as register_report_section

        from .report_sections import handover_differences_section

        register_report_section(
            "handover_differences",
            handover_differences_section,
            order=25,
            kinds={StoreKind.BUSINESS_HALL, StoreKind.SERVICE_STATION, StoreKind.BANK_BRANCH},
        )
