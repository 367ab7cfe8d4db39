"""Delete originals of ID documents and selfies past the retention period (beat runs it daily)."""

from django.core.management.base import BaseCommand

from ...conf import conf
from ...services.retention import originals_purge


class Command(BaseCommand):
    help = "Delete the originals of identity documents and selfies KYCTRIAGE_RETENTION_DAYS after their ticket closed."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only say what would be deleted.")

    def handle(self, *args, dry_run, **options):
        report = originals_purge(dry_run=dry_run)
        verb = "would delete" if dry_run else "deleted"
        self.stdout.write("%s %d originals of %d tickets closed more than %d days ago"
                          % (verb, report.attachments, report.tickets, conf.RETENTION_DAYS))
