"""Indexes for the queue: language filter in date order, and confidence sort (unsure tickets last)."""

from django.db import migrations, models


def confidence_index(apps, schema_editor):
    # PostgreSQL only: SQLite cannot index NULLS LAST, and scans its small embedded tables anyway.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE INDEX IF NOT EXISTS ticket_confidence ON tickets_ticket "
                              "(top_confidence DESC NULLS LAST, id DESC)")


def drop_confidence_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS ticket_confidence")


class Migration(migrations.Migration):
    dependencies = [("tickets", "0005_seed_reply_templates")]

    operations = [
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(fields=["language", "-received_at"], name="ticket_language_received"),
        ),
        migrations.RunPython(confidence_index, drop_confidence_index),
    ]
