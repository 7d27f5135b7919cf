"""The store kinds' KPI profiles from the source documents (shared/seeds/): the station's
准时交车率 ≥ 96 %, 产值 220 万元 a year, CSI ≥ 900, 十项调查 ≥ 92, 回访率 100 %, 满意率 98 %,
及时率 98 %; the business hall's complaints, satisfaction, takings and handovers; the bank branch's
counter, tail-box, voucher and large-transaction figures (formulas of apps/bankdesk/kpis.py) and its
complaint handling; the back office's checklists. Targets are monthly defaults an admin edits."""

from decimal import Decimal

from django.db import migrations

PROFILES = {
    "service_station": [
        ("tickets.on_time_rate", "96"),
        ("tickets.output_value", "183333.33"),  # 总产值目标 220 万元 a year, spread over 12 months
        ("manual.csi", "900"),
        ("manual.ten_item_survey", "92"),
        ("followups.return_visit_rate", "100"),
        ("followups.satisfaction_rate", "98"),
        ("followups.timeliness_rate", "98"),
        ("tickets.warranty_service_timeliness", "98"),
        ("tickets.complaints_answered_2d", "100"),
        ("checklists.completion_rate", "100"),
        ("checklists.failure_rate", "2"),
        ("checklists.handover_differences", "0"),
    ],
    "business_hall": [
        ("hall.complaints_answered_2d", "100"),
        ("hall.customer_satisfaction", "98"),
        ("hall.takings_errors", "0"),
        ("hall.takings_error_amount", "0"),
        ("hall.checklist_completion", "100"),
        ("hall.handover_differences", "0"),
    ],
    "bank_branch": [
        ("bank.counter_error_rate", "0.5"),
        ("bank.tail_box_match_rate", "100"),
        ("bank.voucher_over_limit", "0"),
        ("bank.large_report_on_time", "100"),
        ("tickets.complaints_handled_rate", "100"),
        ("checklists.completion_rate", "100"),
    ],
    "back_office": [
        ("checklists.completion_rate", "100"),
        ("checklists.failure_rate", "2"),
    ],
}


def seed(apps, schema_editor):
    KindKpi = apps.get_model("targets", "KindKpi")
    for kind, rows in PROFILES.items():
        for order, (key, target) in enumerate(rows, start=1):
            KindKpi.objects.get_or_create(
                kind=kind, kpi_key=key, defaults={"target": Decimal(target), "order": order}
            )


class Migration(migrations.Migration):
    dependencies = [("targets", "0005_kind_kpi_profiles")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
