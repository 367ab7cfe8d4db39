"""Queue again tickets stuck in new/processing (beat runs this every 5 minutes)."""

from django.core.management.base import BaseCommand

from ...services.pipeline import tickets_requeue_stuck


class Command(BaseCommand):
    help = "Re-queue tickets stuck past KYCTRIAGE_STUCK_AFTER_SECONDS; give up on those that keep failing."

    def handle(self, *args, **options):
        report = tickets_requeue_stuck()
        self.stdout.write("requeued %(requeued)d, gave up on %(failed)d" % report)
