from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    name = "apps.customers"
    label = "customers"
    verbose_name = _("Customer files")

    def ready(self):
        from apps.org.navigation import NavItem, register_home_panel, register_nav

        from . import spreadsheets  # noqa: F401  (registers the background import job)
        from .panels import late_files_panel
        from .timeline import register_timeline_source
        from .timeline_sources import attachment_entries, note_entries, visit_entries

        register_nav(
            NavItem(_("Customers"), "customers:list", perm="customers.view", order=40, icon="bi-person-vcard")
        )
        register_home_panel(late_files_panel)
        register_timeline_source("customers.visits", visit_entries)
        register_timeline_source("customers.notes", note_entries)
        register_timeline_source("customers.attachments", attachment_entries)
