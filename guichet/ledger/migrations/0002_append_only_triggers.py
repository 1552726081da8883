"""On PostgreSQL, triggers make the ledger append-only for every SQL client (SEC-1, SIGN-4): UPDATE and
DELETE of entries and checkpoints are refused, and so is TRUNCATE of a table that holds rows (emptying an
empty table loses nothing; test databases are emptied that way). Only the tables' owner can lift this,
with ALTER TABLE ... DISABLE TRIGGER, which the PostgreSQL log records."""

from django.db import migrations

TABLES = ("ledger_ledgerentry", "ledger_checkpoint")

INSTALL = """
CREATE OR REPLACE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the ledger is append-only: % on % is refused', TG_OP, TG_TABLE_NAME;
END
$$;
CREATE OR REPLACE FUNCTION ledger_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    holds_rows boolean;
BEGIN
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I.%I)', TG_TABLE_SCHEMA, TG_TABLE_NAME) INTO holds_rows;
    IF holds_rows THEN
        RAISE EXCEPTION 'the ledger is append-only: TRUNCATE on % is refused', TG_TABLE_NAME;
    END IF;
    RETURN NULL;
END
$$;
"""

TABLE_INSTALL = """
CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_truncate();
"""

TABLE_REMOVE = """
DROP TRIGGER IF EXISTS {table}_append_only ON {table};
DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};
"""

REMOVE = """
DROP FUNCTION IF EXISTS ledger_refuse_change();
DROP FUNCTION IF EXISTS ledger_refuse_truncate();
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite (development) has the ORM's refusal only
    schema_editor.execute(INSTALL, params=None)
    for table in TABLES:
        schema_editor.execute(TABLE_INSTALL.format(table=table), params=None)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(TABLE_REMOVE.format(table=table))
    schema_editor.execute(REMOVE)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [migrations.RunPython(install, remove, elidable=False)]
