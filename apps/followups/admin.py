from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from apps.org.retention import ArchiveInsteadOfDeleteAdmin, KeptRecordAdmin

from .models import Campaign, FollowUp, FollowUpRule, Reminder, SendLog, StoreWebhook


@admin.register(FollowUpRule)
class FollowUpRuleAdmin(ArchiveInsteadOfDeleteAdmin, SimpleHistoryAdmin):
    list_display = [
        "name",
        "code",
        "organisation",
        "trigger",
        "window_start_days",
        "window_end_days",
        "is_active",
    ]
    list_filter = ["trigger", "is_active", "organisation"]


@admin.register(FollowUp)
class FollowUpAdmin(SimpleHistoryAdmin):
    list_display = ["customer", "rule", "store", "state", "window_start", "window_end", "assignee"]
    list_filter = ["state", "store", "rule"]
    raw_id_fields = ["customer", "asset", "ticket", "previous", "campaign"]
    search_fields = ["customer__name", "key"]


@admin.register(Campaign)
class CampaignAdmin(SimpleHistoryAdmin):
    list_display = ["name", "store", "kind", "event_date"]


@admin.register(StoreWebhook)
class StoreWebhookAdmin(admin.ModelAdmin):
    list_display = ["name", "store", "is_active"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["key", "kind", "due_at", "sent_at", "cancelled_at"]
    raw_id_fields = ["followup"]


@admin.register(SendLog)
class SendLogAdmin(KeptRecordAdmin, admin.ModelAdmin):
    list_display = ["key", "channel", "status", "sent_at"]
    raw_id_fields = ["reminder", "user"]
