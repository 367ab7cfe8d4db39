"""Check that this machine reaches the attachment store: write, read back and delete one object."""

from django.core.management.base import BaseCommand, CommandError

from ...storage import storage_probe


class Command(BaseCommand):
    help = ("Write, read back and delete one probe object in the attachment store (local folder or S3 bucket). "
            "Run it on every new web or worker machine.")

    def add_arguments(self, parser):
        parser.add_argument("--create-bucket", action="store_true",
                            help="Create the S3 bucket when it is missing (development, compose).")

    def handle(self, *args, create_bucket, **options):
        try:
            lines = storage_probe(create_bucket=create_bucket)
        except Exception as exc:  # noqa: BLE001 - unreachable, misconfigured, refused: all mean "not usable"
            raise CommandError("the attachment store is not usable from this machine (%s: %s)"
                               % (type(exc).__name__, exc)) from exc
        for line in lines:
            self.stdout.write(line)
