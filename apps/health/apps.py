from django.apps import AppConfig
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class HealthConfig(AppConfig):
    name = "apps.health"
    label = "health"
    verbose_name = _("Health")

    def ready(self):
        from .gauges import register_gauge
        from .metrics import install_collector
        from .models import Heartbeat

        def beat_age() -> float:
            hb = Heartbeat.objects.filter(name="beat").values_list("last_seen", flat=True).first()
            return (timezone.now() - hb).total_seconds() if hb else -1

        register_gauge(
            "beat_last_tick_age_seconds",
            "Seconds since the beat's last tick (-1: never)",
            beat_age,
            unhealthy_above=lambda: settings.HEALTH_MAX_BEAT_AGE,
        )
        install_collector()
