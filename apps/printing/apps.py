from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrintingConfig(AppConfig):
    name = "apps.printing"
    label = "printing"
    verbose_name = _("Printing")

    def ready(self):
        from apps.health.gauges import register_gauge

        from .selectors import print_jobs_waiting_count

        register_gauge("print_jobs_waiting", "Print jobs queued or running", print_jobs_waiting_count)
