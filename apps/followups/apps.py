from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupsConfig(AppConfig):
    name = "apps.followups"
    label = "followups"
    verbose_name = _("Follow-ups")

    def ready(self):
        import datetime as dt

        from django.conf import settings

        from apps.health.gauges import register_gauge

        from .selectors import oldest_due_reminder_age, outbox_length, reminders_due_count

        register_gauge("reminders_due", "Reminders due and not sent", reminders_due_count)
        register_gauge(
            "reminders_overdue",
            "Reminders due for more than five minutes and not sent",
            lambda: reminders_due_count(overdue_by=dt.timedelta(minutes=5)),
        )
        register_gauge(
            "reminder_lag_seconds",
            "Seconds since the oldest unsent reminder fell due",
            oldest_due_reminder_age,
            unhealthy_above=lambda: settings.HEALTH_MAX_REMINDER_LAG,
        )
        register_gauge(
            "outbox_length",
            "E-mails and group messages queued and not delivered",
            outbox_length,
            unhealthy_above=lambda: settings.HEALTH_MAX_OUTBOX,
        )
        from apps.org.navigation import NavItem, register_home_panel, register_nav

        from . import documents  # noqa: F401  (registers the letters builder)
        from .panels import home_panel

        register_nav(
            NavItem(_("Follow-ups"), "followups:list", perm="followups.view", order=60, icon="bi-telephone")
        )
        register_home_panel(home_panel)
        from apps.checklists.open_matters import register_provider
        from apps.customers.timeline import register_timeline_source

        from .selectors import followup_open_matters, followup_timeline_source

        register_timeline_source("followups", followup_timeline_source)
        register_provider("followups", followup_open_matters)

        from apps.reports.sections import register_section

        from .report_sections import followups_section

        register_section("followups", followups_section, order=40)
