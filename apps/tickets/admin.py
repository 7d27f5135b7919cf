from django.contrib import admin
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from apps.org.retention import KeptRecordInline
from apps.uploads import StoredFileAdmin

from .models import (
    AddedItem,
    AnswerPolicy,
    Confirmation,
    CustomerDelay,
    Holiday,
    Ticket,
    TicketAttachment,
    TicketEvent,
    TicketKindSetting,
)


class EventInline(KeptRecordInline, admin.TabularInline):
    model = TicketEvent
    extra = 0
    readonly_fields = ["kind", "at", "by", "text", "key"]
    fields = readonly_fields


class ConfirmationInline(KeptRecordInline, admin.TabularInline):
    model = Confirmation
    extra = 0
    readonly_fields = [
        "added_item",
        "delay",
        "confirmed_by_name",
        "contact",
        "channel",
        "confirmed_at",
        "note",
        "recorded_by",
        "recorded_at",
    ]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False  # recorded on the ticket's page, with who recorded it


@admin.register(Ticket)
class TicketAdmin(SimpleHistoryAdmin):
    list_display = ["number", "kind", "title", "store", "state", "assignee", "escalation_level", "on_time"]
    list_filter = ["kind", "state", "store"]
    search_fields = ["number", "title"]
    raw_id_fields = ["customer", "asset", "assignee", "created_by"]
    inlines = [EventInline, ConfirmationInline]


@admin.register(AnswerPolicy)
class AnswerPolicyAdmin(admin.ModelAdmin):
    list_display = ["kind", "priority", "business_days", "warn_hours"]


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name", "store"]
    list_filter = ["store"]


admin.site.register(AddedItem)
admin.site.register(CustomerDelay)


@admin.register(TicketAttachment)
class TicketAttachmentAdmin(StoredFileAdmin):
    list_display = ["name", "ticket", "size", "uploaded_by", "uploaded_at"]
    raw_id_fields = ["ticket", "uploaded_by"]

    def download_url(self, obj):
        return reverse("tickets:attachment", args=[obj.ticket_id, obj.pk])


@admin.register(TicketKindSetting)
class TicketKindSettingAdmin(SimpleHistoryAdmin):
    list_display = ["store_kind", "kind", "is_offered"]
    list_editable = ["is_offered"]
    list_filter = ["store_kind", "kind"]
