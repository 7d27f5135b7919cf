from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from apps.org.retention import KeptRecordInline

from .models import AddedItem, AnswerPolicy, CustomerDelay, Holiday, Ticket, TicketAttachment, TicketEvent


class EventInline(KeptRecordInline, admin.TabularInline):
    model = TicketEvent
    extra = 0
    readonly_fields = ["kind", "at", "by", "text", "key"]
    fields = readonly_fields


@admin.register(Ticket)
class TicketAdmin(SimpleHistoryAdmin):
    list_display = ["number", "kind", "title", "store", "state", "assignee", "escalation_level", "on_time"]
    list_filter = ["kind", "state", "store"]
    search_fields = ["number", "title"]
    raw_id_fields = ["customer", "asset", "assignee", "created_by"]
    inlines = [EventInline]


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
class TicketAttachmentAdmin(admin.ModelAdmin):
    # The file is linked through the download view that checks who may see it, never by its
    # storage URL (there is no media route); files are attached on the ticket's page.
    list_display = ["name", "ticket", "size", "uploaded_by", "uploaded_at"]
    exclude = ["file"]
    readonly_fields = ["download", "size", "content_type"]
    raw_id_fields = ["ticket", "uploaded_by"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("file"))
    def download(self, obj):
        if not obj.pk:
            return "—"
        url = reverse("tickets:attachment", args=[obj.ticket_id, obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.name)
