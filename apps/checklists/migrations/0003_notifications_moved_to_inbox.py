"""Checklist notifications move to the shared inbox (apps.notifications): copy, then drop the table."""

from django.db import migrations
from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Concat


def copy_to_inbox(apps, schema_editor):
    Old = apps.get_model("checklists", "Notification")
    New = apps.get_model("notifications", "Notification")
    rows = []
    for n in Old.objects.order_by("pk").iterator(chunk_size=2000):
        rows.append(
            New(
                recipient_id=n.recipient_id,
                store_id=n.store_id,
                key=f"checklists:{n.key}"[:200],
                title=n.text,
                url=n.url,
                level="warning",
                source="checklists",
                read_at=n.read_at,
            )
        )
        if len(rows) >= 2000:
            _flush(New, rows)
    _flush(New, rows)
    # created_at is auto_now_add: carry the original times over in one UPDATE.
    original = (
        Old.objects.annotate(k=Concat(Value("checklists:"), "key", output_field=CharField()))
        .filter(recipient_id=OuterRef("recipient_id"), k=OuterRef("key"))
        .values("created_at")[:1]
    )
    New.objects.filter(source="checklists").update(created_at=Subquery(original))


def _flush(New, rows):
    New.objects.bulk_create(rows, ignore_conflicts=True)
    rows.clear()


class Migration(migrations.Migration):
    dependencies = [
        ("checklists", "0002_immutability_triggers"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(copy_to_inbox, migrations.RunPython.noop),
        migrations.DeleteModel(name="Notification"),
    ]
