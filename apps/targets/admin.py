from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from apps.org.retention import ArchiveInsteadOfDeleteAdmin, KeptRecordAdmin

from .models import (
    KindKpi,
    KpiSnapshot,
    ManualKpiValue,
    PayScheme,
    PaySheet,
    ResponsibilityLetter,
    TargetPlan,
)


@admin.register(PayScheme)
class PaySchemeAdmin(ArchiveInsteadOfDeleteAdmin, SimpleHistoryAdmin):
    list_display = ["position", "store", "base", "commission_rate", "score_source", "minimum", "is_active"]
    list_filter = ["store", "score_source"]


@admin.register(TargetPlan)
class TargetPlanAdmin(KeptRecordAdmin, SimpleHistoryAdmin):
    list_display = ["number", "department", "year", "version", "state", "approved_by", "approved_at"]
    list_filter = ["state", "year"]
    readonly_fields = ["state", "submitted_by", "submitted_at", "approved_by", "approved_at"]


@admin.register(ResponsibilityLetter)
class LetterAdmin(KeptRecordAdmin, SimpleHistoryAdmin):
    list_display = [
        "number",
        "title",
        "holder",
        "store",
        "period_start",
        "holder_signed_at",
        "issuer_signed_at",
    ]
    readonly_fields = ["holder_signed_at", "issuer_signed_at"]


@admin.register(PaySheet)
class PaySheetAdmin(KeptRecordAdmin, SimpleHistoryAdmin):
    list_display = ["user", "store", "month", "amount", "state"]
    list_filter = ["state", "store"]


admin.site.register(ManualKpiValue, SimpleHistoryAdmin)
admin.site.register(KpiSnapshot)


@admin.register(KindKpi)
class KindKpiAdmin(ArchiveInsteadOfDeleteAdmin, SimpleHistoryAdmin):
    list_display = ["kind", "kpi_key", "target", "order", "is_active"]
    list_filter = ["kind", "is_active"]
