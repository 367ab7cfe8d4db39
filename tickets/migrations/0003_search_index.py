"""A trigram index for the queue's substring search (PostgreSQL only; SQLite scans)."""

import logging

from django.db import migrations, transaction

log = logging.getLogger(__name__)


def create_index(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=connection.alias):
            with connection.cursor() as cursor:
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                cursor.execute("CREATE INDEX IF NOT EXISTS ticket_search_trgm ON tickets_ticket "
                               "USING gin (UPPER(search_text) gin_trgm_ops)")
    except Exception as exc:  # no superuser for the extension: search still works, only slower
        log.warning("trigram search index not created (%s); the queue's search will scan", exc)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS ticket_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("tickets", "0002_ticket_search")]
    operations = [migrations.RunPython(create_index, drop_index)]
