from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "source", "level", "created_at", "read_at"]
    list_filter = ["source", "level"]
    search_fields = ["title", "key", "recipient__username"]
    raw_id_fields = ["recipient", "store"]
