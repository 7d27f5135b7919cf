from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "apps.integrations"
    label = "integrations"
    verbose_name = _("Integrations")

    def ready(self):
        from apps.health.gauges import register_gauge
        from apps.notifications.events import subscribe
        from apps.org.navigation import NavItem, register_nav

        from .selectors import deliveries_waiting_count
        from .services import event_record

        subscribe(event_record)
        register_gauge(
            "integrations_outbox", "Webhook and group robot deliveries waiting", deliveries_waiting_count
        )
        register_nav(
            NavItem(
                _("Integrations"), "integrations:list", perm="integrations.manage", order=95, icon="bi-plug"
            )
        )
