from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "apps.tickets"
    label = "tickets"
    verbose_name = _("Service tickets")

    def ready(self):
        from apps.checklists.open_matters import register_provider
        from apps.customers.personal_data import register_personal_data_section
        from apps.customers.timeline import register_timeline_source
        from apps.org.navigation import NavItem, register_home_panel, register_nav

        from .integrations import my_tickets_panel, open_tickets, personal_data, timeline_entries

        register_nav(
            NavItem(_("Tickets"), "tickets:list", perm="tickets.view", order=45, icon="bi-ticket-detailed")
        )
        register_home_panel(my_tickets_panel)
        register_provider("tickets", open_tickets)
        register_timeline_source("tickets", timeline_entries)
        register_personal_data_section("tickets", personal_data)

        from apps.org.models import StoreKind
        from apps.reports.sections import register_section

        from .report_sections import complaints_section, on_time_by_advisor

        register_section("complaints", complaints_section, order=10)
        register_section("on_time", on_time_by_advisor, order=30, kinds={StoreKind.SERVICE_STATION})

        from apps.reports.sections import QUALITY

        from .quality_sections import late_reasons_month, on_time_by_advisor_month, on_time_by_mechanic_month

        station = {StoreKind.SERVICE_STATION}
        register_section("advisor", on_time_by_advisor_month, order=10, kinds=station, report=QUALITY)
        register_section("mechanic", on_time_by_mechanic_month, order=20, kinds=station, report=QUALITY)
        register_section("late_reasons", late_reasons_month, order=30, kinds=station, report=QUALITY)
