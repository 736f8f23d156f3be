"""Hash-chain the audit trail (existing rows are chained in id order), and let the PostgreSQL
append-only trigger pass a DELETE only for the retention purge (`rounds.audit_purge` set locally)."""

from django.db import migrations, models

from feedback import audit_chain

TRIGGER_FUNCTION = """
CREATE OR REPLACE FUNCTION rounds_audit_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('rounds.audit_purge', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'the audit trail is append-only';
END;
$$ LANGUAGE plpgsql;
"""
OLD_FUNCTION = """
CREATE OR REPLACE FUNCTION rounds_audit_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'the audit trail is append-only';
END;
$$ LANGUAGE plpgsql;
"""
FIELDS = ("id", *audit_chain.FIELDS)


def chain_existing(apps, schema_editor):
    entry = apps.get_model("feedback", "AuditEntry")
    table = entry._meta.db_table
    pg = schema_editor.connection.vendor == "postgresql"
    with schema_editor.connection.cursor() as cursor:
        if pg:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER audit_append_only")
        prev = audit_chain.GENESIS
        for row in entry.objects.order_by("id").values(*FIELDS).iterator():
            digest = audit_chain.row_hash(prev, row)
            cursor.execute(
                f"UPDATE {table} SET prev_hash = %s, hash = %s WHERE id = %s",
                [prev, digest, row["id"]],
            )
            prev = digest
        if pg:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER audit_append_only")
            cursor.execute(TRIGGER_FUNCTION)


def unchain(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(OLD_FUNCTION)


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0004_job_schedule"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="hash",
            field=models.CharField(default="", editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="prev_hash",
            field=models.CharField(default="", editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="at",
            field=models.DateTimeField(db_index=True),
        ),
        migrations.RunPython(chain_existing, unchain),
    ]
