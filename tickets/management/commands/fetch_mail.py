"""Poll the IMAP mailboxes once (the beat schedule does the same every KYCTRIAGE_MAIL_POLL_SECONDS)."""

from django.core.management.base import BaseCommand, CommandError

from ...models import Mailbox
from ...services.mailboxes import mailbox_fetch


class Command(BaseCommand):
    help = "Fetch new mail from every active mailbox (or the named ones) and ingest it."

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="*", help="Mailbox names (default: all active mailboxes).")

    def handle(self, *args, names, **options):
        from ...ingest.imap import ImapError

        mailboxes = Mailbox.objects.filter(is_active=True)
        if names:
            mailboxes = Mailbox.objects.filter(name__in=names)
            missing = set(names) - set(mailboxes.values_list("name", flat=True))
            if missing:
                raise CommandError("no mailbox named %s" % ", ".join(sorted(missing)))
        failures = 0
        for mailbox in mailboxes:
            try:
                report = mailbox_fetch(mailbox.pk)
            except ImapError as exc:
                failures += 1
                self.stderr.write("%s: %s" % (mailbox.name, exc))
                continue
            self.stdout.write("%s: %d new, %d already imported" % (mailbox.name, report.fetched,
                                                                   report.already_had))
        if failures and failures == mailboxes.count():
            raise CommandError("no mailbox could be polled")
