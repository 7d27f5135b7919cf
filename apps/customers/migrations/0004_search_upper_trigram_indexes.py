"""Trigram indexes that the searches can use: Django's `icontains` on PostgreSQL compares
UPPER(column::text), so the case-insensitive columns are indexed on that expression (PostgreSQL only).
Phone digits are searched with a plain `contains` and keep their index on the column."""

from django.db import migrations

# name, table, indexed expression
INDEXES = [
    ("customers_customer_name_trgm", "customers_customer", 'UPPER("name"::text)'),
    ("customers_phone_digits_trgm", "customers_customerphone", '"digits"'),
    ("customers_asset_plate_trgm", "customers_asset", 'UPPER("plate"::text)'),
    ("customers_asset_vin_trgm", "customers_asset", 'UPPER("vin"::text)'),
    ("customers_asset_serial_trgm", "customers_asset", 'UPPER("serial_number"::text)'),
]


def create_sql(name: str, table: str, expression: str) -> str:
    return f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (({expression}) gin_trgm_ops)"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, expression in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
        schema_editor.execute(create_sql(name, table, expression))


class Migration(migrations.Migration):
    dependencies = [("customers", "0003_search_trigram_indexes")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
