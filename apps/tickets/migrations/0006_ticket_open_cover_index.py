from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0005_customer_confirmations_and_manager_review"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(
                condition=models.Q(("state__in", ["resolved", "closed"]), _negated=True),
                fields=["id"],
                include=("store", "answer_due_at", "promised_at", "created_at"),
                name="ticket_open_cover_idx",
            ),
        ),
    ]
