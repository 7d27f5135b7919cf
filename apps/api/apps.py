from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "apps.api"
    label = "api"
    verbose_name = _("REST API")

    def ready(self):
        # The schema extension for the token authentication (drf-spectacular finds it on import).
        from . import authentication  # noqa: F401
