from django.contrib import admin
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from apps.org.retention import KeptRecordAdmin
from apps.uploads import StoredFileAdmin

from .models import Asset, Attachment, Customer, CustomerNote, CustomerPhone, PiiAccessLog, Visit, VisitItem


class PhoneInline(admin.TabularInline):
    model = CustomerPhone
    extra = 0


@admin.register(Customer)
class CustomerAdmin(SimpleHistoryAdmin):
    list_display = ["name", "store", "tier", "owner", "created_at"]
    list_filter = ["store", "tier", "kind"]
    search_fields = ["name", "phones__digits"]
    inlines = [PhoneInline]
    raw_id_fields = ["owner"]


@admin.register(Asset)
class AssetAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "customer", "kind", "model_name", "next_due_date"]
    search_fields = ["plate", "vin", "serial_number"]
    raw_id_fields = ["customer"]


class VisitItemInline(admin.TabularInline):
    model = VisitItem
    extra = 0


@admin.register(Visit)
class VisitAdmin(SimpleHistoryAdmin):
    list_display = ["customer", "visited_on", "store", "amount", "file_completed_at", "late_file_flagged_at"]
    list_filter = ["store"]
    raw_id_fields = ["customer", "asset"]
    inlines = [VisitItemInline]


@admin.register(PiiAccessLog)
class PiiAccessLogAdmin(KeptRecordAdmin, admin.ModelAdmin):
    list_display = ["at", "user", "customer", "field"]
    list_filter = ["field"]
    raw_id_fields = ["customer"]

    def has_change_permission(self, request, obj=None):
        return False


admin.site.register(CustomerNote)


@admin.register(Attachment)
class AttachmentAdmin(StoredFileAdmin):
    list_display = ["name", "customer", "size", "uploaded_by", "uploaded_at"]
    raw_id_fields = ["customer", "asset", "visit", "uploaded_by"]

    def download_url(self, obj):
        return reverse("customers:attachment", args=[obj.customer_id, obj.pk])
