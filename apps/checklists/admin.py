from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from apps.org.retention import ArchiveInsteadOfDeleteAdmin, KeptRecordAdmin

from .models import (
    ChecklistRun,
    ChecklistTemplate,
    ItemFailure,
    TemplateItem,
)


class TemplateItemInline(admin.TabularInline):
    model = TemplateItem
    extra = 0


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(ArchiveInsteadOfDeleteAdmin, SimpleHistoryAdmin):
    list_display = ["name", "position", "phase", "shift", "due_time", "is_active"]
    list_filter = ["phase", "is_active"]
    inlines = [TemplateItemInline]


@admin.register(ChecklistRun)
class ChecklistRunAdmin(KeptRecordAdmin, admin.ModelAdmin):
    list_display = ["template", "store", "assignee", "date", "state", "answered_count", "failed_count"]
    list_filter = ["state", "store"]
    date_hierarchy = "date"
    raw_id_fields = ["template", "store", "assignee"]


@admin.register(ItemFailure)
class ItemFailureAdmin(SimpleHistoryAdmin):
    list_display = ["item", "store", "raised_by", "raised_at", "action", "state", "repeated"]
    list_filter = ["state", "action", "repeated"]
