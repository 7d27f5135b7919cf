from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from apps.org.retention import ArchiveInsteadOfDeleteAdmin, KeptRecordAdmin, KeptRecordInline

from .models import (
    ChecklistRun,
    ChecklistTemplate,
    Counter,
    Handover,
    HandoverLine,
    ItemFailure,
    StockItem,
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


@admin.register(Counter)
class CounterAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "store", "is_active"]


@admin.register(StockItem)
class StockItemAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "section", "unit", "denominations", "order", "is_active"]


class HandoverLineInline(KeptRecordInline, admin.TabularInline):
    model = HandoverLine
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Handover)
class HandoverAdmin(KeptRecordAdmin, admin.ModelAdmin):
    """Read-only: handovers change only through their signed workflow."""

    list_display = ["counter", "store", "business_date", "outgoing", "incoming", "state"]
    list_filter = ["state", "store"]
    inlines = [HandoverLineInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # not even a draft: the workflow owns handovers
