from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from apps.org.retention import KeptRecordAdmin

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
class AttachmentAdmin(admin.ModelAdmin):
    # The file is linked through the download view that checks who may see it, never by its
    # storage URL (there is no media route); files are attached on the customer's page.
    list_display = ["name", "customer", "size", "uploaded_by", "uploaded_at"]
    exclude = ["file"]
    readonly_fields = ["download", "size", "content_type"]
    raw_id_fields = ["customer", "asset", "visit", "uploaded_by"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("file"))
    def download(self, obj):
        if not obj.pk:
            return "—"
        url = reverse("customers:attachment", args=[obj.customer_id, obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.name)
