"""Export tickets as JSON lines in the contract's shape (triage-contract.md §3)."""

import json
import sys
from contextlib import nullcontext

from django.core.management.base import BaseCommand, CommandError

from ...selectors import ticket_export_row, ticket_list_for_export


class Command(BaseCommand):
    help = "Write one JSON object per ticket, oldest first."

    def add_arguments(self, parser):
        parser.add_argument("--format", default="jsonl", choices=["jsonl"])
        parser.add_argument("--output", "-o", default="-", help="File to write (default: standard output).")
        parser.add_argument("--unmasked", action="store_true",
                            help="Keep ID numbers, MRZ lines and dates of birth (masked by default); the run is logged.")

    def handle(self, *args, output, unmasked, **options):
        try:
            handle = sys.stdout if output == "-" else open(output, "w", encoding="utf-8")
        except OSError as exc:
            raise CommandError("cannot write %s: %s" % (output, exc)) from exc
        count = 0
        with handle if output != "-" else nullcontext(handle):
            for ticket in ticket_list_for_export().iterator(chunk_size=500):
                handle.write(json.dumps(ticket_export_row(ticket, unmasked=unmasked), ensure_ascii=False) + "\n")
                count += 1
        if unmasked:
            from ...services.access import export_unmasked_record

            export_unmasked_record(count=count, output=output if output != "-" else "standard output")
        if output != "-":
            self.stderr.write("exported %d tickets to %s" % (count, output))

