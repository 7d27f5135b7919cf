from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("followups", "0008_followup_completed_on"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="followup",
            index=models.Index(
                condition=models.Q(
                    ("state__in", ["scheduled", "open"]),
                    models.Q(
                        ("state", "scheduled"),
                        ("snoozed_until__isnull", False),
                        ("next_attempt_at__isnull", False),
                        _connector="OR",
                    ),
                ),
                fields=["store", "window_start", "id"],
                name="followup_waiting_store_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="followup",
            index=models.Index(
                condition=models.Q(
                    ("state__in", ["scheduled", "open"]),
                    models.Q(
                        ("state", "scheduled"),
                        ("snoozed_until__isnull", False),
                        ("next_attempt_at__isnull", False),
                        _connector="OR",
                    ),
                ),
                fields=["assignee", "window_start", "id"],
                name="followup_waiting_own_idx",
            ),
        ),
    ]
