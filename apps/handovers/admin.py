from django.contrib import admin

from apps.org.retention import KeptRecordAdmin, KeptRecordInline

from .models import Counter, Handover, HandoverLine, StockItem


@admin.register(Counter)
class CounterAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "store", "is_active"]


@admin.register(StockItem)
class StockItemAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "store_kind", "section", "unit", "denominations", "order", "is_active"]
    list_filter = ["store_kind", "section", "is_active"]


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
