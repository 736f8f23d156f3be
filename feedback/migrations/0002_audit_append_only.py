"""On PostgreSQL, the database itself refuses UPDATE and DELETE of audit rows (defence in depth)."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION rounds_audit_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'the audit trail is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON feedback_auditentry
  FOR EACH ROW EXECUTE FUNCTION rounds_audit_append_only();
"""
BACKWARD = """
DROP TRIGGER IF EXISTS audit_append_only ON feedback_auditentry;
DROP FUNCTION IF EXISTS rounds_audit_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
