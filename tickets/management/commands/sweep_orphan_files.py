"""Remove stored files no record points at (beat runs it daily)."""

from django.core.management.base import BaseCommand

from ...conf import conf
from ...services.files import files_orphans_sweep


class Command(BaseCommand):
    help = ("Delete files in the private storage that no attachment or incoming mail points at and that are older "
            "than KYCTRIAGE_ORPHAN_GRACE_SECONDS; each deletion is logged.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only say what would be deleted.")

    def handle(self, *args, dry_run, **options):
        report = files_orphans_sweep(dry_run=dry_run, grace_seconds=conf.ORPHAN_GRACE_SECONDS)
        verb = "would delete" if dry_run else "deleted"
        self.stdout.write("%s %d orphan files (%d files in use)" % (verb, report.orphans, report.kept))
