"""Trigram GIN indexes for "any part of" searches (name, phone digits, plate, VIN, serial), PostgreSQL only."""

from django.db import migrations

INDEXES = [
    ("customers_customer_name_trgm", "customers_customer", "name"),
    ("customers_phone_digits_trgm", "customers_customerphone", "digits"),
    ("customers_asset_plate_trgm", "customers_asset", "plate"),
    ("customers_asset_vin_trgm", "customers_asset", "vin"),
    ("customers_asset_serial_trgm", "customers_asset", "serial_number"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("customers", "0002_notes_attachments")]

    operations = [migrations.RunPython(create, drop)]
