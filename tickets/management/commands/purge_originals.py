"""Retention: close stale tickets, then delete originals, previews and raw mail past the period (beat: daily)."""

from django.core.management.base import BaseCommand

from ...conf import conf
from ...services.retention import originals_purge, tickets_close_stale


class Command(BaseCommand):
    help = ("Delete the originals of every attachment, the previews and the raw mail of tickets closed more than "
            "KYCTRIAGE_RETENTION_DAYS ago, and the unmasked identity data kept for supervisors.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only say what would be deleted.")

    def handle(self, *args, dry_run, **options):
        if not dry_run:
            closed = tickets_close_stale()
            self.stdout.write("closed %d tickets with no activity for %d days" % (closed, conf.CLOSE_STALE_DAYS))
        report = originals_purge(dry_run=dry_run)
        verb = "would delete" if dry_run else "deleted"
        self.stdout.write("%s %d originals and %d raw mails of %d tickets closed more than %d days ago"
                          % (verb, report.attachments, report.raw_mails, report.tickets, conf.RETENTION_DAYS))
