from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChecklistsConfig(AppConfig):
    name = "apps.checklists"
    label = "checklists"
    verbose_name = _("Checklists")

    def ready(self):
        from apps.health.gauges import register_gauge

        from .selectors import runs_missed_today_count

        register_gauge("checklist_runs_missed_today", "Checklist runs missed today", runs_missed_today_count)
        from apps.org.navigation import NavItem, register_home_panel, register_nav

        from . import panels
        from .open_matters import register_provider

        register_nav(
            NavItem(_("Checklists"), "checklists:home", perm="checklists.run", order=20, icon="bi-ui-checks")
        )
        register_nav(
            NavItem(_("Board"), "checklists:board", perm="checklists.board", order=24, icon="bi-grid-3x3")
        )
        register_home_panel(panels.manager_panel)
        register_provider("checklists", panels.failed_items_of)

        from apps.roles.checklist_proposals import register_template_maker

        from .services import template_from_proposal

        register_template_maker(template_from_proposal)

        from apps.reports.submissions import register_on_submit

        from .services import report_duty_tick

        register_on_submit("checklists", report_duty_tick)

        from apps.reports.sections import register_section

        from .report_sections import checklists_section

        register_section("checklists", checklists_section, order=20)
