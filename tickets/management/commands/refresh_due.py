"""Compute every open or waiting ticket's due time again, after the targets (KYCTRIAGE_DUE_HOURS) changed."""

from django.core.management.base import BaseCommand

from ...services.tickets import tickets_due_refresh


class Command(BaseCommand):
    help = "Recompute waiting_since and due_at of the tickets not closed (targets in tickets/due.py and settings)."

    def handle(self, *args, **options):
        self.stdout.write("%d tickets got a new due time" % tickets_due_refresh())
