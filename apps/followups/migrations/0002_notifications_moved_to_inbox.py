"""Follow-up notifications move to the shared inbox (apps.notifications): copy, then drop the table.

The copied key is the one reminders.inbox_key() writes: "followups:<reminder key>:u<user id>"."""

from django.db import migrations
from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat

PREFIX = "followups:"


def _key_expr():
    return Concat(
        Value(PREFIX), "reminder__key", Value(":u"), Cast("user_id", CharField()), output_field=CharField()
    )


def copy_to_inbox(apps, schema_editor):
    Old = apps.get_model("followups", "Notification")
    New = apps.get_model("notifications", "Notification")
    rows = []
    qs = Old.objects.select_related("reminder__followup").order_by("pk")
    for n in qs.iterator(chunk_size=2000):
        reminder = n.reminder
        rows.append(
            New(
                recipient_id=n.user_id,
                store_id=reminder.followup.store_id if reminder else None,
                key=f"{PREFIX}{reminder.key}:u{n.user_id}" if reminder else f"{PREFIX}n{n.pk}",
                title=n.title[:300],
                body=n.body,
                url=n.url,
                level="warning" if reminder and reminder.kind in ("overdue", "alert") else "info",
                source="followups",
                read_at=n.read_at,
            )
        )
        if len(rows) >= 2000:
            New.objects.bulk_create(rows, ignore_conflicts=True)
            rows.clear()
    New.objects.bulk_create(rows, ignore_conflicts=True)
    # created_at is auto_now_add: carry the original times over in one UPDATE per kind of key.
    with_reminder = (
        Old.objects.filter(reminder__isnull=False)
        .annotate(k=_key_expr())
        .filter(k=OuterRef("key"))
        .values("created_at")[:1]
    )
    New.objects.filter(source="followups", key__regex=r":u[0-9]+$").update(created_at=Subquery(with_reminder))
    without = (
        Old.objects.filter(reminder__isnull=True)
        .annotate(k=Concat(Value(PREFIX + "n"), Cast("pk", CharField()), output_field=CharField()))
        .filter(k=OuterRef("key"))
        .values("created_at")[:1]
    )
    New.objects.filter(source="followups", key__regex=r":n[0-9]+$").update(created_at=Subquery(without))


class Migration(migrations.Migration):
    dependencies = [
        ("followups", "0001_initial"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(copy_to_inbox, migrations.RunPython.noop),
        migrations.DeleteModel(name="Notification"),
    ]
