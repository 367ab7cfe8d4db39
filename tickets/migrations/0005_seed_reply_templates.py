"""Seed the canned reply templates (zh and en); agents edit them in the admin afterwards."""

from django.db import migrations


def seed(apps, schema_editor):
    from tickets.triage.reply_texts import DEFAULT_TEMPLATES

    ReplyTemplate = apps.get_model("tickets", "ReplyTemplate")
    for template in DEFAULT_TEMPLATES:
        ReplyTemplate.objects.get_or_create(code=template.code, language=template.language,
                                            defaults={"subject": template.subject, "body": template.body})


class Migration(migrations.Migration):
    dependencies = [("tickets", "0004_sensitive_permission")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
