"""`completed_on`: the local date of `completed_at`, filled for the follow-ups already completed, and
the KPI indexes rebuilt over it (the month's KPIs compare it with the window's dates)."""

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def fill_completed_on(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        # One statement: a million rows in seconds, where a loop through Python takes minutes.
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE followups_followup SET completed_on = (completed_at AT TIME ZONE %s)::date "
                "WHERE completed_at IS NOT NULL",
                [settings.TIME_ZONE],
            )
        return
    FollowUp = apps.get_model("followups", "FollowUp")
    done = FollowUp.objects.using(connection.alias).filter(completed_at__isnull=False).only("completed_at")
    batch = []
    for followup in done.iterator(chunk_size=2000):
        followup.completed_on = timezone.localdate(followup.completed_at)
        batch.append(followup)
        if len(batch) == 2000:
            FollowUp.objects.using(connection.alias).bulk_update(batch, ["completed_on"])
            batch = []
    FollowUp.objects.using(connection.alias).bulk_update(batch, ["completed_on"])


class Migration(migrations.Migration):
    dependencies = [
        ("followups", "0007_followup_overdue_index"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="followup",
            name="followup_kpi_done_idx",
        ),
        migrations.RemoveIndex(
            model_name="followup",
            name="followup_kpi_due_idx",
        ),
        migrations.AddField(
            model_name="followup",
            name="completed_on",
            field=models.DateField(blank=True, editable=False, null=True, verbose_name="completed on"),
        ),
        migrations.AddField(
            model_name="historicalfollowup",
            name="completed_on",
            field=models.DateField(blank=True, editable=False, null=True, verbose_name="completed on"),
        ),
        migrations.RunPython(fill_completed_on, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="followup",
            index=models.Index(
                condition=models.Q(("state", "done")),
                fields=["store", "completed_on"],
                include=("id", "window_end", "satisfaction"),
                name="followup_kpi_done_on_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="followup",
            index=models.Index(
                fields=["store", "window_end"],
                include=("id", "state", "window_start", "completed_on", "satisfaction"),
                name="followup_kpi_due_on_idx",
            ),
        ),
    ]
