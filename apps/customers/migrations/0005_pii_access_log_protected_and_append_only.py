"""The personal-data access log is append-only.

Its customer is PROTECTed (a customer with a log is anonymised, not deleted), and the database refuses
to change or delete a row. PostgreSQL: a row trigger on UPDATE and DELETE (TRUNCATE, used only to
empty test databases, is not a row operation and is left alone). SQLite: a trigger on UPDATE only;
row DELETE is left to the model layer (`apps.org.retention`) there, because Django's test flush on
SQLite empties tables with DELETE. Same pattern as checklists 0002.
"""

import django.db.models.deletion
from django.db import migrations, models

PG_FORWARD = r"""
CREATE OR REPLACE FUNCTION customers_refuse_pii_log_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'customers: the personal-data access log is append-only (% of row %)', TG_OP, OLD.id
        USING ERRCODE = 'integrity_constraint_violation';
END $$ LANGUAGE plpgsql;
CREATE TRIGGER customers_piiaccesslog_append_only BEFORE UPDATE OR DELETE ON customers_piiaccesslog
    FOR EACH ROW EXECUTE FUNCTION customers_refuse_pii_log_change();
"""
PG_BACKWARD = r"""
DROP TRIGGER IF EXISTS customers_piiaccesslog_append_only ON customers_piiaccesslog;
DROP FUNCTION IF EXISTS customers_refuse_pii_log_change();
"""
SQLITE_FORWARD = """CREATE TRIGGER customers_piiaccesslog_append_only BEFORE UPDATE ON customers_piiaccesslog
    FOR EACH ROW BEGIN SELECT RAISE(ABORT, 'customers: the personal-data access log is append-only'); END;"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS customers_piiaccesslog_append_only;"


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0004_search_upper_trigram_indexes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="piiaccesslog",
            name="customer",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="pii_log",
                to="customers.customer",
                verbose_name="customer",
            ),
        ),
        migrations.RunPython(forward, backward),
    ]
