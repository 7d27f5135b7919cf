from django.db import migrations

QUESTION = "是否准时交车"


def ask_on_time_delivery(apps, schema_editor):
    """准时交车率目标管理 4: the call after pickup asks 是否准时交车 (rules seeded before did not)."""
    FollowUpRule = apps.get_model("followups", "FollowUpRule")
    for rule in FollowUpRule.objects.filter(code="first-call-pickup"):
        if not any(QUESTION in str(item) for item in rule.survey_items or []):
            rule.survey_items = [*(rule.survey_items or []), QUESTION]
            rule.save(update_fields=["survey_items"])


class Migration(migrations.Migration):
    dependencies = [("followups", "0004_queue_tab_and_kpi_indexes")]

    operations = [migrations.RunPython(ask_on_time_delivery, migrations.RunPython.noop)]
