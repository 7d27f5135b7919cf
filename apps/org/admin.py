from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Department, Membership, Organisation, Store, User
from .retention import ArchiveInsteadOfDeleteAdmin, ArchiveInsteadOfDeleteInline


class MembershipInline(ArchiveInsteadOfDeleteInline, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["store"]


@admin.register(User)
class UserAdmin(ArchiveInsteadOfDeleteAdmin, SimpleHistoryAdmin, BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("DutyDesk"), {"fields": ("display_name", "phone")}),
    )
    list_display = ["username", "display_name", "email", "is_active", "is_staff"]
    search_fields = ["username", "display_name", "email", "phone"]
    inlines = [MembershipInline]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Store)
class StoreAdmin(ArchiveInsteadOfDeleteAdmin, SimpleHistoryAdmin):
    list_display = ["name", "code", "kind", "organisation", "is_active"]
    list_filter = ["kind", "organisation", "is_active"]
    search_fields = ["name", "code", "address"]
    list_select_related = ["organisation"]


@admin.register(Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "organisation", "store"]
    list_filter = ["organisation"]
    search_fields = ["name", "code"]
    list_select_related = ["organisation", "store"]


@admin.register(Membership)
class MembershipAdmin(ArchiveInsteadOfDeleteAdmin, SimpleHistoryAdmin):
    list_display = ["user", "store", "tier", "department", "title", "is_active"]
    list_filter = ["tier", "store", "is_active"]
    search_fields = ["user__username", "user__display_name", "store__name", "title"]
    list_select_related = ["user", "store", "department"]
    autocomplete_fields = ["user", "store"]
