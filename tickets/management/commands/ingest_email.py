"""Import email from .eml files, mbox files, Maildir folders or standard input (contract §3)."""

import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ...conf import conf
from ...services.ingest import message_ingest
from ...services.waiting import tickets_wait

EX_TEMPFAIL = 75  # sysexits.h


class Command(BaseCommand):
    help = "Ingest email messages: PATH is an .eml file, an mbox file, a Maildir folder, or - for stdin."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--wait", action="store_true",
                            help="With a real broker, return only when every ingested ticket is triaged or failed.")
        parser.add_argument("--timeout", type=float, default=None,
                            help="Seconds --wait waits at most (default KYCTRIAGE_WAIT_TIMEOUT_SECONDS).")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar on a terminal.")

    def handle(self, *args, paths, wait, timeout, no_progress, **options):
        from ...ingest.sources import iter_raw_messages

        counts = {"ingested": 0, "threaded": 0, "duplicate": 0, "ignored": 0, "quarantined": 0, "unreadable": 0,
                  "failed": 0}
        ticket_ids: set[int] = set()
        progress = None
        if not no_progress and sys.stderr.isatty():
            from tqdm import tqdm

            progress = tqdm(unit=" msg", file=sys.stderr)
        stdin = sys.stdin.buffer if hasattr(sys.stdin, "buffer") else None
        per_mbox: dict[str, int] = {}
        for path in paths:
            for item in iter_raw_messages(path, stdin=stdin):
                if progress is not None:
                    progress.update(1)
                if item.mbox:
                    per_mbox[item.mbox] = per_mbox.get(item.mbox, 0) + 1
                if item.raw is None:
                    counts["unreadable"] += 1
                    self.stderr.write("%s: could not be read: %s" % (item.label, item.error))
                    continue
                try:
                    outcome = message_ingest(item.raw, source=item.label, received_at=item.received_at)
                except Exception as exc:  # storage or database down: say so, keep going with the next message
                    counts["failed"] += 1
                    self.stderr.write("%s: could not be stored (%s: %s); nothing was recorded for it, run the "
                                      "import again once the cause is fixed" % (item.label, type(exc).__name__, exc))
                    continue
                counts[outcome.state] += 1
                if outcome.ticket_id and outcome.state in ("ingested", "threaded"):
                    ticket_ids.add(outcome.ticket_id)
                if outcome.state == "quarantined":
                    self.stderr.write("%s: quarantined: %s" % (item.label, outcome.reason))
                elif outcome.state == "duplicate":
                    self.stderr.write("%s: skipped, duplicate: %s" % (item.label, outcome.reason))
                elif outcome.state == "ignored":
                    self.stderr.write("%s: not a ticket (automatic or empty message): %s" % (item.label, outcome.reason))
        if progress is not None:
            progress.close()
        for mbox, number in per_mbox.items():
            self.stdout.write("%s: mbox with %d messages" % (mbox, number))
        self.stdout.write(
            "ingested %(ingested)d, threaded %(threaded)d, duplicates %(duplicate)d, automatic %(ignored)d, "
            "quarantined %(quarantined)d, unreadable %(unreadable)d, failed %(failed)d" % counts)
        if wait and ticket_ids and not settings.CELERY_TASK_ALWAYS_EAGER:
            started = time.monotonic()
            pending = tickets_wait(ticket_ids, timeout=timeout or conf.WAIT_TIMEOUT_SECONDS)
            if pending:
                raise CommandError("%d tickets were still not triaged after %.0f s: %s. Are workers running "
                                   "(celery -A kyctriage worker)?" % (len(pending), time.monotonic() - started,
                                                                      ", ".join(map(str, sorted(pending)[:20]))))
            self.stdout.write("all %d tickets triaged in %.1f s" % (len(ticket_ids), time.monotonic() - started))
        if sum(counts.values()) and counts["unreadable"] == sum(counts.values()):
            raise CommandError("nothing could be read from %s" % ", ".join(paths))
        if counts["failed"] and counts["failed"] + counts["unreadable"] == sum(counts.values()):
            # EX_TEMPFAIL: an MTA piping mail here keeps the message queued and delivers it again later
            raise CommandError("no message could be stored: check the database and the attachment store "
                               "(KYCTRIAGE_DATA_DIR or the S3 bucket)", returncode=EX_TEMPFAIL)
