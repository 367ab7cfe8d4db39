"""Run triage (and analysis where needed) again on some or all tickets."""

import sys

from django.core.management.base import BaseCommand, CommandError

from ...models import Ticket
from ...services.pipeline import tickets_retry


class Command(BaseCommand):
    help = "Re-run the pipeline on the given tickets (ids or KYC-references) or on --all."

    def add_arguments(self, parser):
        parser.add_argument("tickets", nargs="*", help="Ticket ids or references such as KYC-000123.")
        parser.add_argument("--all", action="store_true", help="Every ticket.")
        parser.add_argument("--reanalyse", action="store_true", help="Analyse the attachments again too.")

    def handle(self, *args, tickets, all, reanalyse, **options):
        if all == bool(tickets):
            raise CommandError("name some tickets or use --all (not both)")
        if all:
            ids = list(Ticket.objects.order_by("pk").values_list("pk", flat=True))
        else:
            try:
                ids = [int(t.upper().removeprefix("KYC-")) for t in tickets]
            except ValueError as exc:
                raise CommandError("not a ticket id or reference: %s" % exc) from exc
        iterator = ids
        if sys.stderr.isatty():
            from tqdm import tqdm

            iterator = tqdm(ids, unit=" ticket", file=sys.stderr)
        count = 0
        for ticket_id in iterator:
            count += tickets_retry([ticket_id], reanalyse=reanalyse)
        self.stdout.write("%d tickets queued again" % count)
