from django.contrib import admin

from .models import CalendarDay, CheckIn, Shift, ShiftRequest, ShiftType


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    date_hierarchy = "date"


@admin.register(ShiftType)
class ShiftTypeAdmin(admin.ModelAdmin):
    list_display = ["store", "name", "code", "starts_at", "ends_at", "is_active"]
    list_filter = ["store"]


@admin.register(Shift)
class ShiftAdmin(admin.ModelAdmin):
    list_display = ["date", "store", "user", "shift_type"]
    list_filter = ["store"]
    date_hierarchy = "date"
    raw_id_fields = ["user"]


@admin.register(ShiftRequest)
class ShiftRequestAdmin(admin.ModelAdmin):
    list_display = ["created_at", "store", "requester", "kind", "date", "end_date", "state"]
    list_filter = ["state", "kind"]
    raw_id_fields = ["requester", "swap_with", "decided_by"]


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    list_display = ["date", "store", "user", "at", "late_minutes"]
    list_filter = ["store"]
    raw_id_fields = ["user"]
