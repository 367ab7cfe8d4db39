"""Load the demo tickets through the real ingestion path, and a staff login to look at them."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from ...services.ingest import message_ingest


class Command(BaseCommand):
    help = "Ingest the demo emails (generated screenshots, ID photos and selfies) and create a demo staff user."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--password", default="admin")

    def handle(self, *args, username, password, **options):
        from ...demo.mails import demo_messages

        counts: dict[str, int] = {}
        for label, raw in demo_messages():
            outcome = message_ingest(raw, source=label)
            counts[outcome.state] = counts.get(outcome.state, 0) + 1
        self.stdout.write("demo tickets: %s" % ", ".join("%s %d" % item for item in sorted(counts.items())))
        User = get_user_model()
        user, created = User.objects.get_or_create(username=username, defaults={"is_staff": True,
                                                                                "is_superuser": True})
        if created:
            user.set_password(password)
            user.save()
            self.stdout.write("staff login: %s / %s" % (username, password))
        else:
            self.stdout.write("staff login: %s (existing user, password unchanged)" % username)
