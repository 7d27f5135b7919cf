"""The database refuses to change an accepted handover, its lines, a confirmed amendment or a signature.

PostgreSQL: row triggers on UPDATE and DELETE (TRUNCATE, used only to empty test databases, is not a
row operation and is left alone). SQLite: triggers on UPDATE (and on line INSERT); row DELETE is
left to the model layer there because Django's test flush on SQLite empties tables with DELETE.
"""

from django.db import migrations

PG_FORWARD = r"""
CREATE OR REPLACE FUNCTION checklists_refuse_accepted_handover() RETURNS trigger AS $$
BEGIN
    IF OLD.state = 'accepted' THEN
        RAISE EXCEPTION 'checklists: accepted handover % is immutable', OLD.id USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER checklists_handover_immutable BEFORE UPDATE OR DELETE ON checklists_handover
    FOR EACH ROW EXECUTE FUNCTION checklists_refuse_accepted_handover();

CREATE OR REPLACE FUNCTION checklists_refuse_line_of_accepted() RETURNS trigger AS $$
DECLARE hid bigint;
BEGIN
    IF TG_OP = 'INSERT' THEN hid := NEW.handover_id; ELSE hid := OLD.handover_id; END IF;
    IF EXISTS (SELECT 1 FROM checklists_handover WHERE id = hid AND state = 'accepted') THEN
        RAISE EXCEPTION 'checklists: lines of accepted handover % are immutable', hid USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER checklists_line_immutable BEFORE INSERT OR UPDATE OR DELETE ON checklists_handoverline
    FOR EACH ROW EXECUTE FUNCTION checklists_refuse_line_of_accepted();

CREATE OR REPLACE FUNCTION checklists_refuse_confirmed_amendment() RETURNS trigger AS $$
BEGIN
    IF OLD.state = 'confirmed' THEN
        RAISE EXCEPTION 'checklists: confirmed amendment % is immutable', OLD.id USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER checklists_amendment_immutable BEFORE UPDATE OR DELETE ON checklists_handoveramendment
    FOR EACH ROW EXECUTE FUNCTION checklists_refuse_confirmed_amendment();

CREATE OR REPLACE FUNCTION checklists_refuse_signature_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'checklists: signatures are append-only' USING ERRCODE = 'integrity_constraint_violation';
END $$ LANGUAGE plpgsql;
CREATE TRIGGER checklists_signature_immutable BEFORE UPDATE OR DELETE ON checklists_handoversignature
    FOR EACH ROW EXECUTE FUNCTION checklists_refuse_signature_change();
"""
PG_BACKWARD = r"""
DROP TRIGGER IF EXISTS checklists_handover_immutable ON checklists_handover;
DROP TRIGGER IF EXISTS checklists_line_immutable ON checklists_handoverline;
DROP TRIGGER IF EXISTS checklists_amendment_immutable ON checklists_handoveramendment;
DROP TRIGGER IF EXISTS checklists_signature_immutable ON checklists_handoversignature;
DROP FUNCTION IF EXISTS checklists_refuse_accepted_handover();
DROP FUNCTION IF EXISTS checklists_refuse_line_of_accepted();
DROP FUNCTION IF EXISTS checklists_refuse_confirmed_amendment();
DROP FUNCTION IF EXISTS checklists_refuse_signature_change();
"""
SQLITE_FORWARD = [
    """CREATE TRIGGER checklists_handover_immutable BEFORE UPDATE ON checklists_handover
       FOR EACH ROW WHEN OLD.state = 'accepted'
       BEGIN SELECT RAISE(ABORT, 'checklists: accepted handover is immutable'); END;""",
    """CREATE TRIGGER checklists_line_immutable_upd BEFORE UPDATE ON checklists_handoverline
       FOR EACH ROW WHEN (SELECT state FROM checklists_handover WHERE id = OLD.handover_id) = 'accepted'
       BEGIN SELECT RAISE(ABORT, 'checklists: lines of an accepted handover are immutable'); END;""",
    """CREATE TRIGGER checklists_line_immutable_ins BEFORE INSERT ON checklists_handoverline
       FOR EACH ROW WHEN (SELECT state FROM checklists_handover WHERE id = NEW.handover_id) = 'accepted'
       BEGIN SELECT RAISE(ABORT, 'checklists: lines of an accepted handover are immutable'); END;""",
    """CREATE TRIGGER checklists_amendment_immutable BEFORE UPDATE ON checklists_handoveramendment
       FOR EACH ROW WHEN OLD.state = 'confirmed'
       BEGIN SELECT RAISE(ABORT, 'checklists: confirmed amendment is immutable'); END;""",
    """CREATE TRIGGER checklists_signature_immutable BEFORE UPDATE ON checklists_handoversignature
       FOR EACH ROW BEGIN SELECT RAISE(ABORT, 'checklists: signatures are append-only'); END;""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS checklists_handover_immutable;",
    "DROP TRIGGER IF EXISTS checklists_line_immutable_upd;",
    "DROP TRIGGER IF EXISTS checklists_line_immutable_ins;",
    "DROP TRIGGER IF EXISTS checklists_amendment_immutable;",
    "DROP TRIGGER IF EXISTS checklists_signature_immutable;",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD, params=None)
    elif vendor == "sqlite":
        for sql in SQLITE_FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD, params=None)
    elif vendor == "sqlite":
        for sql in SQLITE_BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("checklists", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
